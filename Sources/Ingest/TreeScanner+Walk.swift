#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// The walk under a root, a level of folders at a time: the folders of one
/// level are listed on every core (listing is a system call per entry, and a
/// tree of thousands of folders spent most of an unchanged report's scan
/// there), then merged in order, so the outcome does not depend on which
/// thread listed what.
///
///     let (files, problems) = scanner.walk(root: "/srv/results", from: "/srv/results", relative: "", info: rootInfo)
extension TreeScanner {
    /// A level needs this many folders before it is shared out: below it,
    /// handing out the work costs more than it saves.
    static let sharedLevel = 16

    /// One folder's entries, classified.
    struct FolderListing: Sendable {
        var files: [ScannedFile] = []
        var problems: [ScanProblem] = []
        /// Folders to enter, with the identity that keeps a link loop from
        /// being walked twice.
        var folders: [Folder] = []
    }

    struct Folder: Sendable {
        var absolute: String
        var relative: String
        var identity: FileIdentity
    }

    func walk(root: String, from start: String, relative startRelative: String, info: stat) -> (files: [ScannedFile], problems: [ScanProblem]) {
        var files: [ScannedFile] = []
        var problems: [ScanProblem] = []
        var visited: Set<FileIdentity> = [FileIdentity(info)]
        // A walk from a folder under the root (the daemon's rescans) must not
        // come back into the root through a followed link either.
        var rootInfo = stat()
        if start != root, stat(root, &rootInfo) == 0 { visited.insert(FileIdentity(rootInfo)) }
        var level = [Folder(absolute: start, relative: startRelative, identity: FileIdentity(info))]
        while !level.isEmpty {
            var next: [Folder] = []
            for listing in list(level, root: root) {
                files += listing.files
                problems += listing.problems
                for folder in listing.folders where visited.insert(folder.identity).inserted { next.append(folder) }
            }
            level = next
        }
        files.sort { ByteOrder.precedes($0.relativePath, $1.relativePath) }
        problems.sort { ByteOrder.precedes($0.relativePath, $1.relativePath) }
        return (files, problems)
    }

    /// The listings of `folders`, in their order.
    private func list(_ folders: [Folder], root: String) -> [FolderListing] {
        guard folders.count >= TreeScanner.sharedLevel else {
            return folders.map { list(root: root, folder: $0.absolute, relative: $0.relative) }
        }
        var listings = [FolderListing](repeating: FolderListing(), count: folders.count)
        listings.withUnsafeMutableBufferPointer { buffer in
            let slots = Slots(buffer: buffer)
            DispatchQueue.concurrentPerform(iterations: folders.count) { index in
                slots.buffer[index] = list(root: root, folder: folders[index].absolute, relative: folders[index].relative)
            }
        }
        return listings
    }

    /// Each iteration writes only its own slot, so sharing the buffer is safe.
    private struct Slots: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<FolderListing>
    }

    /// One folder's entries: stat'ed relative to the open folder (no path
    /// walk per entry), in byte order of their names.
    private func list(root: String, folder: String, relative relativeFolder: String) -> FolderListing {
        var listing = FolderListing()
        guard let directory = opendir(folder) else {
            listing.problems.append(
                ScanProblem(root: root, relativePath: relativeFolder.isEmpty ? "." : relativeFolder, skip: .unreadableFolder(errno: errno)))
            return listing
        }
        defer { closedir(directory) }
        var names: [String] = []
        var namesNotUTF8: [[UInt8]] = []
        while let entry = readdir(directory) {
            switch TreeScanner.name(of: entry) {
            case .text(let name): if name != "." && name != ".." { names.append(name) }
            case .bytes(let bytes): namesNotUTF8.append(bytes)
            }
        }
        let folderDescriptor = dirfd(directory)
        for bytes in namesNotUTF8 {
            let shown = TreeScanner.escaped(bytes)
            let relative = relativeFolder.isEmpty ? shown : relativeFolder + "/" + shown
            var entryInfo = stat()
            guard fstatat(folderDescriptor, bytes.map(CChar.init(bitPattern:)) + [0], &entryInfo, AT_SYMLINK_NOFOLLOW) == 0 else {
                if errno != ENOENT {
                    listing.problems.append(ScanProblem(root: root, relativePath: relative, skip: .unreadable(errno: errno)))
                }
                continue
            }
            let reason: SkipReason = FileKind(mode: entryInfo.st_mode) == .folder ? .folderNameNotUTF8 : .fileNameNotUTF8
            listing.problems.append(ScanProblem(root: root, relativePath: relative, skip: reason))
        }
        // Byte order: the same on every run, and much cheaper than comparing Characters.
        for name in names.sorted(by: ByteOrder.precedes) {
            let absolute = folder == "/" ? "/" + name : folder + "/" + name
            let relative = relativeFolder.isEmpty ? name : relativeFolder + "/" + name
            var entryInfo = stat()
            guard fstatat(folderDescriptor, name, &entryInfo, AT_SYMLINK_NOFOLLOW) == 0 else {
                if errno != ENOENT {
                    listing.problems.append(ScanProblem(root: root, relativePath: relative, skip: .unreadable(errno: errno)))
                }
                continue
            }
            switch classify(root: root, relative: relative, absolute: absolute, entryInfo) {
            case .file(let file): listing.files.append(file)
            case .problem(let problem): listing.problems.append(problem)
            case .nothing: break
            case .folder:
                var target = entryInfo
                var path = absolute
                if (entryInfo.st_mode & S_IFMT) == S_IFLNK {
                    // A followed link: its target's identity guards against
                    // loops, and its entries go by the target's real path, so
                    // chimerad's own folders inside it are known and left out.
                    guard stat(absolute, &target) == 0, let real = TreeScanner.resolve(absolute) else { continue }
                    path = real
                }
                listing.folders.append(Folder(absolute: path, relative: relative, identity: FileIdentity(target)))
            }
        }
        return listing
    }
}
