/// The line of an error text that says what went wrong, for a table cell and
/// for grouping failures: the same exception raised from two places is one
/// failure.
///
///     ErrorText.cause("Traceback (most recent call last):\n  File \"x.py\", line 3, in <module>\n    f()\nRuntimeError: CUDA out of memory")
///     // "RuntimeError: CUDA out of memory"
enum ErrorText {
    /// A Python traceback gives it after its last frame (`  File "...", line
    /// 3, in <module>` and the indented source line under it): the first line
    /// there that is not indented, before any hints torch prints after it; a
    /// traceback cut to its last lines gives its last line. Any other text
    /// starts with it.
    static func cause(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard let first = lines.first(where: { !$0.trimmingBlanks().isEmpty }) else { return "" }
        guard first.trimmingBlanks().hasPrefix("Traceback (most recent call last)") else { return first.trimmingBlanks() }
        if let lastFrame = lines.lastIndex(where: { $0.hasPrefix("  File \"") }),
            let exception = lines[(lastFrame + 1)...].first(where: { !$0.isEmpty && !$0.hasPrefix(" ") && !$0.hasPrefix("\t") })
        {
            return exception.trimmingBlanks()
        }
        return lines.last(where: { !$0.trimmingBlanks().isEmpty }).map { $0.trimmingBlanks() } ?? first.trimmingBlanks()
    }
}
