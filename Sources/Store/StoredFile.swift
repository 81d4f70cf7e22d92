import Records

/// What the registry knows of one file under one root.
package struct RegistryEntry: Sendable, Equatable {
    package enum Status: String, Sendable {
        case analyzed
        case skipped
        case deleted
    }

    package var root: String
    package var path: String
    package var device: UInt64
    package var inode: UInt64
    package var size: Int64
    package var modifiedNanoseconds: Int64
    /// When its content was last written, where a touch since moved its
    /// modification time (nil: `modifiedNanoseconds` is).
    package var dataModifiedNanoseconds: Int64?
    /// The time its sessions are dated by when their data gives none.
    package var contentModifiedNanoseconds: Int64 { dataModifiedNanoseconds ?? modifiedNanoseconds }
    package var contentHash: String?
    package var status: Status
    package var shape: Shape?
    /// Why the file is skipped, as reports word it (nil unless skipped).
    package var reason: String?
    /// What kind of reason that is: what stages decide on (nil without a reason).
    package var reasonCode: SkipCode?
    package var modelHint: String?
    /// The run groups the file's records hold, as ingest names them (model as
    /// the file gives it, or empty; then the configuration), one per line: lets
    /// a report tell which groups a changed file touches without reading it.
    /// A newline or backslash in a key is escaped (`\n`, `\\`): a model
    /// named across two lines was two keys, and its stored runs left out of
    /// the next report that reused the others' figures.
    package var groupKeysText: String = ""

    package var groupKeys: [String] {
        get { RegistryEntry.groupKeys(in: groupKeysText) }
        set { groupKeysText = newValue.map(RegistryEntry.escapedKey).joined(separator: "\n") }
    }

    /// The group keys a `groupKeysText` holds.
    package static func groupKeys(in text: String) -> [String] {
        // Split on bytes: a Character-wise split costs more than the rest of
        // reading a registry row.
        guard !text.isEmpty else { return [] }
        return text.utf8.split(separator: UInt8(ascii: "\n")).map { line in
            line.contains(UInt8(ascii: "\\")) ? RegistryEntry.unescapedKey(line) : String(Substring(line))
        }
    }

    /// A group key as one line of `groupKeysText`.
    static func escapedKey(_ key: String) -> String {
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\\") }) else { return key }
        // By bytes: `\r\n` is one Character, whose `\n` a Character-wise replace never sees.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(key.utf8.count + 8)
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "\n"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The key a line of `groupKeysText` stands for.
    static func unescapedKey(_ line: Substring.UTF8View) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(line.count)
        var escaping = false
        for byte in line {
            if escaping {
                bytes.append(byte == UInt8(ascii: "n") ? UInt8(ascii: "\n") : byte)
                escaping = false
            } else if byte == UInt8(ascii: "\\") {
                escaping = true
            } else {
                bytes.append(byte)
            }
        }
        if escaping { bytes.append(UInt8(ascii: "\\")) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The parser revision that produced the records; older ones are re-parsed.
    package var parserVersion: Int
    /// The store sequence at which this file's content or status last changed.
    package var changedSequence: Int64
    /// The store sequence at which the file was first seen (or seen again after a delete).
    package var createdSequence: Int64
    /// The end of the file's latest session (seconds since 1970) when a report
    /// last read it: its sessions ending later are new. Nil until a report has.
    package var reportedUntil: Double?
    /// The inputs of that report (`Store.scopeKey`): reports over other inputs ignore the marker.
    package var reportedScope: Int64?
    /// The sessions of a run file that report read, as the analysis wrote
    /// them (`ReadSessions.text`): a night appended with an earlier date is
    /// new all the same. Nil until a report has, and again when the file is
    /// read anew other than appended to (its content as it was, rewritten,
    /// or by another parser: its sessions may be cut or keyed otherwise, and
    /// every night read would pass for a new one).
    package var reportedSessions: String?
    /// Set by ingest, never stored: the content replaced an analysed one
    /// that it does not begin with (the tool's next run rewrote the file,
    /// rather than appended to it), so the store keeps the earlier version.
    package var rewritesAnalysedContent = false
    /// Set by ingest, never stored: of a log of appended undated runs
    /// (`Shape.appendsUndatedRuns`), the content begins with the analysed
    /// one it replaced, so that version's runs are all still in the file.
    package var appendsToAnalysedContent = false

    package init(
        root: String, path: String, device: UInt64, inode: UInt64, size: Int64, modifiedNanoseconds: Int64,
        contentHash: String?, status: Status, shape: Shape?, reason: String?, reasonCode: SkipCode?, modelHint: String?,
        parserVersion: Int, changedSequence: Int64, createdSequence: Int64 = 0, groupKeysText: String = "",
        reportedUntil: Double? = nil, reportedScope: Int64? = nil, dataModifiedNanoseconds: Int64? = nil, reportedSessions: String? = nil
    ) {
        self.dataModifiedNanoseconds = dataModifiedNanoseconds
        self.root = root
        self.path = path
        self.device = device
        self.inode = inode
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
        self.contentHash = contentHash
        self.status = status
        self.shape = shape
        self.reason = reason
        self.reasonCode = reasonCode
        self.modelHint = modelHint
        self.parserVersion = parserVersion
        self.changedSequence = changedSequence
        self.createdSequence = createdSequence
        self.groupKeysText = groupKeysText
        self.reportedUntil = reportedUntil
        self.reportedScope = reportedScope
        self.reportedSessions = reportedSessions
    }
}

/// One change to write to the registry.
package enum RegistryChange: Sendable {
    /// The file was (re-)read: the digest analysis made of its records
    /// (opaque to the store), or a new skip reason.
    case ingested(RegistryEntry, digest: [UInt8]?)
    /// Only its stat identity moved (touched, same content): no re-parse, no report change.
    case restatted(root: String, path: String, device: UInt64, inode: UInt64, size: Int64, modifiedNanoseconds: Int64)
    /// It is gone from its root.
    case deleted(root: String, path: String)
    /// It moved within its root (a folder with everything under it, when
    /// `isFolder`): the entry keeps its records and history under the new path,
    /// and whatever the registry had at the new path is replaced.
    case renamed(root: String, from: String, to: String, isFolder: Bool)
}

/// A report as the store remembers it, for "what changed" in the next one.
package struct ReportRecord: Sendable, Equatable {
    package var generatedAt: String
    package var trigger: String
    package var markdownPath: String
    package var jsonPath: String
    /// The store sequence the report saw: files changed after it are "changed since".
    package var sequence: Int64
    /// The roots the report covered, joined by newlines.
    package var roots: [String]
    /// A compact JSON digest of the report's figures, compared by the next report.
    package var digest: String

    package init(
        generatedAt: String, trigger: String, markdownPath: String, jsonPath: String, sequence: Int64,
        roots: [String], digest: String
    ) {
        self.generatedAt = generatedAt
        self.trigger = trigger
        self.markdownPath = markdownPath
        self.jsonPath = jsonPath
        self.sequence = sequence
        self.roots = roots
        self.digest = digest
    }
}
