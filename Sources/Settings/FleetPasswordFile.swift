import Foundation

/// `fleet.password_file`: the PostgreSQL password, on the file's first line
/// (a trailing line break is not part of it). Kept out of the config file so
/// the config can be world-readable while the password is not.
///
/// Problems name the file, never its content.
package enum FleetPasswordFile {
    /// A file larger than this is no password file.
    static let maximumBytes = 4096

    /// Why a password file cannot be used, as a config error's reason.
    package struct Problem: Error, Equatable {
        package var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The password `path` holds, or why it cannot be read.
    package static func read(_ path: String) -> Result<String, Problem> {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return .failure(Problem(errno == ENOENT || errno == ENOTDIR ? "'\(path)' does not exist" : "'\(path)' cannot be examined"))
        }
        // A FIFO would block the load; a folder or device is no password file.
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(Problem("'\(path)' is not a regular file")) }
        guard let handle = FileHandle(forReadingAtPath: path) else { return .failure(Problem("'\(path)' is not readable")) }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
        } catch {
            return .failure(Problem("'\(path)' cannot be read"))
        }
        guard data.count <= maximumBytes else { return .failure(Problem("'\(path)' is larger than \(maximumBytes) bytes")) }
        guard let text = String(data: data, encoding: .utf8) else { return .failure(Problem("'\(path)' is not UTF-8 text")) }
        let password = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        guard let password, !password.isEmpty else { return .failure(Problem("'\(path)' is empty: its first line must be the password")) }
        return .success(password)
    }
}
