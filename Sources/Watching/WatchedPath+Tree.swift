extension WatchedPath {
    /// The entry `name` inside this folder.
    func appending(_ name: String) -> WatchedPath {
        WatchedPath(root: root, path: path.isEmpty ? name : path + "/" + name)
    }

    /// Whether this is `folder` or lies inside it (same root, whole path components).
    func isAtOrUnder(_ folder: WatchedPath) -> Bool {
        guard root == folder.root else { return false }
        return Self.isAtOrUnder(path, folder.path)
    }

    /// This path with its `folder` prefix replaced by `replacement`, or `nil`
    /// when it is not at or under `folder`.
    func moved(from folder: WatchedPath, to replacement: WatchedPath) -> WatchedPath? {
        guard isAtOrUnder(folder) else { return nil }
        let rest = path.utf8.dropFirst(folder.path.utf8.count)
        // `rest` is empty or starts with "/" (or, for the root itself, is the whole path).
        let tail = String(Substring(rest)).drop { $0 == "/" }
        if tail.isEmpty { return replacement }
        return replacement.appending(String(tail))
    }

    /// Whole-component prefix test on plain paths ("" contains everything;
    /// "a" contains "a" and "a/b" but not "ab"). Byte-wise, like the scanner.
    static func isAtOrUnder(_ path: String, _ folder: String) -> Bool {
        if folder.isEmpty { return true }
        let bytes = path.utf8
        guard bytes.starts(with: folder.utf8) else { return false }
        let rest = bytes.dropFirst(folder.utf8.count)
        return rest.isEmpty || rest.first == UInt8(ascii: "/")
    }

    /// `isAtOrUnder` for absolute paths, where "/" contains everything.
    static func isAbsolute(_ path: String, atOrUnder folder: String) -> Bool {
        folder == "/" ? path.hasPrefix("/") : isAtOrUnder(path, folder)
    }

    /// `path` with the absolute `folder` prefix replaced, or `nil` when it is not under it.
    static func absolute(_ path: String, movedFrom folder: String, to replacement: String) -> String? {
        guard isAbsolute(path, atOrUnder: folder) else { return nil }
        let tail = String(Substring(path.utf8.dropFirst(folder.utf8.count))).drop { $0 == "/" }
        if tail.isEmpty { return replacement }
        return replacement == "/" ? "/" + tail : replacement + "/" + tail
    }
}
