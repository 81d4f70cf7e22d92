/// A small text file a setting names for a secret it keeps out of the config
/// file (`notify.headers_file`, `fleet.password_file`): read whole at load,
/// only if it is a regular file (`SettingFile`: a FIFO never blocks the
/// load), no larger than its limit, and UTF-8. A problem names the file,
/// never its content.
enum SecretTextFile {
    /// Why the file cannot be used, as a config error's reason.
    struct Unusable: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The text `path` holds, or why it cannot be used, as a config error's
    /// reason; `limitText` is `maximumBytes` as the reason states it.
    static func read(_ path: String, maximumBytes: Int, limitText: String) -> Result<String, Unusable> {
        switch SettingFile.contents(of: path, limit: maximumBytes, streams: .refused) {
        case .success(let bytes):
            guard let text = String(validating: bytes, as: UTF8.self) else { return .failure(Unusable("'\(path)' is not UTF-8 text")) }
            return .success(text)
        case .failure(.missing): return .failure(Unusable("'\(path)' does not exist"))
        case .failure(.notReadable): return .failure(Unusable("'\(path)' is not readable"))
        case .failure(.notRegular): return .failure(Unusable("'\(path)' is not a regular file"))
        case .failure(.tooLarge): return .failure(Unusable("'\(path)' is larger than \(limitText)"))
        case .failure(.readFailed), .failure(.streamDidNotEnd), .failure(.pipeGaveNothing): return .failure(Unusable("'\(path)' cannot be read"))
        }
    }
}
