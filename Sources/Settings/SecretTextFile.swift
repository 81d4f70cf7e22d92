import Foundation

/// A small text file a setting names for a secret it keeps out of the config
/// file (`notify.headers_file`, `fleet.password_file`): read whole at load,
/// only if it is a regular file (a FIFO would block the load), no larger than
/// its limit, and UTF-8. A problem names the file, never its content.
enum SecretTextFile {
    /// Why the file cannot be used, as a config error's reason.
    struct Unusable: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The text `path` holds, or why it cannot be used, as a config error's
    /// reason; `limitText` is `maximumBytes` as the reason states it.
    static func read(_ path: String, maximumBytes: Int, limitText: String) -> Result<String, Unusable> {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .failure(Unusable(errno == ENOENT || errno == ENOTDIR ? "'\(path)' does not exist" : "'\(path)' cannot be examined"))
        }
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(Unusable("'\(path)' is not a regular file")) }
        guard let handle = FileHandle(forReadingAtPath: path) else { return .failure(Unusable("'\(path)' is not readable")) }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
        } catch {
            return .failure(Unusable("'\(path)' cannot be read"))
        }
        guard data.count <= maximumBytes else { return .failure(Unusable("'\(path)' is larger than \(limitText)")) }
        guard let text = String(data: data, encoding: .utf8) else { return .failure(Unusable("'\(path)' is not UTF-8 text")) }
        return .success(text)
    }
}
