import Records

/// What one file's records may still take (`IngestLimits`). Formats spend it
/// as they keep numbers, texts and entries, and stop reading once it is gone;
/// the note says where.
struct RecordBudget {
    private(set) var numbers = 0
    private(set) var textBytes = 0
    private(set) var entries = 0
    /// Where reading stopped, once the budget ran out.
    private(set) var stoppedAt: String?

    /// Whether another row (or entry) may be read. When not, remembers
    /// `place` (`line 77003`, `benchmark 10001`) for the note.
    mutating func admits(_ place: @autoclosure () -> String) -> Bool {
        guard numbers < IngestLimits.maximumNumbers, textBytes < IngestLimits.maximumTextTotalBytes,
            entries < IngestLimits.maximumEntries
        else {
            if stoppedAt == nil { stoppedAt = place() }
            return false
        }
        return true
    }

    /// Numbers still to be had; a list in one cell is read up to it.
    var numbersLeft: Int { max(0, IngestLimits.maximumNumbers - numbers) }

    mutating func spend(numbers count: Int) {
        numbers += count
    }

    mutating func spend(entries count: Int) {
        entries += count
    }

    /// Counts a kept text: its bytes and a string's own 16.
    mutating func spend(text: String?) {
        if let text { textBytes += text.utf8.count + 16 }
    }

    /// Counts a configuration: names too, since each set's is written out
    /// whole in reports, though the names are shared with the header.
    mutating func spend(_ parameters: [Parameter]) {
        for parameter in parameters {
            spend(text: parameter.name)
            spend(text: parameter.value)
        }
    }

    /// `reading stopped at line 77003: a file's records hold at most ...`, once it ran out.
    var note: String? {
        stoppedAt.map {
            "reading stopped at \($0): a file's records hold at most \(IngestLimits.count(IngestLimits.maximumNumbers)) numbers, "
                + "\(IngestLimits.count(IngestLimits.maximumEntries)) entries and \(IngestLimits.size(IngestLimits.maximumTextTotalBytes)) of text (README, \"Memory\")"
        }
    }
}
