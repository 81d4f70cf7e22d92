#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file found under an input root, with the identity the registry keys on.
package struct ScannedFile: Sendable, Equatable {
    /// The root it was found under, as an absolute path.
    package var root: String
    /// Its path relative to the root: how reports name it.
    package var relativePath: String
    package var absolutePath: String
    package var device: UInt64
    package var inode: UInt64
    package var size: Int64
    package var modifiedNanoseconds: Int64
    /// Its hard links (names) on its file system, the scan's own among them.
    package var linkCount: UInt64 = 1

    /// The device and inode the scan found it with.
    package var identity: FileIdentity { FileIdentity(device: device, inode: inode) }

    package init(
        root: String, relativePath: String, absolutePath: String, device: UInt64, inode: UInt64, size: Int64,
        modifiedNanoseconds: Int64, linkCount: UInt64 = 1
    ) {
        self.root = root
        self.relativePath = relativePath
        self.absolutePath = absolutePath
        self.device = device
        self.inode = inode
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
        self.linkCount = linkCount
    }
}

/// Something under a root that could not be read as a file, with the reason.
package struct ScanProblem: Sendable, Equatable {
    package var root: String
    package var relativePath: String
    package var skip: SkipReason
    /// How reports word it.
    package var reason: String { skip.text }

    package init(root: String, relativePath: String, skip: SkipReason) {
        self.root = root
        self.relativePath = relativePath
        self.skip = skip
    }
}

