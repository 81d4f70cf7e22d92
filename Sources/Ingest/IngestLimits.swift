/// The ceilings that make what one file costs in memory independent of what
/// it holds (README, "Memory").
///
/// Memory used to follow parse cost: a 200 MiB CSV of two-byte numbers took
/// 4.9 GiB, one 50 MiB model name 1.5 GiB and a 350 MB report. Files are now
/// read a row at a time, and what a file leaves behind, its records, has a
/// ceiling whatever the file. Reaching one is never silent: the file's notes
/// say what was cut or left unread, and why.
package enum IngestLimits {
    /// The longest text kept from one cell, string or key (model names,
    /// parameter values, error messages), in UTF-8 bytes. Texts end up in
    /// reports, once per table that names them: a 50 MiB name wrote a 350 MB
    /// report. Longer texts keep their first 4 KiB and end with "…".
    package static let maximumTextBytes = 4096

    /// The most numbers one file's records keep: 2,000,000, 16 MiB as
    /// `Double`s (a run keeps eight, so 250,000 runs). Records are about
    /// four times that while they are encoded and stored.
    package static let maximumNumbers = 2_000_000

    /// The most text one file's records keep, all texts together (model
    /// names, parameter names and values, error messages; each counted with a
    /// string's own 16 bytes). A report repeats a configuration's text in
    /// several sections: a sweep of 4,000 configurations of 4 KiB each (16 MiB)
    /// made a 120 MB report and took 535 MiB to write it.
    package static let maximumTextTotalBytes = 4 << 20

    /// The most entries of one file: distinct run configurations, aggregate
    /// rows, llama-bench results, measurements. Each is a line of the report;
    /// a real file has tens of them.
    package static let maximumEntries = 10_000

    /// The most a UTF-16 file and its UTF-8 transcoding may take together.
    /// Both are in memory while it is transcoded; a 256 MiB file of mostly
    /// ASCII text fits (256 + 128 MiB), one of mostly CJK text (256 + 384) does not.
    package static let maximumTranscodingBytes = 384 << 20

    /// How a byte count reads in a note: `900 bytes`, `4 KiB`, `4.9 KiB`, `50 MiB`.
    static func size(_ bytes: Int) -> String {
        if bytes < 1 << 10 { return "\(bytes) bytes" }
        let (value, unit) = bytes < 1 << 20 ? (Double(bytes) / 1024, "KiB") : (Double(bytes) / 1_048_576, "MiB")
        if value == value.rounded(.down) { return "\(Int(value)) \(unit)" }
        return value < 10 ? "\((value * 10).rounded() / 10) \(unit)" : "\(Int(value.rounded())) \(unit)"
    }

    /// `2,000,000`.
    static func count(_ value: Int) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}
