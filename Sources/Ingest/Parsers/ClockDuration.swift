/// An elapsed time written as a clock: GNU time's `%E` (`0:01.23`,
/// `1:02:03`), a spreadsheet's `m:ss.00`, a build log's `12:04.5`.
///
/// Read in seconds. A cell of this form could also be a time of day
/// (`12:30`, `01:02:03`, `09:15:02.117`), so the caller decides from the
/// column (a header that names a duration, or `m:ss.ff` cells, GNU time's
/// under an hour, in a column not named as a moment) whether it holds
/// durations; `hasFraction` and `hasHours` tell it which kind a cell was.
///
///     ClockDuration("1:02.50")  // seconds 62.5, hasFraction true
///     ClockDuration("1:02:03")  // seconds 3723, hasFraction false
///     ClockDuration("1:75")     // nil: seconds past 59
struct ClockDuration: Equatable {
    var seconds: Double
    var hasFraction: Bool
    /// Written `h:mm:ss`: as a time of day is, fraction or not.
    var hasHours: Bool

    /// The longest cell looked at (`99999:59:59.999999` and a little room).
    static let maximumBytes = 24

    init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8.prefix(ClockDuration.maximumBytes + 1))
        guard bytes.count <= ClockDuration.maximumBytes else { return nil }
        // Blanks around the cell are the file's layout, not the value.
        let trimmed = bytes.drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }.reversed()
        let parts = Array(trimmed).split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return nil }
        // The last part is seconds, with an optional fraction after a point.
        let last = parts[parts.count - 1]
        let point = last.firstIndex(of: UInt8(ascii: "."))
        let whole = point.map { last[..<$0] } ?? last[...]
        let fraction = point.map { last[last.index(after: $0)...] }
        guard whole.count == 2, let wholeSeconds = ClockDuration.digits(whole), wholeSeconds < 60 else { return nil }
        if let fraction, fraction.isEmpty || !fraction.allSatisfy(ClockDuration.isDigit) { return nil }
        var seconds = Double(wholeSeconds)
        if let fraction, let value = Double("0." + String(decoding: fraction, as: UTF8.self)) { seconds += value }
        if parts.count == 3 {
            // h:mm:ss: the minutes have two digits and stay under an hour.
            guard parts[1].count == 2, let minutes = ClockDuration.digits(parts[1]), minutes < 60,
                let hours = ClockDuration.digits(parts[0])
            else { return nil }
            seconds += Double(minutes) * 60 + Double(hours) * 3600
        } else {
            guard let minutes = ClockDuration.digits(parts[0]) else { return nil }
            seconds += Double(minutes) * 60
        }
        self.seconds = seconds
        self.hasFraction = fraction != nil
        self.hasHours = parts.count == 3
    }

    /// Whether a column named `header` holds elapsed times, by its name:
    /// `elapsed`, `wall_time`, `duration`, `real`, ... (a bare `time` may be
    /// either, so it says nothing).
    static func namesDuration(_ header: String) -> Bool {
        header.lowercased().split { !$0.isLetter }.contains { durations.contains(String($0)) } && !namesMoment(header)
    }

    /// Whether a column named `header` holds moments (`start_time`, `end`,
    /// `timestamp`, `date`): its clock values are times of day, whatever
    /// their digits.
    static func namesMoment(_ header: String) -> Bool {
        header.lowercased().split { !$0.isLetter }.contains { moments.contains(String($0)) }
    }

    private static let durations: Set<String> = [
        "elapsed", "duration", "wall", "walltime", "real", "runtime", "took", "build", "compile",
    ]
    private static let moments: Set<String> = [
        "start", "started", "end", "ended", "finish", "finished", "stamp", "timestamp", "ts", "when", "date", "at", "of", "day",
    ]

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// A run of 1 to 6 ASCII digits as a number.
    private static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard (1...6).contains(bytes.count), bytes.allSatisfy(isDigit) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }
}
