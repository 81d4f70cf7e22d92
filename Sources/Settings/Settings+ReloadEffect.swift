extension Settings {
    /// What a reload must restart when a key changes. Empty: the new value
    /// simply applies from the next report on.
    package struct ReloadEffect: OptionSet, Sendable, Hashable {
        package let rawValue: Int

        package init(rawValue: Int) {
            self.rawValue = rawValue
        }

        /// New watches and a full pass over the folders (what is watched, what
        /// is excluded or skipped, where the store is).
        package static let restartsWatching = ReloadEffect(rawValue: 1 << 0)
        /// A new narrator (a managed llama-server restarts, a model loads).
        package static let restartsModel = ReloadEffect(rawValue: 1 << 1)
        /// Nothing the daemon can apply while it runs (the HTTP server's
        /// socket, bound once at start): the reload logs that the new value
        /// waits for the next start, and the old one stays in force.
        package static let needsRestart = ReloadEffect(rawValue: 1 << 2)

        /// What changing all of `keys` restarts.
        package init(of keys: [Key]) {
            self = keys.reduce(into: ReloadEffect()) { $0.formUnion($1.reloadEffect) }
        }
    }

    /// The keys whose values differ between `self` and `new`, in table order.
    /// Read from the key table, so no key can be left out of the comparison.
    package func changedKeys(to new: Settings) -> [Key] {
        Key.allCases.filter { $0.definition.content(self) != $0.definition.content(new) }
    }
}

extension Settings.Key {
    /// What a reload restarts when this key changes.
    package var reloadEffect: Settings.ReloadEffect { definition.reloadEffect }
}
