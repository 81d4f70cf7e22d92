/// The name of a report file as the writer publishes it,
/// `chimera-report-YYYYMMDDTHHMMSSZ[-N].{md,json,html}`: checked byte by
/// byte, so a name that passes is a plain file name in the output folder.
package struct ReportFileName: Sendable, Hashable, Comparable {
    package enum Kind: String, Sendable, CaseIterable {
        case markdown = "md"
        case json
        case html

        /// The `Content-Type` the file is served with.
        package var contentType: String {
            switch self {
            case .markdown: "text/markdown; charset=utf-8"
            case .json: "application/json"
            case .html: "text/html; charset=utf-8"
            }
        }
    }

    /// `chimera-report-20261202T120000Z-2`.
    package let base: String
    package let kind: Kind
    package var text: String { base + "." + kind.rawValue }

    package init?(_ name: String) {
        guard let dot = name.lastIndex(of: "."), let kind = Kind(rawValue: String(name[name.index(after: dot)...])) else { return nil }
        let base = String(name[..<dot])
        guard ReportFileName.isBase(base) else { return nil }
        self.base = base
        self.kind = kind
    }

    init(base: String, kind: Kind) {
        self.base = base
        self.kind = kind
    }

    static let prefix = "chimera-report-"

    /// Whether `base` is a report's name without its ending: the prefix, a
    /// UTC stamp `YYYYMMDDTHHMMSSZ`, and an optional `-N` for a second report
    /// in one second.
    package static func isBase(_ base: String) -> Bool {
        guard base.hasPrefix(prefix) else { return false }
        let rest = Array(base.utf8.dropFirst(prefix.utf8.count))
        guard rest.count >= 16, rest.count <= 24 else { return false }
        let digits = { (range: Range<Int>) in rest[range].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }
        guard digits(0..<8), rest[8] == UInt8(ascii: "T"), digits(9..<15), rest[15] == UInt8(ascii: "Z") else { return false }
        if rest.count == 16 { return true }
        return rest.count >= 18 && rest[16] == UInt8(ascii: "-") && rest[17] != UInt8(ascii: "0") && digits(17..<rest.count)
    }

    /// The suffix of a second report in one second (`-2`), else 1.
    var sequence: Int {
        guard let dash = base.dropFirst(ReportFileName.prefix.count).firstIndex(of: "-") else { return 1 }
        return Int(base[base.index(after: dash)...]) ?? 1
    }

    /// Older first: by time stamp, then by suffix (`…Z` before `…Z-2`).
    package static func < (lhs: ReportFileName, rhs: ReportFileName) -> Bool {
        let stamp = { (name: ReportFileName) in name.base.prefix(ReportFileName.prefix.count + 16) }
        return (stamp(lhs), lhs.sequence, lhs.kind.rawValue) < (stamp(rhs), rhs.sequence, rhs.kind.rawValue)
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
