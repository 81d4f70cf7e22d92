import Foundation

/// A folder as checks between keys compare it: absolute, without `.`, `..`
/// or a trailing slash, and through the symbolic links on its way when it
/// exists (`watch.paths` against `output.directory`).
struct FolderPath: Equatable {
    let path: String

    init(_ text: String) {
        let standard = URL(fileURLWithPath: text).standardizedFileURL.path
        path =
            realpath(standard, nil).map { resolved in
                defer { free(resolved) }
                return String(cString: resolved)
            } ?? standard
    }

    /// Whether it is `folder` or lies inside it.
    func isWithin(_ folder: FolderPath) -> Bool {
        path == folder.path || path.hasPrefix(folder.path == "/" ? "/" : folder.path + "/")
    }
}
