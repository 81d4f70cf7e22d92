import GRDB

/// Families of `meta` entries that share a key prefix (`baseline_pin:`,
/// `linked_folder:`), read and removed as one.
///
///     let pins = try Store.metaEntries(db, prefix: Store.pinPrefix)   // [(name: "qwen2.5:7b", value: "...")]
extension Store {
    /// The keys that start with `prefix`, as the bounds of a range
    /// (`key >= ? AND key < ?`): an index seek on the key, where `LIKE`
    /// would scan, and would read a `_` or `%` in a model's name or a
    /// link's path as a pattern.
    static func metaKeyRange(_ prefix: String) -> StatementArguments {
        [prefix, prefix + "\u{10FFFF}"]
    }

    /// The entries under `prefix`, in key order, each named by its key without the prefix.
    static func metaEntries(_ db: Database, prefix: String) throws -> [(name: String, value: String)] {
        try Row.fetchAll(db, sql: "SELECT key, value FROM meta WHERE key >= ? AND key < ? ORDER BY key", arguments: metaKeyRange(prefix))
            .map { row in
                let key: String = row["key"]
                return (String(key.dropFirst(prefix.count)), row["value"])
            }
    }
}
