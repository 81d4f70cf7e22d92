extension FleetSchema {
    /// Version 1: what a publishing host writes and the fleet report reads.
    ///
    /// Plain columns for everything a query filters, groups or sorts on, so
    /// other tools (psql, Grafana, Apache Otava) read the tables directly.
    /// Every key starts with `host_id`: hosts never write the same row, a
    /// resend after a crash lands on the row it already wrote (publishers use
    /// `INSERT ... ON CONFLICT DO UPDATE`), and row-level security can
    /// restrict a host to its own rows (`etc/chimerad/fleet-roles.sql`).
    /// Times are `timestamptz`; configurations are canonical JSON text, so
    /// equal configurations compare equal as text and group without parsing.
    static let version1 = Migration(
        version: 1,
        statements: [
            // Which login role may publish as which host (read by the
            // row-level security policies of fleet-roles.sql; empty and unused without them).
            """
            CREATE TABLE chimerad.host_roles (
                host_id text NOT NULL,
                role_name text NOT NULL,
                PRIMARY KEY (host_id, role_name)
            )
            """,
            // One row per host; the environment is the latest its files recorded.
            """
            CREATE TABLE chimerad.hosts (
                host_id text PRIMARY KEY CHECK (host_id ~ '^[A-Za-z0-9._-]{1,64}$'),
                hostname text NOT NULL,
                first_seen timestamptz NOT NULL DEFAULT now(),
                last_seen timestamptz NOT NULL DEFAULT now(),
                gpu text,
                driver text,
                backend text,
                build text,
                chimerad_version text
            )
            """,
            // "Hosts that stopped publishing": the oldest last_seen first.
            "CREATE INDEX hosts_last_seen ON chimerad.hosts (last_seen)",
            // One benchmark session: a harness ran one model and configuration
            // N times in one sitting. Its key is the local store's: a file's
            // path under its watch root, its content hash (a copy under another
            // name stays another session; an edited file is another version),
            // and the session's ordinal within the file (a file appended to
            // over days holds several sessions).
            """
            CREATE TABLE chimerad.sessions (
                host_id text NOT NULL REFERENCES chimerad.hosts (host_id),
                source_path text NOT NULL,
                content_hash text NOT NULL,
                session_index integer NOT NULL CHECK (session_index >= 0),
                model text NOT NULL,
                configuration text NOT NULL DEFAULT '{}',
                gpu text,
                driver text,
                backend text,
                build text,
                started_at timestamptz,
                measured_at timestamptz NOT NULL,
                runs_ok integer NOT NULL CHECK (runs_ok >= 0),
                runs_failed integer NOT NULL CHECK (runs_failed >= 0),
                tokens_per_second_median double precision,
                tokens_per_second_p25 double precision,
                tokens_per_second_p75 double precision,
                tokens_per_second_n integer NOT NULL DEFAULT 0,
                ttft_seconds_median double precision,
                ttft_seconds_p25 double precision,
                ttft_seconds_p75 double precision,
                ttft_seconds_n integer NOT NULL DEFAULT 0,
                published_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (host_id, source_path, content_hash, session_index)
            )
            """,
            // The fleet report's main question: one model and configuration across hosts, over time.
            "CREATE INDEX sessions_by_model ON chimerad.sessions (model, configuration, measured_at)",
            // Per-host views and "what did this host publish lately".
            "CREATE INDEX sessions_by_host ON chimerad.sessions (host_id, measured_at)",
            // Per-run values of a session, for distributions and tests across
            // hosts. Bounded per session by the publisher (the ordinal is below
            // 10,000 here too); summaries never depend on them.
            """
            CREATE TABLE chimerad.session_samples (
                host_id text NOT NULL,
                source_path text NOT NULL,
                content_hash text NOT NULL,
                session_index integer NOT NULL,
                metric text NOT NULL CHECK (metric IN ('tokens_per_second', 'ttft_seconds')),
                ordinal integer NOT NULL CHECK (ordinal >= 0 AND ordinal < 10000),
                value double precision NOT NULL,
                PRIMARY KEY (host_id, source_path, content_hash, session_index, metric, ordinal),
                FOREIGN KEY (host_id, source_path, content_hash, session_index)
                    REFERENCES chimerad.sessions (host_id, source_path, content_hash, session_index) ON DELETE CASCADE
            )
            """,
            // A regression one host's analysis opened, and how it ended;
            // `local_id` is the id in the host's store (`chimerad regressions`).
            """
            CREATE TABLE chimerad.regressions (
                host_id text NOT NULL REFERENCES chimerad.hosts (host_id),
                local_id bigint NOT NULL,
                model text NOT NULL,
                configuration text NOT NULL DEFAULT '{}',
                environment text NOT NULL DEFAULT '[]',
                metric text NOT NULL,
                opened_at timestamptz NOT NULL,
                resolved_at timestamptz,
                resolution text CHECK (resolution IN ('recovered', 'acknowledged')),
                change_percent double precision NOT NULL,
                p_value double precision NOT NULL,
                q_value double precision NOT NULL,
                baseline_median double precision NOT NULL,
                baseline_n integer NOT NULL,
                current_median double precision NOT NULL,
                current_n integer NOT NULL,
                build text,
                PRIMARY KEY (host_id, local_id)
            )
            """,
            // "4 of 4 H100 hosts": open regressions of one model, configuration and metric across hosts.
            "CREATE INDEX regressions_by_model ON chimerad.regressions (model, configuration, metric, opened_at)",
            "CREATE INDEX regressions_open ON chimerad.regressions (opened_at) WHERE resolved_at IS NULL",
            // Reports each host wrote: its report file's name is unique in its output folder.
            """
            CREATE TABLE chimerad.reports (
                host_id text NOT NULL REFERENCES chimerad.hosts (host_id),
                report_name text NOT NULL,
                generated_at timestamptz NOT NULL,
                trigger text NOT NULL CHECK (trigger IN ('startup', 'change', 'manual', 'reload', 'schedule')),
                files_analyzed integer,
                sessions integer,
                PRIMARY KEY (host_id, report_name)
            )
            """,
            "CREATE INDEX reports_by_host ON chimerad.reports (host_id, generated_at)",
            "COMMENT ON SCHEMA chimerad IS 'chimerad fleet store; tables documented in chimerad''s README (A fleet on PostgreSQL)'",
        ])
}