/// Walks input roots for regular files.
///
/// Symlinks are followed while they stay inside their root; a link out of it is
/// reported, not read, unless `followExternalLinks` is set. Every folder is
/// entered once by device and inode, so link loops end. Excluded paths (the
/// daemon's own output and state) are never entered.
package struct TreeScanner: Sendable {
    package struct Failure: Error, CustomStringConvertible {
        package var path: String
        /// `inputUnreadable` or `inputNotFileOrFolder`.
        package var cause: SkipReason
        package var reason: String { cause.text }
        package var description: String { "\(path): \(reason)" }
    }

    /// What one path under a root turned out to be.
    package enum Found: Sendable, Equatable {
        case file(ScannedFile)
        case folder
        case problem(ScanProblem)
        /// Gone, or excluded.
        case nothing
    }

    package var excluded: [String]
    package var followExternalLinks: Bool

    package init(excluded: [String] = [], followExternalLinks: Bool = false) {
        self.excluded = excluded.map(TreeScanner.normalize)
        self.followExternalLinks = followExternalLinks
    }

    package func scan(root rawRoot: String) throws(Failure) -> (files: [ScannedFile], problems: [ScanProblem]) {
        let root = TreeScanner.normalize(rawRoot)
        var info = stat()
        guard stat(root, &info) == 0 else {
            throw Failure(path: rawRoot, cause: .inputUnreadable(errno: errno))
        }
        if (info.st_mode & S_IFMT) == S_IFREG {
            // A single file given as input: it is its own root's only member.
            let (folder, name) = TreeScanner.folderAndName(root)
            return ([TreeScanner.file(root: folder, relative: name, absolute: root, info)], [])
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw Failure(path: rawRoot, cause: .inputNotFileOrFolder(FileKind(mode: info.st_mode)))
        }
        return walk(root: root, from: root, relative: "", info: info)
    }

    /// Scans one folder under `root` (already normalised), naming what it finds
    /// relative to the root. A folder that is gone yields nothing.
    package func scan(root: String, folder relativeFolder: String) -> (files: [ScannedFile], problems: [ScanProblem]) {
        guard !relativeFolder.isEmpty else {
            var info = stat()
            guard stat(root, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return ([], []) }
            return walk(root: root, from: root, relative: "", info: info)
        }
        let absolute = root == "/" ? "/" + relativeFolder : root + "/" + relativeFolder
        switch examine(root: root, relative: relativeFolder) {
        case .folder:
            var info = stat()
            guard stat(absolute, &info) == 0 else { return ([], []) }
            // By its real path when a followed link leads to it (`walk`).
            let real = followExternalLinks ? TreeScanner.resolve(absolute) ?? absolute : absolute
            return walk(root: root, from: real, relative: relativeFolder, info: info)
        case .file(let file): return ([file], [])
        case .problem(let problem): return ([], [problem])
        case .nothing: return ([], [])
        }
    }

    /// What one path under `root` (already normalised) is, by the same rules as
    /// the walk.
    package func examine(root: String, relative: String) -> Found {
        let absolute = root == "/" ? "/" + relative : root + "/" + relative
        // Through a followed link, a path may lead into chimerad's own folders.
        if followExternalLinks, let real = TreeScanner.resolve(absolute), isExcluded(real) { return .nothing }
        var info = stat()
        guard lstat(absolute, &info) == 0 else {
            return errno == ENOENT || errno == ENOTDIR
                ? .nothing : .problem(ScanProblem(root: root, relativePath: relative, skip: .unreadable(errno: errno)))
        }
        return classify(root: root, relative: relative, absolute: absolute, info)
    }

    /// The rules for one entry, from its `lstat`.
    func classify(root: String, relative: String, absolute: String, _ info: stat) -> Found {
        if isExcluded(absolute) { return .nothing }
        var info = info
        var kind = info.st_mode & S_IFMT
        if kind == S_IFLNK {
            guard let target = TreeScanner.resolve(absolute) else {
                return .problem(ScanProblem(root: root, relativePath: relative, skip: .brokenSymbolicLink(mayLoop: true)))
            }
            // A link into the daemon's own output or state is not followed either.
            if isExcluded(target) { return .nothing }
            let inside = target == root || target.hasPrefix(root == "/" ? "/" : root + "/")
            guard inside || followExternalLinks else {
                return .problem(
                    ScanProblem(
                        root: root, relativePath: relative,
                        skip: .linkOutsideInput(target: target)))
            }
            guard stat(absolute, &info) == 0 else {
                return .problem(ScanProblem(root: root, relativePath: relative, skip: .brokenSymbolicLink(mayLoop: false)))
            }
            kind = info.st_mode & S_IFMT
            if (kind == S_IFREG || kind == S_IFDIR) && inside {
                // The target is inside the input and is read under its own
                // path; reading the link too would count its runs twice.
                guard target != root else {
                    return .problem(ScanProblem(root: root, relativePath: relative, skip: .linkToInputFolder))
                }
                let shown = String(target.dropFirst(root == "/" ? 1 : root.count + 1))
                return .problem(ScanProblem(root: root, relativePath: relative, skip: .linkReadUnderTarget(target: shown)))
            }
            if kind == S_IFREG {
                // Read by the target's path, the one the scan let through: the
                // reader follows no link.
                return .file(TreeScanner.file(root: root, relative: relative, absolute: target, info))
            }
        }
        if kind == S_IFDIR { return .folder }
        if kind == S_IFREG { return .file(TreeScanner.file(root: root, relative: relative, absolute: absolute, info)) }
        // FIFOs, sockets and devices hold no results, and opening one can
        // wait for good; they are seen, and skipped with their kind.
        return .problem(ScanProblem(root: root, relativePath: relative, skip: .notRegularFile(FileKind(mode: kind))))
    }

    /// Whether `path` is one of the excluded folders or lies inside one.
    private func isExcluded(_ path: String) -> Bool {
        excluded.contains { folder in
            let bytes = path.utf8
            guard bytes.starts(with: folder.utf8) else { return false }
            let rest = bytes.dropFirst(folder.utf8.count)
            return rest.isEmpty || rest.first == UInt8(ascii: "/")
        }
    }

    /// Re-reads one file's identity, as the registry compares it.
    package static func identity(of path: String) -> stat? {
        var info = stat()
        return stat(path, &info) == 0 ? info : nil
    }

    private static func file(root: String, relative: String, absolute: String, _ info: stat) -> ScannedFile {
        ScannedFile(
            root: root, relativePath: relative, absolutePath: absolute, device: UInt64(info.st_dev),
            inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            linkCount: UInt64(info.st_nlink))
    }

    static func resolve(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Absolute, without a trailing slash or `.`/`..` parts, symlinks in the root itself resolved.
    /// Where files found under `rawRoot` will be registered: the folder itself,
    /// or for a single file its folder and its name. `nil` when it cannot be
    /// stat'ed (`scan` says why).
    package static func registryRoot(of rawRoot: String) -> (root: String, onlyPath: String?)? {
        let root = normalize(rawRoot)
        var info = stat()
        guard stat(root, &info) == 0 else { return nil }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return (root, nil) }
        let (folder, name) = folderAndName(root)
        return (folder, name)
    }

    private static func folderAndName(_ normalized: String) -> (folder: String, name: String) {
        let folder = String(normalized[..<(normalized.lastIndex(of: "/") ?? normalized.startIndex)])
        let name = String(normalized.split(separator: "/").last ?? Substring(normalized))
        return (folder.isEmpty ? "/" : folder, name)
    }

    package static func normalize(_ path: String) -> String {
        if let resolved = resolve(path) { return resolved }
        var parts = lexicalParts(path)
        // Not there (yet, or any more): its deepest folder that is there is
        // resolved and the rest kept as written, so a root behind a link
        // that is away has the name it had while it was there.
        var missing: [Substring] = []
        while let last = parts.popLast() {
            missing.insert(last, at: 0)
            if let real = resolve("/" + parts.joined(separator: "/")) {
                return (real == "/" ? "" : real) + "/" + missing.joined(separator: "/")
            }
        }
        return "/" + missing.joined(separator: "/")
    }

    /// `path` made absolute, its `.` and `..` parts taken out as written (no link resolved).
    private static func lexicalParts(_ path: String) -> [Substring] {
        var absolute = path
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            if getcwd(&buffer, buffer.count) != nil {
                absolute = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/" + path
            }
        }
        var parts: [Substring] = []
        for part in absolute.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return parts
    }

    /// `rawRoot` as written (absolute, `.` and `..` taken out) when it leads
    /// through a symbolic link, nil when it does not: what a watch path such
    /// as `current -> runs/run-42`, or `latest/results` under `latest ->
    /// run-42`, is known by, whichever folder it leads to now.
    package static func linkPath(of rawRoot: String) -> String? {
        let parts = lexicalParts(rawRoot)
        var path = ""
        for part in parts {
            path += "/" + part
            var info = stat()
            guard lstat(path, &info) == 0 else { return nil }
            if (info.st_mode & S_IFMT) == S_IFLNK { return "/" + parts.joined(separator: "/") }
        }
        return nil
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
