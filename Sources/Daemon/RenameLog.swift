import Pipeline
import Store

/// The files moved since the last report, each from where the last report
/// saw it to where it is now: moves of a folder are listed file by file, and
/// chains (`a` to `b`, then `b` to `c`) collapse to one move.
struct RenameLog: Sendable {
    private(set) var moves: [IngestPass.Rename] = []

    /// Folds in one pass's moves, in the order they happened. `before` is the
    /// registry as it was before the pass applied them.
    mutating func record(_ renames: [IngestPass.Rename], before: [RegistryEntry]) {
        guard !renames.isEmpty else { return }
        record(renames, known: RenameLog.live(before))
    }

    /// Folds in the moves a full pass found by itself (the files moved while
    /// no daemon watched): each is of a file the registry held under its old
    /// name, so none is a temporary's. Given the registry after the pass, the
    /// old names were in none of it, and the start-up report listed them as
    /// modified, not renamed.
    mutating func recordFoundByPass(_ renames: [IngestPass.Rename], after: [RegistryEntry]) {
        // Most starts find no move: the registry is not hashed for nothing.
        guard !renames.isEmpty else { return }
        var known = RenameLog.live(after)
        for rename in renames {
            known.remove(IngestPass.Location(root: rename.root, path: rename.to))
            known.insert(IngestPass.Location(root: rename.root, path: rename.from))
        }
        record(renames, known: known)
    }

    /// Where the registry's files that are not deleted are.
    private static func live(_ entries: [RegistryEntry]) -> Set<IngestPass.Location> {
        Set(entries.lazy.filter { $0.status != .deleted }.map { IngestPass.Location(root: $0.root, path: $0.path) })
    }

    private mutating func record(_ renames: [IngestPass.Rename], known: Set<IngestPass.Location>) {
        guard !renames.isEmpty else { return }
        // Where each moved file is now -> where the last report saw it.
        var origin: [IngestPass.Location: String] = [:]
        for move in moves { origin[.init(root: move.root, path: move.to)] = move.from }
        var present = known
        for rename in renames {
            // Only a file the last pass knew (or one an earlier move here put
            // there) was seen under its old name: a temporary written and
            // renamed into place between passes (`sed -i`'s `sedX1b2Qz`, an
            // editor's or a harness's `.tmp`) is the file written anew, and
            // the report lists it as modified or new, not as a rename from a
            // name it never showed.
            let prefix = rename.from + "/"
            let affected = present.filter { $0.root == rename.root && ($0.path == rename.from || (rename.isFolder && $0.path.hasPrefix(prefix))) }
            for location in affected {
                let target = IngestPass.Location(root: rename.root, path: rename.to + location.path.dropFirst(rename.from.count))
                let start = origin.removeValue(forKey: location) ?? location.path
                present.remove(location)
                present.insert(target)
                origin[target] = start
            }
        }
        moves = origin.filter { $0.value != $0.key.path }
            .map { IngestPass.Rename(root: $0.key.root, from: $0.value, to: $0.key.path, isFolder: false) }
            .sorted { ($0.root, $0.to) < ($1.root, $1.to) }
    }

    mutating func clear() {
        moves = []
    }
}
