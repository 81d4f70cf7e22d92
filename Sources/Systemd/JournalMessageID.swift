import Logging

/// Stable `MESSAGE_ID`s (128-bit, lower-case hex) of the journal entries users
/// and scripts look for. They never change once published: a catalog entry
/// (`systemd/chimerad.catalog`) explains each for `journalctl -x`.
package enum JournalMessageID {
    /// "report written": one per report `chimerad run` writes, with
    /// `REPORT_PATH`, `REPORT_TRIGGER` (startup, change, manual, reload),
    /// `FILES_CHANGED` and `DURATION_MS`.
    ///
    ///     journalctl MESSAGE_ID=ff1e9520be0140eda5607100cef62de6
    ///     journalctl -t chimerad REPORT_TRIGGER=change
    package static let reportWritten = "ff1e9520be0140eda5607100cef62de6"
    /// "regression opened": a session landed that is worse than its baseline,
    /// with `REGRESSION_ID`, `MODEL`, `CONFIGURATION`, `METRIC`,
    /// `CHANGE_PERCENT` and `SOURCE` (the session's file).
    ///
    ///     journalctl MESSAGE_ID=85dbc108bac44a01ba8e5e9c2c57cf7e
    package static let regressionOpened = "85dbc108bac44a01ba8e5e9c2c57cf7e"
    /// "regression resolved": a later session recovered, or a user
    /// acknowledged it, with `REGRESSION_ID`, `MODEL`, `CONFIGURATION`,
    /// `METRIC` and `RESOLUTION` (recovered or acknowledged).
    ///
    ///     journalctl MESSAGE_ID=d97b078dfce343eb9ccc73f44a47f312
    package static let regressionResolved = "d97b078dfce343eb9ccc73f44a47f312"
    /// "regression reopened": the session that recovered a regression, read
    /// when it held its first runs, is worse now it has grown, so the
    /// regression never recovered; with `REGRESSION_ID`, `MODEL`,
    /// `CONFIGURATION`, `METRIC`, `SOURCE` (that session's file) and
    /// `CHANGE_PERCENT` (that session's change against the baseline).
    ///
    ///     journalctl MESSAGE_ID=59b7910c7f5a45a390e8e110cc8017e4
    package static let regressionReopened = "59b7910c7f5a45a390e8e110cc8017e4"
    /// "narrative written": the model's checked narrative reached a report
    /// written before it (rewritten in place), with `REPORT_PATH`,
    /// `DURATION_MS` (asking and checking), the `NARRATIVE_*` counts and the
    /// `MODEL_*` figures of its calls.
    ///
    ///     journalctl MESSAGE_ID=fe8101d7fbda45e0befc3c1302460c09
    package static let narrativeWritten = "fe8101d7fbda45e0befc3c1302460c09"
    /// "webhook delivery failed; will retry": a post to `notify.webhook_url`
    /// got no 2xx, with `DESTINATION` (scheme, host and port only),
    /// `EVENT_ID`, `ATTEMPT`, `REASON` and `RETRY_IN_SECONDS`.
    ///
    ///     journalctl MESSAGE_ID=6b6160cbdb37475797f7d1277737c8c7
    package static let webhookDeliveryFailed = "6b6160cbdb37475797f7d1277737c8c7"
    /// "webhook delivery recovered": the receiver took a post again after
    /// `FAILED_ATTEMPTS` failures, with `DESTINATION`.
    ///
    ///     journalctl MESSAGE_ID=bd8d5a2d805442ca8e4c58a8d04f683c
    package static let webhookDeliveryRecovered = "bd8d5a2d805442ca8e4c58a8d04f683c"
    /// "fleet publication failed": the fleet's PostgreSQL could not take a
    /// batch (down, refusing, a TLS mismatch, no answer in time), so the fleet
    /// falls behind while reports go on locally, with `TARGET`
    /// (`user@host:port/db`, never a password), `REASON`, `ATTEMPT`,
    /// `RETRY_IN_SECONDS`, `ITEMS_BEHIND` and `BEHIND_SINCE`.
    ///
    ///     journalctl MESSAGE_ID=b81255b2258244eeaa839742bc0ddccc
    package static let fleetPublicationFailed = "b81255b2258244eeaa839742bc0ddccc"
    /// "fleet publication recovered": the fleet's PostgreSQL took the outbox
    /// again after `FAILED_ATTEMPTS` failures, with `TARGET` and `SENT`.
    ///
    ///     journalctl MESSAGE_ID=0030b52f08bf49119b70d28394f3cd8e
    package static let fleetPublicationRecovered = "0030b52f08bf49119b70d28394f3cd8e"
    /// "fleet outbox full": `fleet.outbox_limit` was reached and the oldest
    /// unsent per-run samples were dropped, with `SAMPLES_DROPPED` (values);
    /// session summaries and run counts are never dropped.
    ///
    ///     journalctl MESSAGE_ID=d48a86cd982843619be8898b227965d1
    package static let fleetSamplesDropped = "d48a86cd982843619be8898b227965d1"
}

extension Logger.Metadata {
    /// The metadata of the "report written" entry, keyed so that the journal
    /// fields are `MESSAGE_ID`, `REPORT_PATH`, `REPORT_TRIGGER`, `FILES_CHANGED`,
    /// `FILES_DELETED` (nil for a fleet report) and `DURATION_MS`; on the
    /// console they read `report_path=...` and so on.
    package static func reportWritten(
        path: String, trigger: String, filesChanged: Int, filesDeleted: Int?, durationMilliseconds: Int
    ) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "message_id": "\(JournalMessageID.reportWritten)",
            "report_path": "\(path)",
            "report_trigger": "\(trigger)",
            "files_changed": "\(filesChanged)",
            "duration_ms": "\(durationMilliseconds)",
        ]
        // A fleet report reads no files: it counts none deleted either.
        if let filesDeleted { metadata["files_deleted"] = "\(filesDeleted)" }
        return metadata
    }
}
