import GRDB
import Records

/// A registry column, as the `file` table names it.
enum RegistryColumn: Int, CaseIterable {
    case root, path, device, inode, size, modifiedNanoseconds, contentHash, status, shape, reason
    case modelHint, parserVersion, changedSequence, createdSequence, groupKeys, reasonCode, reportedUntil, reportedScope
    case dataModifiedNanoseconds, reportedSessions

    var name: String {
        switch self {
        case .root: "root"
        case .path: "path"
        case .device: "device"
        case .inode: "inode"
        case .size: "size"
        case .modifiedNanoseconds: "mtime_ns"
        case .contentHash: "content_hash"
        case .status: "status"
        case .shape: "shape"
        case .reason: "reason"
        case .modelHint: "model_hint"
        case .parserVersion: "parser_version"
        case .changedSequence: "changed_seq"
        case .createdSequence: "created_seq"
        case .groupKeys: "group_keys"
        case .reasonCode: "reason_code"
        case .reportedUntil: "reported_until"
        case .reportedScope: "reported_scope"
        case .dataModifiedNanoseconds: "data_mtime_ns"
        case .reportedSessions: "reported_sessions"
        }
    }
}

/// Which registry columns a query selects, and where each lands in its rows.
///
/// Rows are read by position (a name lookup per column per row adds up over a
/// large tree), and the positions come from the same list as the query's
/// column list, so the two cannot drift apart.
struct RegistryColumns {
    let columns: [RegistryColumn]
    private let positions: [Int?]

    init(_ columns: [RegistryColumn]) {
        self.columns = columns
        var positions = [Int?](repeating: nil, count: RegistryColumn.allCases.count)
        for (position, column) in columns.enumerated() { positions[column.rawValue] = position }
        self.positions = positions
    }

    /// Every column.
    static let all = RegistryColumns(RegistryColumn.allCases)
    /// Without the root (known from the query) and the content hash (wanted
    /// only for files whose size or mtime moved): what a pass over thousands
    /// of unchanged files needs.
    static let light = RegistryColumns(RegistryColumn.allCases.filter { $0 != .root && $0 != .contentHash })

    /// The column list for a `SELECT`, qualified by `alias` when given (for joins).
    func sql(alias: String? = nil) -> String {
        columns.map { (alias.map { $0 + "." } ?? "") + $0.name }.joined(separator: ", ")
    }

    /// Where the first column after these sits (a joined table's).
    var next: Int { columns.count }

    /// The entry a row holds; `root` stands in when the root is not selected,
    /// and the content hash is nil when it is not.
    func entry(_ row: Row, root: String = "") -> RegistryEntry {
        // Read straight from the statement (GRDB's StatementColumnConvertible
        // path): the generic path looked up type metadata for every value, a
        // tenth of a one-changed-file report on a 2,000-file tree.
        func value<T: DatabaseValueConvertible & StatementColumnConvertible>(_ column: RegistryColumn) -> T? {
            positions[column.rawValue].flatMap { row[$0] as T? }
        }
        let reason: String? = value(.reason)
        return RegistryEntry(
            root: value(.root) ?? root, path: value(.path) ?? "",
            device: UInt64(bitPattern: value(.device) ?? 0), inode: UInt64(bitPattern: value(.inode) ?? 0),
            size: value(.size) ?? 0, modifiedNanoseconds: value(.modifiedNanoseconds) ?? 0, contentHash: value(.contentHash),
            status: (value(.status) as String?).flatMap(RegistryEntry.Status.init(rawValue:)) ?? .skipped,
            shape: (value(.shape) as String?).flatMap(Shape.init(rawValue:)), reason: reason,
            reasonCode: reason == nil ? nil : SkipCode(stored: value(.reasonCode)), modelHint: value(.modelHint),
            parserVersion: value(.parserVersion) ?? 0, changedSequence: value(.changedSequence) ?? 0,
            createdSequence: value(.createdSequence) ?? 0, groupKeysText: value(.groupKeys) ?? "",
            reportedUntil: (value(.reportedUntil) as Int64?).map { Double($0) / 1000 }, reportedScope: value(.reportedScope),
            dataModifiedNanoseconds: value(.dataModifiedNanoseconds), reportedSessions: value(.reportedSessions))
    }
}
