import Records

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

    static let prefix = ReportNaming.prefix

    /// Whether `base` is a report's name without its ending (`ReportNaming`'s rule).
    package static func isBase(_ base: String) -> Bool { ReportNaming.isBase(base) }

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
