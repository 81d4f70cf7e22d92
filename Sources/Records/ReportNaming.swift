/// The names chimerad gives its reports,
/// `chimera-report-<YYYYMMDDTHHMMSSZ>[-N].<md|json|html>` (`-2`, `-3`, ...
/// for a second report in the same second): one rule for the writer that
/// makes them, the ingest that skips them when an output folder is moved
/// under a watched one, and the server that serves them.
///
///     ReportNaming.isBase("chimera-report-20261206T101500Z-2")      // true
///     ReportNaming.isFileName("chimera-report-20261206T101500Z.md")  // true
///     ReportNaming.isFileName("chimera-report-latest.md")            // false
package enum ReportNaming {
    package static let prefix = "chimera-report-"
    /// The endings of a report's files, without the dot.
    package static let endings = ["md", "json", "html"]

    /// Whether `base` is a report's name without its ending: the prefix, a
    /// UTC stamp, and an optional `-N` (N from 2, at most 7 digits).
    /// Checked byte by byte, so a name that passes is a plain file name.
    package static func isBase(_ base: some StringProtocol) -> Bool {
        let bytes = Array(base.utf8)
        let prefixBytes = Array(prefix.utf8)
        guard bytes.starts(with: prefixBytes) else { return false }
        let rest = bytes[prefixBytes.count...]
        let start = rest.startIndex
        guard rest.count >= 16, rest.count <= 24 else { return false }
        func digits(_ range: Range<Int>) -> Bool {
            rest[(start + range.lowerBound)..<(start + range.upperBound)].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
        guard digits(0..<8), rest[start + 8] == UInt8(ascii: "T"), digits(9..<15), rest[start + 15] == UInt8(ascii: "Z") else {
            return false
        }
        if rest.count == 16 { return true }
        // `-1` is never written: the first report of a second has no suffix.
        return rest.count >= 18 && rest[start + 16] == UInt8(ascii: "-") && rest[start + 17] != UInt8(ascii: "0")
            && !(rest.count == 18 && rest[start + 17] == UInt8(ascii: "1")) && digits(17..<rest.count)
    }

    /// Whether `name` (a file's name, no folder) is one of a report's files.
    package static func isFileName(_ name: some StringProtocol) -> Bool {
        guard let dot = name.lastIndex(of: "."), endings.contains(String(name[name.index(after: dot)...])) else { return false }
        return isBase(name[..<dot])
    }
}
