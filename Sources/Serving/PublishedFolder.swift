#if canImport(Glibc)
import Glibc
#endif
import Reporting

/// The output folder as the server sees it: read-only, and only through
/// descriptors. The folder is opened for each request (a reload or an admin
/// may have replaced it); every name below it is opened relative to that
/// descriptor with `O_NOFOLLOW`, so a symbolic link planted in the folder
/// (to `/etc/passwd`, or to a folder elsewhere) is refused, never followed.
/// Only regular files of at most `limit` bytes are served, streamed from
/// the descriptor (`OpenedFile`).
///
/// The one link chimerad itself publishes, `latest.html`, is read with
/// `readlinkat` and followed only when it names a report file in the same
/// folder, which is then opened like any other.
package struct PublishedFolder: Sendable {
    package let path: String
    /// The largest file served, in bytes.
    package var limit: Int

    package init(path: String, limit: Int = 64 << 20) {
        self.path = path
        self.limit = limit
    }

    /// The regular file `name` directly in the output folder.
    package func file(_ name: String) -> PublishedFile {
        withFolder { folder in PublishedFolder.read(name, in: folder, limit: limit) } ?? .missing
    }

    /// The report `latest.html` points at.
    package func latestHTML() -> PublishedFile {
        withFolder { folder in
            guard let target = PublishedFolder.linkTarget("latest.html", in: folder) else {
                // No link: no report yet (or an older layout with a real file, which is read as one).
                return PublishedFolder.read("latest.html", in: folder, limit: limit)
            }
            guard let name = ReportFileName(target), name.kind == .html else { return .refused }
            return PublishedFolder.read(name.text, in: folder, limit: limit)
        } ?? .missing
    }

    /// The chart `name` of the report `report` (`charts/<report>/<name>`),
    /// each folder on the way opened without following a link.
    package func chart(report: String, name: String) -> PublishedFile {
        withFolder { folder in
            let charts = openat(folder, "charts", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard charts >= 0 else { return errno == ENOENT ? .missing : .refused }
            defer { close(charts) }
            let reportFolder = openat(charts, report, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard reportFolder >= 0 else { return errno == ENOENT ? .missing : .refused }
            defer { close(reportFolder) }
            return PublishedFolder.read(name, in: reportFolder, limit: limit)
        } ?? .missing
    }

    /// The whole reports in the folder (those whose `.md` is a regular
    /// file: the writer publishes it last), newest first, each with the
    /// files it has.
    package func reports() -> [(base: String, kinds: [ReportFileName.Kind])] {
        withFolder { folder in
            var kinds: [String: Set<ReportFileName.Kind>] = [:]
            var bases: [String: ReportFileName] = [:]
            for entry in PublishedFolder.names(in: folder) {
                guard let name = ReportFileName(entry), PublishedFolder.isRegularFile(entry, in: folder) else { continue }
                kinds[name.base, default: []].insert(name.kind)
                if name.kind == .markdown { bases[name.base] = name }
            }
            return bases.values.sorted(by: >).map { name in
                (name.base, ReportFileName.Kind.allCases.filter { kinds[name.base]?.contains($0) == true })
            }
        } ?? []
    }

    /// Runs `body` with the output folder open; nil when it cannot be opened.
    private func withFolder<T>(_ body: (Int32) -> T) -> T? {
        let folder = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { return nil }
        defer { close(folder) }
        return body(folder)
    }

    /// The regular file `name` in `folder`, opened without following a link
    /// and without blocking (a FIFO planted there cannot hold a request), if
    /// it holds at most `limit` bytes.
    static func read(_ name: String, in folder: Int32, limit: Int) -> PublishedFile {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else { return .refused }
        let file = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard file >= 0 else { return errno == ENOENT ? .missing : .refused }
        var info = stat()
        guard fstat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(file)
            return .refused
        }
        guard Int(info.st_size) <= limit else {
            close(file)
            return .tooLarge
        }
        return .file(OpenedFile(descriptor: file, size: Int(info.st_size)))
    }

    static func linkTarget(_ name: String, in folder: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlinkat(folder, name, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func isRegularFile(_ name: String, in folder: Int32) -> Bool {
        var info = stat()
        return fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The names in `folder` (without `.` and `..`).
    static func names(in folder: Int32) -> [String] { FolderNames.names(in: folder) }
}
