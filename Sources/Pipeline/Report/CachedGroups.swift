import Analysis
import Store

/// The run groups' figures as the previous report left them (the store's
/// group cache), decoded. A report loads them on another core while it works
/// out its scope and reads the regressions' history: the load and the
/// decoding were a fifth of the one-core stretch between the scan and the
/// rendering, with the other core idle.
///
///     async let cached = Result { try CachedGroups(store: store, scope: DigestLoad.cacheScope(reportKey: key)) }
///     var load = try DigestLoad(scope: scope, store: store, cached: try await cached.get())
struct CachedGroups: Sendable {
    /// By group key: the fingerprint the figures were computed at, and the
    /// figures (nil when they no longer decode: the group is computed afresh).
    private let entries: [String: (fingerprint: String, result: GroupResult?)]

    init(store: Store, scope: String) throws {
        entries = try store.cachedGroups(scope: scope).mapValues { ($0.fingerprint, try? GroupResult(decoding: $0.payload)) }
    }

    /// The figures cached for `key` at `fingerprint`, if they are still theirs.
    func result(for key: String, at fingerprint: String) -> GroupResult? {
        guard let entry = entries[key], entry.fingerprint == fingerprint, let result = entry.result, result.key == key else {
            return nil
        }
        return result
    }
}
