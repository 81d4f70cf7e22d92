/// When a run was measured, from the text a benchmark wrote: seconds since
/// 1970-01-01 UTC.
///
/// Sessions are cut and ordered by these times, and a large tree has one per
/// run (half a million): they are read from the bytes, without `String`,
/// `DateFormatter` or `ISO8601DateFormatter` (each far slower than the rest of
/// a row). Accepted:
///
/// - ISO 8601 / RFC 3339: `2025-10-08T16:27:01.263350+00:00`,
///   `2025-09-30T20:11:33`, `2025-09-30 20:11:33Z`, `2025-09-30T20:11:33+0200`,
///   `2025-09-30T20:11` and a bare `2025-09-30` (midnight);
/// - a number of seconds since the epoch (`1728400021.5`), or of milliseconds,
///   microseconds or nanoseconds (told apart by magnitude: a plausible date in
///   seconds is below 10^11).
///
/// A time without an offset is taken as UTC: benchmark scripts write local
/// time without saying so, and what matters here is the order of runs and the
/// gaps between them on one machine, which a fixed offset does not change.
///
///     TimestampParsing.secondsSinceEpoch("2025-09-30T20:11:33Z")  // 1759263093
enum TimestampParsing {
    /// Earliest and latest accepted times (1990 to 2100): a small integer in a
    /// `time` column (a duration, an index) is no date.
    static let earliest = 631_152_000.0
    static let latest = 4_102_444_800.0

    static func secondsSinceEpoch(_ text: String) -> Double? {
        var copy = text
        return copy.withUTF8 { secondsSinceEpoch($0) }
    }

    static func secondsSinceEpoch(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0D { end -= 1 }
        guard end - start >= 4 else { return nil }
        let value: Double?
        if end - start >= 10, bytes[start + 4] == UInt8(ascii: "-") {
            value = iso8601(bytes, start, end)
        } else {
            value = NumberParsing.double(UnsafeBufferPointer(rebasing: bytes[start..<end])).flatMap(epochNumber)
        }
        guard let value, value >= earliest, value <= latest else { return nil }
        return value
    }

    /// When a benchmark tool says its file's results were measured: ISO 8601
    /// or seconds (`secondsSinceEpoch`), or the tools' own forms, local times
    /// without an offset taken as UTC: vLLM's `20261116-020000`, Google
    /// Benchmark's `2026/12/01-10:00:00` and `12/01/26 10:00:00`. Kept apart
    /// from `secondsSinceEpoch`, which reads every run's time: a run table's
    /// `11/19/26` stays no date there, as before.
    static func toolDate(_ text: String) -> Double? {
        if let seconds = secondsSinceEpoch(text) { return seconds }
        let parts = text.split(whereSeparator: { "/- :".contains($0) }).map(String.init)
        guard parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        let civil: [String]
        switch parts.count {
        case 2 where parts[0].count == 8 && parts[1].count == 6:
            // `YYYYMMDD-HHMMSS`
            let (date, time) = (Array(parts[0]), Array(parts[1]))
            civil = [String(date[0..<4]), String(date[4..<6]), String(date[6..<8]), String(time[0..<2]), String(time[2..<4]), String(time[4..<6])]
        case 6 where parts[0].count == 4:
            civil = parts
        case 6:
            // `MM/DD/YY HH:MM:SS`
            civil = ["20" + parts[2], parts[0], parts[1]] + parts[3...]
        default:
            return nil
        }
        guard civil[0].count == 4, civil.dropFirst().allSatisfy({ $0.count == 2 }) else { return nil }
        return secondsSinceEpoch("\(civil[0])-\(civil[1])-\(civil[2])T\(civil[3]):\(civil[4]):\(civil[5])")
    }

