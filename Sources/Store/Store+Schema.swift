import Foundation
import GRDB
import Records

/// The tables: created by the first migration, changed by the later ones.
extension Store {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE file (
                        root TEXT NOT NULL,
                        path TEXT NOT NULL,
                        device INTEGER NOT NULL,
                        inode INTEGER NOT NULL,
                        size INTEGER NOT NULL,
                        mtime_ns INTEGER NOT NULL,
                        content_hash TEXT,
                        status TEXT NOT NULL CHECK (status IN ('analyzed', 'skipped', 'deleted')),
                        shape TEXT,
                        reason TEXT,
                        model_hint TEXT,
                        group_keys TEXT NOT NULL DEFAULT '',
                        parser_version INTEGER NOT NULL,
                        digest BLOB,
                        changed_seq INTEGER NOT NULL,
                        created_seq INTEGER NOT NULL,
                        updated_at TEXT NOT NULL,
                        PRIMARY KEY (root, path)
                    ) WITHOUT ROWID;
                    -- Full records live apart from the registry: reports read digests,
                    -- and a registry row stays small enough to scan quickly.
                    CREATE TABLE file_records (
                        root TEXT NOT NULL,
                        path TEXT NOT NULL,
                        records BLOB NOT NULL,
                        UNIQUE (root, path)
                    );
                    CREATE TABLE report (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        generated_at TEXT NOT NULL,
                        trigger TEXT NOT NULL,
                        markdown_path TEXT NOT NULL,
                        json_path TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        roots TEXT NOT NULL,
                        digest TEXT NOT NULL
                    );
                    -- Finished figures of run groups, reused by the next report while the
                    -- files behind a group are unchanged (the fingerprint says so).
                    CREATE TABLE group_cache (
                        scope TEXT NOT NULL,
                        key TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        payload BLOB NOT NULL,
                        PRIMARY KEY (scope, key)
                    );
                    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                    INSERT INTO meta (key, value) VALUES ('seq', '0');
                    """)
        }
        // Reports read digests only: the full records (more than half the
        // store's bytes) are no longer kept. Digests move to a table of their
        // own: in the registry (a WITHOUT ROWID table, made for small rows)
        // each spilled into overflow pages it mostly left empty, and every
        // registry scan stepped over them. Files stored by v1 are read again
        // anyway, their parser version being older.
        migrator.registerMigration("v2: digests only") { db in
            try db.execute(
                sql: """
                    DROP TABLE file_records;
                    ALTER TABLE file DROP COLUMN digest;
                    CREATE TABLE file_digest (
                        root TEXT NOT NULL,
                        path TEXT NOT NULL,
                        digest BLOB NOT NULL,
                        PRIMARY KEY (root, path)
                    );
                    """)
        }
        // Skip reasons get a code beside their text, and stages decide on the
        // code. Older rows keep NULL, read as `SkipCode.legacy`: such a file
        // is read again once, which stores its code.
        migrator.registerMigration("v3: skip reason codes") { db in
            try db.execute(sql: "ALTER TABLE file ADD COLUMN reason_code TEXT")
        }
        // Regressions stay open across reports and restarts until a later
        // session recovers or a user acknowledges them. Never deleted: an id
        // (`chimerad regressions ack ID`) names one regression for good. No
        // index: a store holds dozens of rows, and with 64 KiB pages an index
        // would cost a page for nothing.
        migrator.registerMigration("v4: regressions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE regression (
                        id INTEGER PRIMARY KEY,
                        scope TEXT NOT NULL,
                        model TEXT NOT NULL,
                        configuration TEXT NOT NULL,
                        environment TEXT NOT NULL DEFAULT '[]',
                        metric TEXT NOT NULL,
                        baseline_median REAL NOT NULL,
                        baseline_n INTEGER NOT NULL,
                        baseline_sessions INTEGER NOT NULL,
                        current_median REAL NOT NULL,
                        current_n INTEGER NOT NULL,
                        current_sources TEXT NOT NULL,
                        change_percent REAL NOT NULL,
                        ci_low REAL NOT NULL,
                        ci_high REAL NOT NULL,
                        p_value REAL NOT NULL,
                        q_value REAL NOT NULL,
                        opened_at TEXT NOT NULL,
                        session_measured_at REAL,
                        resolved_at TEXT,
                        resolution TEXT CHECK (resolution IN ('recovered', 'acknowledged')),
                        resolution_source TEXT,
                        resolution_change REAL,
                        note TEXT
                    );
                    """)
        }
        // A file's sessions seen by a report: a results file a harness appends
        // to, renames or that is parsed again (a new gap setting, an upgrade)
        // changes, yet only its sessions after `reported_until` (milliseconds,
        // the end of its latest session at the last report) are new.
        // `updated_at` goes: nothing read it, and its text cost more per row
        // than the new column.
        migrator.registerMigration("v5: sessions reported per file") { db in
            try db.execute(
                sql: """
                    ALTER TABLE file DROP COLUMN updated_at;
                    ALTER TABLE file ADD COLUMN reported_until INTEGER;
                    """)
        }
        // The marker belongs to the inputs of the report that wrote it: a
        // report over other inputs (one file of the tree, or two trees) has
        // its own idea of what is new, and ignores it. Stores upgraded from
        // before the marker take, for the files the last report read, their
        // modification time: what a report before the upgrade had seen of them.
        migrator.registerMigration("v6: sessions reported per scope") { db in
            try db.execute(sql: "ALTER TABLE file ADD COLUMN reported_scope INTEGER")
            guard let last = try Row.fetchOne(db, sql: "SELECT roots, seq FROM report ORDER BY id DESC LIMIT 1") else { return }
            let inputs = (last["roots"] as String).split(separator: "\n").map(String.init)
            let scope = Store.scopeKey(inputs)
            let update = try db.makeStatement(
                sql: """
                    UPDATE file SET reported_until = (mtime_ns + 999999) / 1000000, reported_scope = ?
                    WHERE root = ? AND status = 'analyzed' AND changed_seq <= ? AND reported_until IS NULL
                    """)
            for root in inputs { try update.execute(arguments: [scope, root, last["seq"] as Int64]) }
        }
        // The webhook's outbox: one row per event (a regression opened or
        // resolved, a report written), inserted in the transaction that saves
        // the report, so a report that does not land queues nothing and a
        // queued event survives a restart. `event_id` is the event's stable id
        // (the Atom entry's for a regression): queuing it twice keeps one row.
        // `state` goes from pending to delivered (a 2xx) or rejected (a
        // receiver refusing the event itself, 400/413/415/422).
        migrator.registerMigration("v7: notification outbox") { db in
            try db.execute(
                sql: """
                    CREATE TABLE notification (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        event_id TEXT NOT NULL UNIQUE,
                        kind TEXT NOT NULL CHECK (kind IN ('opened', 'resolved', 'report')),
                        payload TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'rejected')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at REAL,
                        last_error TEXT,
                        finished_at REAL
                    );
                    """)
        }
        // The fleet's outbox (issue 13): what a report publishes to the
        // shared PostgreSQL, inserted in the transaction that saves the report
        // and deleted once PostgreSQL committed it. `kind` lets the bound drop
        // per-run samples, and only them, without decoding payloads.
        migrator.registerMigration("v8: fleet outbox") { db in
            try db.execute(
                sql: """
                    CREATE TABLE fleet_outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL CHECK (kind IN ('host', 'file', 'session', 'samples', 'regression', 'report')),
                        payload TEXT NOT NULL,
                        queued_at REAL NOT NULL
                    );
                    CREATE INDEX fleet_outbox_by_kind ON fleet_outbox (kind, id);
                    """)
        }
        // Regressions of benchmarks other than run groups (a hyperfine
        // command, a Google Benchmark): the tool that measured it and the
        // unit of a rate; NULL for a run group's. `basis` is 'sessions' when
        // a session's figure was tested against earlier sessions' figures.
        migrator.registerMigration("v9: benchmark regressions") { db in
            try db.execute(
                sql: """
                    ALTER TABLE regression ADD COLUMN tool TEXT;
                    ALTER TABLE regression ADD COLUMN unit TEXT;
                    ALTER TABLE regression ADD COLUMN basis TEXT;
                    """)
        }
        // Earlier versions of benchmark files rewritten in place (a nightly
        // `hyperfine --export-json results.json`): the digest each had, by its
        // modification time, so its sessions stay history. At most
        // `Store.historyPerFile` a file; rows go with their file.
        migrator.registerMigration("v10: benchmark file history") { db in
            try db.execute(
                sql: """
                    CREATE TABLE file_history (
                        root TEXT NOT NULL,
                        path TEXT NOT NULL,
                        mtime_ns INTEGER NOT NULL,
                        digest BLOB NOT NULL,
                        PRIMARY KEY (root, path, mtime_ns)
                    ) WITHOUT ROWID;
                    """)
        }
        // A kept version's content hash: a backup made of an earlier version
        // (`cp results.json results-night7.json` before the next rewrite) is a
        // copy of that version. Versions kept before it have none.
        migrator.registerMigration("v11: file history content") { db in
            try db.execute(sql: "ALTER TABLE file_history ADD COLUMN content_hash TEXT")
        }
        // A regression withdrawn when its session turned out to have run
        // elsewhere than its baseline: a third resolution, and the files of
        // the baseline it was tested against. SQLite cannot change a CHECK in
        // place, so the table is copied into one that allows it.
        migrator.registerMigration("v12: withdrawn regressions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE regression_v12 (
                        id INTEGER PRIMARY KEY,
                        scope TEXT NOT NULL,
                        model TEXT NOT NULL,
                        configuration TEXT NOT NULL,
                        environment TEXT NOT NULL DEFAULT '[]',
                        metric TEXT NOT NULL,
                        baseline_median REAL NOT NULL,
                        baseline_n INTEGER NOT NULL,
                        baseline_sessions INTEGER NOT NULL,
                        current_median REAL NOT NULL,
                        current_n INTEGER NOT NULL,
                        current_sources TEXT NOT NULL,
                        change_percent REAL NOT NULL,
                        ci_low REAL NOT NULL,
                        ci_high REAL NOT NULL,
                        p_value REAL NOT NULL,
                        q_value REAL NOT NULL,
                        opened_at TEXT NOT NULL,
                        session_measured_at REAL,
                        resolved_at TEXT,
                        resolution TEXT CHECK (resolution IN ('recovered', 'acknowledged', 'withdrawn')),
                        resolution_source TEXT,
                        resolution_change REAL,
                        note TEXT,
                        tool TEXT,
                        unit TEXT,
                        basis TEXT,
                        baseline_sources TEXT NOT NULL DEFAULT '[]'
                    );
                    INSERT INTO regression_v12 (
                        id, scope, model, configuration, environment, metric, baseline_median, baseline_n, baseline_sessions,
                        current_median, current_n, current_sources, change_percent, ci_low, ci_high, p_value, q_value, opened_at,
                        session_measured_at, resolved_at, resolution, resolution_source, resolution_change, note, tool, unit, basis)
                    SELECT
                        id, scope, model, configuration, environment, metric, baseline_median, baseline_n, baseline_sessions,
                        current_median, current_n, current_sources, change_percent, ci_low, ci_high, p_value, q_value, opened_at,
                        session_measured_at, resolved_at, resolution, resolution_source, resolution_change, note, tool, unit, basis
                    FROM regression;
                    DROP TABLE regression;
                    ALTER TABLE regression_v12 RENAME TO regression;
                    """)
        }
        // When the session that recovered a regression was measured: the
        // nights between it and the one that opened the regression are no
        // baseline for later ones (`RegressionPolicy.Spell`).
        migrator.registerMigration("v13: recovering session") { db in
            try db.execute(sql: "ALTER TABLE regression ADD COLUMN recovered_session_at REAL")
        }
        // A regression whose session's files were deleted (a bad run
        // discarded): a fourth resolution. The CHECK is widened by copying the
        // table, as v12 did.
        migrator.registerMigration("v14: deleted sessions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE regression_v14 (
                        id INTEGER PRIMARY KEY,
                        scope TEXT NOT NULL,
                        model TEXT NOT NULL,
                        configuration TEXT NOT NULL,
                        environment TEXT NOT NULL DEFAULT '[]',
                        metric TEXT NOT NULL,
                        baseline_median REAL NOT NULL,
                        baseline_n INTEGER NOT NULL,
                        baseline_sessions INTEGER NOT NULL,
                        current_median REAL NOT NULL,
                        current_n INTEGER NOT NULL,
                        current_sources TEXT NOT NULL,
                        change_percent REAL NOT NULL,
                        ci_low REAL NOT NULL,
                        ci_high REAL NOT NULL,
                        p_value REAL NOT NULL,
                        q_value REAL NOT NULL,
                        opened_at TEXT NOT NULL,
                        session_measured_at REAL,
                        resolved_at TEXT,
                        resolution TEXT CHECK (resolution IN ('recovered', 'acknowledged', 'withdrawn', 'deleted')),
                        resolution_source TEXT,
                        resolution_change REAL,
                        note TEXT,
                        tool TEXT,
                        unit TEXT,
                        basis TEXT,
                        baseline_sources TEXT NOT NULL DEFAULT '[]',
                        recovered_session_at REAL
                    );
                    INSERT INTO regression_v14 (
                        id, scope, model, configuration, environment, metric, baseline_median, baseline_n, baseline_sessions,
                        current_median, current_n, current_sources, change_percent, ci_low, ci_high, p_value, q_value, opened_at,
                        session_measured_at, resolved_at, resolution, resolution_source, resolution_change, note, tool, unit, basis,
                        baseline_sources, recovered_session_at)
                    SELECT
                        id, scope, model, configuration, environment, metric, baseline_median, baseline_n, baseline_sessions,
                        current_median, current_n, current_sources, change_percent, ci_low, ci_high, p_value, q_value, opened_at,
                        session_measured_at, resolved_at, resolution, resolution_source, resolution_change, note, tool, unit, basis,
                        baseline_sources, recovered_session_at
                    FROM regression;
                    DROP TABLE regression;
                    ALTER TABLE regression_v14 RENAME TO regression;
                    """)
        }
        // A file touched (or copied over by `rsync` without `-t`) with its
        // content unchanged keeps the time its content was written, which
        // dates its sessions when its data gives none: NULL while that is
        // its modification time.
        migrator.registerMigration("v15: data modification time") { db in
            try db.execute(sql: "ALTER TABLE file ADD COLUMN data_mtime_ns INTEGER")
        }
        // A regression whose recovering session, grown since, turned out as
        // slow is reopened: when last, and how often (its webhook events and
        // feed entries are one per opening and resolution).
        migrator.registerMigration("v16: reopened regressions") { db in
            try db.execute(sql: "ALTER TABLE regression ADD COLUMN reopened_at TEXT")
            try db.execute(sql: "ALTER TABLE regression ADD COLUMN reopen_count INTEGER NOT NULL DEFAULT 0")
            // The webhook's outbox takes the reopening's events: SQLite changes
            // a CHECK only by copying the table.
            try db.execute(
                sql: """
                    CREATE TABLE notification_v16 (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        event_id TEXT NOT NULL UNIQUE,
                        kind TEXT NOT NULL CHECK (kind IN ('opened', 'reopened', 'resolved', 'report')),
                        payload TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'rejected')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at REAL,
                        last_error TEXT,
                        finished_at REAL
                    );
                    INSERT INTO notification_v16 (id, event_id, kind, payload, created_at, state, attempts, next_attempt_at, last_error, finished_at)
                        SELECT id, event_id, kind, payload, created_at, state, attempts, next_attempt_at, last_error, finished_at FROM notification;
                    DROP TABLE notification;
                    ALTER TABLE notification_v16 RENAME TO notification;
                    """)
        }
        // Why a regression was reopened: `slower` (the recovering session,
        // grown, is as slow) or `deleted` (its file was).
        migrator.registerMigration("v17: reopen reason") { db in
            try db.execute(sql: "ALTER TABLE regression ADD COLUMN reopen_reason TEXT")
        }
        // A first take (a count of sessions per file) of what v19 records.
        migrator.registerMigration("v18: sessions counted per file") { db in
            try db.execute(sql: "ALTER TABLE file ADD COLUMN reported_sessions INTEGER")
        }
        // The sessions of a run file the report that set `reported_until`
        // read, as the analysis writes them (opaque to the store; text with
        // commas, which the column's declared type leaves as text): a night
        // appended with an earlier date (a clock set back) is new, not read.
        // v18's counts go; NULL until a report sets it.
        migrator.registerMigration("v19: sessions read per file") { db in
            try db.execute(sql: "UPDATE file SET reported_sessions = NULL")
        }
        return migrator
    }

    /// What a marker of sessions read names its report's inputs by: 64 bits
    /// of a stable hash of them, a few bytes a file.
    package static func scopeKey(_ inputs: [String]) -> Int64 {
        var hash = StableHash()
        for input in inputs { hash.add(input) }
        return Int64(bitPattern: hash.low)
    }
}
