-- chimerad's fleet store: least-privilege roles (issue 13).
--
-- Run once per database, as the owner of the chimerad schema (the role that
-- ran `chimerad fleet migrate`), after the schema exists:
--
--   psql "postgres://admin@db.example.com/bench?sslmode=verify-full" -v ON_ERROR_STOP=1 -f fleet-roles.sql
--
-- It is safe to run again (after an upgrade adds tables, for instance).
--
-- Three group roles, none of which can log in:
--   chimerad_publisher  what a publishing host needs: read, insert and update
--                       its OWN rows of hosts, sessions, session_samples,
--                       regressions and reports (samples may also be deleted,
--                       to replace a session's), nothing else; no DDL.
--   chimerad_reader     what the fleet report (and Grafana, Otava, psql) needs:
--                       read every row of every table.
--   (the owner)         runs `chimerad fleet migrate`; not created here: use
--                       the role that owns the database or one with CREATE on it.
--
-- Each host gets its own login role, member of chimerad_publisher, and one
-- row in chimerad.host_roles saying which host_id it may publish as
-- (`chimerad fleet status` on the host prints its host_id):
--
--   CREATE ROLE bench_h100_01 LOGIN PASSWORD '...' IN ROLE chimerad_publisher;
--   INSERT INTO chimerad.host_roles (host_id, role_name) VALUES ('3f1c...', 'bench_h100_01');
--
-- and the fleet report's reader:
--
--   CREATE ROLE fleet_report LOGIN PASSWORD '...' IN ROLE chimerad_reader;
--
-- Why a mapping table and not a session setting. Row-level security could
-- compare host_id with current_setting('chimerad.host_id'), which chimerad
-- would SET after connecting; but any client holding the shared publisher
-- password can SET any value, so that only prevents mistakes. Keyed on the
-- login role (current_user, which a client cannot change without the other
-- role's password), a stolen host credential can write only that host's
-- rows. The cost: one login role and one mapping row per host, which an
-- operator adds when a host joins. Several roles may map to one host_id (a
-- password rotation), and one role to several host ids (a CI runner pool
-- publishing under one credential, by choice).
--
-- Row-level security does not apply to the tables' owner; keep the owner's
-- credential off the publishing hosts.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'chimerad_publisher') THEN
        CREATE ROLE chimerad_publisher NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'chimerad_reader') THEN
        CREATE ROLE chimerad_reader NOLOGIN;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA chimerad TO chimerad_publisher, chimerad_reader;

-- Both read the schema version (a publisher checks it before sending) and
-- the mapping (the policies below read it as the publishing role).
GRANT SELECT ON chimerad.chimerad_schema, chimerad.host_roles TO chimerad_publisher, chimerad_reader;

-- Upserts (INSERT ... ON CONFLICT DO UPDATE) need SELECT beside INSERT and UPDATE.
GRANT SELECT, INSERT, UPDATE ON chimerad.hosts, chimerad.sessions, chimerad.session_samples, chimerad.regressions, chimerad.reports
    TO chimerad_publisher;
-- A changed file's sessions replace those of its earlier content (a session that grew).
GRANT DELETE ON chimerad.sessions, chimerad.session_samples TO chimerad_publisher;

GRANT SELECT ON ALL TABLES IN SCHEMA chimerad TO chimerad_reader;

-- Every published table: a publisher sees and writes only the rows of the
-- host ids its login role maps to; the reader sees every row.
DO $$
DECLARE
    published text;
BEGIN
    FOREACH published IN ARRAY ARRAY['hosts', 'sessions', 'session_samples', 'regressions', 'reports'] LOOP
        EXECUTE format('ALTER TABLE chimerad.%I ENABLE ROW LEVEL SECURITY', published);
        EXECUTE format('DROP POLICY IF EXISTS publisher_own_rows ON chimerad.%I', published);
        EXECUTE format(
            'CREATE POLICY publisher_own_rows ON chimerad.%I TO chimerad_publisher '
            'USING (host_id IN (SELECT host_id FROM chimerad.host_roles WHERE role_name = current_user)) '
            'WITH CHECK (host_id IN (SELECT host_id FROM chimerad.host_roles WHERE role_name = current_user))',
            published);
        EXECUTE format('DROP POLICY IF EXISTS reader_all_rows ON chimerad.%I', published);
        EXECUTE format('CREATE POLICY reader_all_rows ON chimerad.%I FOR SELECT TO chimerad_reader USING (true)', published);
    END LOOP;
END
$$;
