/// A run's outcome in a column of its own, as harnesses write it beside or
/// instead of an error message: `success` True/False, `ok` true/false,
/// `status` ok/failed, `status_code` 200/500. Such a column was a setting:
/// the failed runs were successes of a configuration `success=False`.
extension RunTableFormat {
    /// Lower-cased names of the columns read as a run's outcome (never a setting).
    static let outcomeColumns = [
        "success", "succeeded", "successful", "ok", "passed", "status", "status_code", "http_status", "http_status_code", "http_code",
    ]

    /// Columns that hold a failed run's message, besides `error`: never a setting or a run's identity.
    static let errorColumns = ["error", "error_message", "err", "error_msg", "error_text", "exception", "failure_reason"]

    /// The longest outcome cell read (`cancelled`, `timed_out`, `200`).
    static let outcomeBytes = 16

    private static let succeeded: Set<String> = [
        "true", "yes", "y", "1", "ok", "success", "succeeded", "successful", "pass", "passed", "complete", "completed", "done", "finished",
    ]
    private static let failed: Set<String> = [
        "false", "no", "n", "0", "fail", "failed", "failure", "error", "errored", "timeout", "timed_out", "timedout", "aborted",
        "cancelled", "canceled", "killed", "crashed", "oom",
    ]

    /// Why the run whose outcome cell is `text` failed (`status_code 500`,
    /// `success: False`), nil when it succeeded or the cell says neither (a
    /// status this reader does not know is no failure it can name).
    static func failure(outcome text: String, column name: String) -> String? {
        let value = text.trimmingBlanks()
        let lower = value.lowercased()
        // An HTTP status in a status column: 2xx and 3xx went through.
        if name.contains("status") || name.contains("code"), let code = Int(lower), (100...599).contains(code) {
            return code < 400 ? nil : "\(name) \(code)"
        }
        if succeeded.contains(lower) { return nil }
        return failed.contains(lower) ? "\(name): \(value)" : nil
    }
}
