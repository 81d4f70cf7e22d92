/// A run's outcome in a column of its own, as harnesses write it beside or
/// instead of an error message: `success` True/False, `ok` true/false,
/// `status` ok/failed, `status_code` 200/500, `exit_code` 0/1. Such a column
/// was a setting: the failed runs were successes of a configuration
/// `success=False`.
extension RunTableFormat {
    /// How an outcome column says a run failed.
    enum OutcomeKind: Sendable {
        /// `success`, `ok`, `passed`: true or false (`1`/`0`, `yes`/`no`).
        case flag
        /// `status`: a word (`ok`, `failed`, `timeout`), an HTTP status, or 0
        /// for an exit status. Only when every value is one of these: a
        /// `status` of `cold`/`warm` is a setting.
        case status
        /// `status_code`, `http_status`: an HTTP status, failed from 400.
        case http
        /// `exit_code`, `returncode`: failed when not 0.
        case exit
    }

    private static let outcomeNames: [(String, OutcomeKind)] = [
        ("success", .flag), ("succeeded", .flag), ("successful", .flag), ("ok", .flag), ("passed", .flag), ("status", .status),
        ("status_code", .http), ("http_status", .http), ("http_status_code", .http), ("http_code", .http), ("exit_code", .exit),
        ("exit_status", .exit), ("returncode", .exit), ("return_code", .exit),
    ]

    /// Columns that hold a failed run's message, besides `error`: never a setting or a run's identity.
    static let errorColumns = ["error", "error_message", "err", "error_msg", "error_text", "exception", "failure_reason"]

    /// The longest outcome cell read (`cancelled`, `timed_out`, `200`).
    static let outcomeBytes = 16

    private static let succeeded: Set<String> = [
        "true", "yes", "y", "ok", "success", "succeeded", "successful", "pass", "passed", "complete", "completed", "done", "finished",
    ]
    private static let failed: Set<String> = [
        "false", "no", "n", "fail", "failed", "failure", "error", "errored", "timeout", "timed_out", "timedout", "aborted",
        "cancelled", "canceled", "killed", "crashed", "oom",
    ]

    /// The table's outcome column and how it says a run failed, if it has one.
    static func outcomeColumn<Table: Tabular>(in table: Table) throws(Table.Failure) -> (index: Int, kind: OutcomeKind)? {
        for (name, kind) in outcomeNames {
            guard let index = table.index(of: name) else { continue }
            guard kind == .status else { return (index, kind) }
            // A `status` holding anything else is no outcome: a setting, as any column.
            var known = true
            try table.forEachRow { row in
                if !row.isBlank(index), row.byteCount(index) > outcomeBytes || !isOutcome(row.string(index)) { known = false }
                return known
            }
            return known ? (index, kind) : nil
        }
        return nil
    }

    private static func isOutcome(_ text: String) -> Bool {
        let lower = text.trimmingBlanks().lowercased()
        if let code = Int(lower) { return code == 0 || (100...599).contains(code) }
        return succeeded.contains(lower) || failed.contains(lower)
    }

    /// Why the run whose outcome cell is `text` failed (`status_code 500`,
    /// `success: False`, `exit_code 1`), nil when it succeeded or the cell
    /// says neither (a value this reader does not know names no failure).
    static func failure(outcome text: String, kind: OutcomeKind, column name: String) -> String? {
        let value = text.trimmingBlanks()
        let lower = value.lowercased()
        switch kind {
        case .flag:
            if lower == "0" { return "\(name): \(value)" }
            return failed.contains(lower) ? "\(name): \(value)" : nil
        case .status:
            if let code = Int(lower) { return code >= 400 ? "\(name) \(code)" : nil }
            return failed.contains(lower) ? "\(name): \(value)" : nil
        case .http:
            guard let code = Int(lower), (100...599).contains(code) else { return nil }
            return code >= 400 ? "\(name) \(code)" : nil
        case .exit:
            guard let code = Int(lower) else { return nil }
            return code != 0 ? "\(name) \(code)" : nil
        }
    }
}
