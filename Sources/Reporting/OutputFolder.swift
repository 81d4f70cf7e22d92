#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The output folder, held open: every name below it is created, linked,
/// renamed and removed relative to this descriptor, so a folder swapped or
/// re-linked while a report is written cannot redirect the writes, and no call
/// here follows a symbolic link at a name inside it.
final class OutputFolder {
    struct OpenFailure: Error {
        /// The errno of `open`.
        var code: Int32
    }

    /// What became of giving a temporary a final name that must not already exist.
    enum LinkOutcome: Equatable {
        case linked
        /// Something (a report, a planted file or link) already has the name.
        case taken
        /// With the errno, and the step and error as reports word them.
        case failed(code: Int32, reason: String)
    }

    let path: String
    /// The open folder: every call here is relative to it.
    let descriptor: Int32

    init(_ path: String) throws(OpenFailure) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw OpenFailure(code: errno) }
        self.path = path
        self.descriptor = descriptor
    }

    /// A folder already open: `descriptor` is this object's to close.
    init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Writes `text` to a new temporary beside `finalName`, flushed to disk,
    /// and returns the temporary's name. The name carries this process's pid
    /// (so a later `prepare()` knows whether its writer lives) and 64 random
    /// bits (so nobody can plant anything at it in advance; `O_EXCL|O_NOFOLLOW`
    /// refuses whatever is there all the same).
    func writeTemporary(_ text: String, for finalName: String) throws(ReportWriter.Failure) -> String {
        var name = ""
        var file: Int32 = -1
        for _ in 0..<8 {
            name = OutputFolder.temporaryName(for: finalName)
            file = openat(descriptor, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if file >= 0 || errno != EEXIST { break }
        }
        guard file >= 0 else {
            let code = errno
            throw ReportWriter.Failure(path: path + "/" + name, kind: .cannotCreateFile, errorCode: code, reason: OutputFolder.errorText(code))
        }
        let failure = OutputFolder.fill(file, with: text)
        close(file)
        if let failure {
            remove(name)
            throw ReportWriter.Failure(path: path + "/" + name, kind: failure.kind, errorCode: failure.code, reason: failure.reason)
        }
        return name
    }

    /// Writes all of `text` to `file` and flushes it to disk; what failed, or nil.
    static func fill(_ file: Int32, with text: String) -> (kind: ReportWriter.Failure.Kind, code: Int32, reason: String)? {
        // From the string's own bytes: a report's JSON is most of a megabyte, not copied again to be written.
        var text = text
        let failed: Int32? = text.withUTF8 { bytes in
            var written = 0
            while written < bytes.count {
                let count = Glibc.write(file, bytes.baseAddress.map { $0 + written }, bytes.count - written)
                if count >= 0 {
                    written += count
                } else if errno != EINTR {
                    return errno
                }
            }
            return nil
        }
        if let code = failed { return (.writeFailed, code, "write failed (\(OutputFolder.errorText(code)))") }
        guard fsync(file) == 0 else {
            let code = errno
            return (.syncFailed, code, "fsync failed (\(OutputFolder.errorText(code)))")
        }
        return nil
    }

    static func temporaryName(for finalName: String) -> String {
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return "." + finalName + ReportWriter.temporaryMarker + String(getpid()) + "-" + random
    }

    /// Gives `temporary` the name `finalName` too, only if nothing has that name:
    /// a hard link never replaces an entry. Where the file system has no hard
    /// links, a rename after checking the name is free (a rename replaces the
    /// entry, never writes through a link there).
    func linkNew(_ temporary: String, as finalName: String) -> LinkOutcome {
        if linkat(descriptor, temporary, descriptor, finalName, 0) == 0 { return .linked }
        let code = errno
        switch code {
        case EEXIST: return .taken
        case EPERM, EOPNOTSUPP, EMLINK:
            var info = stat()
            if fstatat(descriptor, finalName, &info, AT_SYMLINK_NOFOLLOW) == 0 { return .taken }
            guard renameat(descriptor, temporary, descriptor, finalName) == 0 else {
                let renameCode = errno
                return .failed(code: renameCode, reason: "rename failed (\(OutputFolder.errorText(renameCode)))")
            }
            return .linked
        default:
            return .failed(code: code, reason: "link failed (\(OutputFolder.errorText(code)))")
        }
    }

    /// Points the symlink `name` at `target` (relative, so the folder can move)
    /// by renaming a fresh symlink over it: readers see the old or the new
    /// report, never none.
    /// Fails when `name` is a folder: a link cannot be renamed over one, so
    /// a report checks before it publishes anything (it would be published
    /// with `latest.*` pointing partly at it, partly at the one before).
    func checkLinkable(_ name: String) throws(ReportWriter.Failure) {
        var info = stat()
        guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFDIR else { return }
        throw ReportWriter.Failure(
            path: path + "/" + name, kind: .latestLinkFailed, errorCode: EISDIR,
            reason: "is a folder, where chimerad keeps a link to the newest report: move it away")
    }

    func pointLink(_ name: String, at target: String) throws(ReportWriter.Failure) {
        let temporary = OutputFolder.temporaryName(for: name)
        guard symlinkat(target, descriptor, temporary) == 0 else {
            let code = errno
            throw ReportWriter.Failure(
                path: path + "/" + temporary, kind: .latestLinkFailed, errorCode: code,
                reason: "symlink failed (\(OutputFolder.errorText(code)))")
        }
        guard renameat(descriptor, temporary, descriptor, name) == 0 else {
            let code = errno
            remove(temporary)
            throw ReportWriter.Failure(
                path: path + "/" + name, kind: .latestLinkFailed, errorCode: code,
                reason: "rename failed (\(OutputFolder.errorText(code)))")
        }
    }

    /// Removes the entry `name` (a link itself, never what it points to).
    @discardableResult
    func remove(_ name: String) -> Bool {
        unlinkat(descriptor, name, 0) == 0
    }

    func sync() {
        fsync(descriptor)
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
