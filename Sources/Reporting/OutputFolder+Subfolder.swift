#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Folders inside the output folder (`charts/`, and one per report in it),
/// opened and removed relative to their parent's descriptor and never
/// through a symbolic link.
extension OutputFolder {
    /// The subfolder `name`, created (0755) when missing; a link or a file at
    /// the name is refused (`O_NOFOLLOW|O_DIRECTORY`), never followed.
    func subfolder(_ name: String, create: Bool) throws(ReportWriter.Failure) -> OutputFolder {
        if create, mkdirat(descriptor, name, 0o755) != 0, errno != EEXIST {
            let code = errno
            throw ReportWriter.Failure(
                path: path + "/" + name, kind: .cannotCreateFile, errorCode: code, reason: "mkdir failed (\(OutputFolder.errorText(code)))")
        }
        let opened = openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard opened >= 0 else {
            let code = errno
            let reason = code == ELOOP || code == ENOTDIR ? "is not a folder (a symbolic link or a file)" : OutputFolder.errorText(code)
            throw ReportWriter.Failure(path: path + "/" + name, kind: .cannotOpenFolder, errorCode: code, reason: reason)
        }
        return OutputFolder(path: path + "/" + name, descriptor: opened)
    }

    /// Writes `text` as the new file `name` here, flushed to disk: for a
    /// folder this writer just created under a random name, where nothing
    /// else can be (`O_EXCL|O_NOFOLLOW` refuses whatever is, all the same).
    func writeNew(_ text: String, as name: String) throws(ReportWriter.Failure) {
        let file = openat(descriptor, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard file >= 0 else {
            let code = errno
            throw ReportWriter.Failure(path: path + "/" + name, kind: .cannotCreateFile, errorCode: code, reason: OutputFolder.errorText(code))
        }
        defer { close(file) }
        if let failure = OutputFolder.fill(file, with: text) {
            throw ReportWriter.Failure(path: path + "/" + name, kind: failure.kind, errorCode: failure.code, reason: failure.reason)
        }
    }

    /// Renames the folder `temporary` to `name` only if nothing has that name
    /// (checked first; a rename never writes through a link, and a folder
    /// renamed onto a file or a link fails).
    func renameNew(_ temporary: String, as name: String) -> LinkOutcome {
        var info = stat()
        if fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 { return .taken }
        guard renameat(descriptor, temporary, descriptor, name) == 0 else {
            let code = errno
            return code == EEXIST || code == ENOTEMPTY ? .taken : .failed(code: code, reason: "rename failed (\(OutputFolder.errorText(code)))")
        }
        return .linked
    }

    /// Removes the folder `name` and the files in it (a link in it is removed
    /// itself, never followed); whether the folder is gone.
    @discardableResult
    func removeFolder(_ name: String) -> Bool {
        let opened = openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if opened >= 0 {
            let folder = OutputFolder(path: path + "/" + name, descriptor: opened)
            for entry in folder.names() where unlinkat(opened, entry, 0) != 0 && errno == EISDIR {
                folder.removeFolder(entry)
            }
        }
        return unlinkat(descriptor, name, AT_REMOVEDIR) == 0
    }

    /// Seconds since the entry `name` here last changed (its status); 0 when it cannot be read.
    func age(of name: String) -> Double {
        var info = stat()
        guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return 0 }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec - info.st_ctim.tv_sec) + Double(now.tv_nsec - info.st_ctim.tv_nsec) / 1e9
    }

    /// Where the symbolic link `name` here points; nil when it is no link.
    func target(ofLink name: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlinkat(descriptor, name, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The bytes of the regular file `name` here, if it holds at most `limit`
    /// (opened without following a link and without blocking); nil otherwise.
    func contents(of name: String, limit: Int) -> [UInt8]? {
        let file = openat(descriptor, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else { return nil }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) <= limit else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in read(file, buffer.baseAddress.map { $0 + done }, buffer.count - done) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            done += count
        }
        return bytes
    }

    /// The names in this folder (without `.` and `..`), read through its descriptor.
    func names() -> [String] { FolderNames.names(in: descriptor) }
}
