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
        SecretTextFile.read(path, maximumBytes: maximumBytes, limitText: "\(maximumBytes) bytes").mapError { Problem($0.reason) }
            .flatMap { text in
                // "\r\n" is one Character: split on it as on "\n" (a file from Windows).
                let password = text.split(maxSplits: 1, omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
                    .first.map(String.init)
                guard let password, !password.isEmpty else {
                    return .failure(Problem("'\(path)' is empty: its first line must be the password"))
                }
                return .success(password)
            }
    }
}
