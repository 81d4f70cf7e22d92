import Records

/// The sessions of a run file a report read: each by its group as the file
/// names it (model and configuration), when it started and ended, and how
/// many runs it had. Stored with the report (`Store.SessionsRead.sessions`,
/// as `text`), so the next report over the same inputs knows a session it
/// has not read from one it has, whatever either is dated (see
/// `BackdatedSessions`).
///
/// A dated session is read when one of its group started at the same
/// millisecond and ended no earlier: a run appended to it moves its end
/// (a night written a run at a time is new again while it grows), while an
/// undated failure that joins it does not. An undated session is read when
/// it had as many runs.
///
///     let read = ReadSessions([.init(group: "m\u{1}num_ctx=2048", startedAt: 1_764_554_400, endedAt: 1_764_554_700, runs: 5)])
///     ReadSessions(text: read.text)?.holds(.init(group: "m\u{1}num_ctx=2048", startedAt: 1_764_554_400, endedAt: 1_764_554_700, runs: 5))   // true
package struct ReadSessions: Sendable, Equatable {
    package struct Entry: Sendable, Equatable {
        /// The group's key, as a stable 64-bit hash (a few bytes a session).
        var group: UInt64
        /// When the session started and ended, in whole milliseconds; nil when undated.
        var startedAt: Int64?
        var endedAt: Int64?
        var runs: Int

        package init(group: String, startedAt: Double?, endedAt: Double?, runs: Int) {
            self.init(
                group: ReadSessions.hash(group), startedAt: startedAt.flatMap(ReadSessions.milliseconds),
                endedAt: endedAt.flatMap(ReadSessions.milliseconds), runs: runs)
        }

        init(group: UInt64, startedAt: Int64?, endedAt: Int64?, runs: Int) {
            self.group = group
            self.startedAt = startedAt
            self.endedAt = endedAt
            self.runs = runs
        }
    }

    /// A file's latest dated sessions are kept, at most this many (a file of
    /// a thousand nights stores its latest); those left out count as read.
    package static let limit = 512

    private(set) var entries: [Entry]
    /// The latest start of the dated sessions left out for the limit: a
    /// session starting no later was read.
    private(set) var readUntil: Int64?
    /// The entries by group and start, for `holds`.
    private let byStart: [Start: Entry]

    private struct Start: Hashable {
        var group: UInt64
        var startedAt: Int64?
    }

    /// The sessions read; of the dated ones, the `limit` latest by start.
    package init(_ entries: [Entry]) {
        let dated = entries.filter { $0.startedAt != nil }.sorted { ($0.startedAt ?? 0) < ($1.startedAt ?? 0) }
        let dropped = dated.dropLast(ReadSessions.limit)
        readUntil = dropped.last?.startedAt
        self.entries = entries.filter { $0.startedAt == nil } + dated.suffix(ReadSessions.limit)
        byStart = ReadSessions.index(self.entries)
    }

    /// Of two entries of a group and start (a copy), the one read further.
    private static func index(_ entries: [Entry]) -> [Start: Entry] {
        Dictionary(entries.map { (Start(group: $0.group, startedAt: $0.startedAt), $0) }) { first, second in
            (first.endedAt ?? 0, first.runs) >= (second.endedAt ?? 0, second.runs) ? first : second
        }
    }

    /// Whether `session` was read (see the type's comment).
    package func holds(_ session: Entry) -> Bool {
        if let start = session.startedAt, let readUntil, start <= readUntil { return true }
        guard let read = byStart[Start(group: session.group, startedAt: session.startedAt)] else { return false }
        if session.startedAt != nil, let end = session.endedAt ?? session.startedAt, let readEnd = read.endedAt ?? read.startedAt {
            return readEnd >= end
        }
        return read.runs >= session.runs
    }

    /// As stored: `group,start,end,runs` a session (hexadecimal group, `-`
    /// for no time), separated by `;`, after `+<ms>;` when some were left out.
    package var text: String {
        func time(_ value: Int64?) -> String { value.map(String.init) ?? "-" }
        let listed = entries.map { "\(String($0.group, radix: 16)),\(time($0.startedAt)),\(time($0.endedAt)),\($0.runs)" }
        return ((readUntil.map { ["+\($0)"] } ?? []) + listed).joined(separator: ";")
    }

    /// The sessions `text` holds; nil when it is no such text (a store
    /// written otherwise: the file's sessions are then read by date alone).
    package init?(text: String) {
        var items = text.split(separator: ";")[...]
        readUntil = nil
        if let first = items.first, first.hasPrefix("+") {
            guard let until = Int64(first.dropFirst()) else { return nil }
            readUntil = until
            items = items.dropFirst()
        }
        var entries: [Entry] = []
        for item in items {
            let fields = item.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 4, let group = UInt64(fields[0], radix: 16), let runs = Int(fields[3]),
                let start = ReadSessions.time(fields[1]), let end = ReadSessions.time(fields[2])
            else { return nil }
            entries.append(Entry(group: group, startedAt: start, endedAt: end, runs: runs))
        }
        self.entries = entries
        byStart = ReadSessions.index(entries)
    }

    /// A stored time: `-` for none (`.some(nil)`), nil when unreadable.
    private static func time(_ field: Substring) -> Int64?? {
        if field == "-" { return .some(nil) }
        return Int64(field).map { .some($0) }
    }

    static func hash(_ group: String) -> UInt64 {
        var hash = StableHash()
        hash.add(group)
        return hash.low
    }

    static func milliseconds(_ seconds: Double) -> Int64? {
        let value = (seconds * 1000).rounded()
        return value.isFinite && abs(value) < 9e15 ? Int64(value) : nil
    }
}