    /// C's `ctime` form, `Thu Dec  3 02:00:01 2026` (perf stat's `# started
    /// on` line), a local time taken as UTC as `toolDate`'s are. English
    /// whatever the locale: `ctime` is not localised.
    static func ctime(_ text: String) -> Double? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count == 5, let month = ctimeMonths.firstIndex(of: String(words[1])), let day = Int(words[2]), let year = Int(words[4]),
            (1...daysIn(month: month + 1, year: year)).contains(day), let time = timeOfDay(String(words[3])), words[3].count == 8
        else { return nil }
        let seconds = Double(daysSinceEpoch(year: year, month: month + 1, day: day) * 86_400) + time
        return (earliest...latest).contains(seconds) ? seconds : nil
    }

    private static let ctimeMonths = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// A time of day, `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fff`, in seconds after
    /// midnight: the half of a spreadsheet's split `date` and `time` columns.
    static func timeOfDay(_ text: String) -> Double? {
        let parts = text.trimmingBlanks().split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts[0].count <= 2, parts[1].count == 2,
            let hours = Int(parts[0]), let minutes = Int(parts[1]), (0..<24).contains(hours), (0..<60).contains(minutes)
        else { return nil }
        var seconds = 0.0
        if parts.count == 3 {
            guard parts[2].count >= 2, parts[2].first?.isNumber == true, let value = Double(parts[2]), value >= 0, value < 61 else {
                return nil
            }
            seconds = value
        }
        return Double(hours * 3600 + minutes * 60) + seconds
    }

    /// A JSON number: seconds, or a finer unit told by its magnitude.
    static func epochNumber(_ number: Double) -> Double? {
        guard number.isFinite, number > 0 else { return nil }
        var seconds = number
        while seconds >= 1e11 { seconds /= 1000 }
        return seconds
    }

    private static func iso8601(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var at = start
        func digits(_ count: Int) -> Int? {
            guard at + count <= end else { return nil }
            var value = 0
            for index in at..<(at + count) {
                let digit = Int(b[index]) - 48
                guard digit >= 0, digit <= 9 else { return nil }
                value = value * 10 + digit
            }
            at += count
            return value
        }
        func expect(_ byte: Character) -> Bool {
            guard at < end, b[at] == byte.asciiValue else { return false }
            at += 1
            return true
        }
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        var seconds = Double(daysSinceEpoch(year: year, month: month, day: day)) * 86_400
        guard at < end else { return seconds }
        guard b[at] == UInt8(ascii: "T") || b[at] == UInt8(ascii: "t") || b[at] == 0x20 else { return nil }
        at += 1
        guard let hour = digits(2), expect(":"), let minute = digits(2), hour <= 23, minute <= 59 else { return nil }
        seconds += Double(hour * 3600 + minute * 60)
        if expect(":") {
            // 60 is a leap second: it is one second later, as every library reads it.
            guard let second = digits(2), second <= 60 else { return nil }
            seconds += Double(second)
            if at < end, b[at] == UInt8(ascii: ".") || b[at] == UInt8(ascii: ",") {
                at += 1
                var scale = 0.1
                var fraction = 0.0
                let first = at
                while at < end, b[at] >= 48, b[at] <= 57 {
                    fraction += Double(b[at] - 48) * scale
                    scale /= 10
                    at += 1
                }
                guard at > first else { return nil }
                seconds += fraction
            }
        }
        guard at < end else { return seconds }
        if b[at] == UInt8(ascii: "Z") || b[at] == UInt8(ascii: "z") {
            return at + 1 == end ? seconds : nil
        }
        guard b[at] == UInt8(ascii: "+") || b[at] == UInt8(ascii: "-") else { return nil }
        let sign: Double = b[at] == UInt8(ascii: "+") ? 1 : -1
        at += 1
        guard let offsetHours = digits(2), offsetHours <= 23 else { return nil }
        var offsetMinutes = 0
        if at < end {
            _ = expect(":")
            guard let minutes = digits(2), minutes <= 59 else { return nil }
            offsetMinutes = minutes
        }
        guard at == end else { return nil }
        // The local time is ahead of UTC by the offset.
        return seconds - sign * Double(offsetHours * 3600 + offsetMinutes * 60)
    }

    private static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar:
    /// whole 400-year eras of 146,097 days, then the day within the era, with
    /// years counted from March so that February's length comes last.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthFromMarch = (month + 9) % 12
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
