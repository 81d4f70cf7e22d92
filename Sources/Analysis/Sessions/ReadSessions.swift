import Records

/// The sessions of a run file a report read: each by its group (model and
/// configuration), when it started and how many runs it had. Stored with
/// the report (`Store.SessionsRead.sessions`, as `text`), so the next report
/// over the same inputs knows a session it has not read from one it has,
/// whatever either is dated (see `BackdatedSessions`).
///
///     let read = ReadSessions([.init(group: "m | num_ctx=2048", startedAt: 1_764_554_400, runs: 5)])
///     ReadSessions(text: read.text)?.holds(group: "m | num_ctx=2048", startedAt: 1_764_554_400, runs: 5)   // true
package struct ReadSessions: Sendable, Equatable {
    package struct Entry: Sendable, Equatable {
        /// The group's key, as a stable 64-bit hash (a few bytes a session).
        var group: UInt64
        /// When the session started, in whole milliseconds; nil when undated.
        var startedAt: Int64?
        var runs: Int

        package init(group: String, startedAt: Double?, runs: Int) {
            self.group = ReadSessions.hash(group)
            self.startedAt = startedAt.flatMap(ReadSessions.milliseconds)
            self.runs = runs
        }

        init(group: UInt64, startedAt: Int64?, runs: Int) {
            self.group = group
            self.startedAt = startedAt
            self.runs = runs
        }
    }

    /// A file's latest sessions are kept, at most this many (a file of a
    /// thousand nights stores its latest); older ones count as read.
    package static let limit = 512

    private(set) var entries: [Entry]
    /// Whether sessions were left out for the limit: those starting before
    /// the earliest kept were read.
    private(set) var isTruncated: Bool

    /// The sessions read, the latest `limit` of them when there are more
    /// (`entries` in the order they ended).
    package init(_ entries: [Entry]) {
        self.entries = Array(entries.suffix(ReadSessions.limit))
        isTruncated = entries.count > ReadSessions.limit
    }

    /// Whether the session was read with at least `runs` runs: a session
    /// that grew since (a night appended a run at a time) is new again.
    package func holds(group: String, startedAt: Double?, runs: Int) -> Bool {
        let key = ReadSessions.hash(group)
        let start = startedAt.flatMap(ReadSessions.milliseconds)
        if isTruncated, let start, let earliest = entries.compactMap(\.startedAt).min(), start < earliest { return true }
        return entries.contains { $0.group == key && $0.startedAt == start && $0.runs >= runs }
    }

    /// As stored: `group,start,runs` a session (hexadecimal group, `-` for
    /// no start), separated by `;`, with a leading `+` when truncated.
    package var text: String {
        (isTruncated ? "+" : "")
            + entries.map { "\(String($0.group, radix: 16)),\($0.startedAt.map(String.init) ?? "-"),\($0.runs)" }
            .joined(separator: ";")
    }

    /// The sessions `text` holds; nil when it is no such text (a store
    /// written otherwise: the file's sessions are then read by date alone).
    package init?(text: String) {
        var body = Substring(text)
        isTruncated = body.first == "+"
        if isTruncated { body = body.dropFirst() }
        var entries: [Entry] = []
        for item in body.split(separator: ";") {
            let fields = item.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 3, let group = UInt64(fields[0], radix: 16), let runs = Int(fields[2]) else { return nil }
            let start: Int64?
            if fields[1] == "-" {
                start = nil
            } else if let value = Int64(fields[1]) {
                start = value
            } else {
                return nil
            }
            entries.append(Entry(group: group, startedAt: start, runs: runs))
        }
        self.entries = entries
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
