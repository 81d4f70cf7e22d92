/// Why something under an input is skipped for what it is, not for what it
/// holds. Reports and the store keep `text`.
public enum SkipReason: Sendable, Equatable {
    /// A FIFO, socket or device: opening or reading it could wait for good.
    case notRegularFile(FileKind)
    /// A name that is not UTF-8 cannot be named in a report or reopened by a
    /// path; it is shown with `\xNN` for the bytes that are not.
    case fileNameNotUTF8
    case folderNameNotUTF8
    /// A regular file at the scan, a link by the time it was opened: not followed.
    case becameSymbolicLink
    /// A link back to the input folder: its files are read under their own paths.
    case linkToInputFolder

    public var text: String {
        switch self {
        case .notRegularFile(let kind): kind == .unknown ? "not a regular file" : "not a regular file (\(kind.name))"
        case .fileNameNotUTF8: #"file name is not valid UTF-8 (shown with \xNN for the bytes that are not)"#
        case .folderNameNotUTF8: #"folder name is not valid UTF-8 (shown with \xNN for the bytes that are not); its files are not read"#
        case .becameSymbolicLink: "became a symbolic link after the scan (not followed)"
        case .linkToInputFolder: "symbolic link to the input folder itself, whose files are read under their own paths"
        }
    }

    /// Whether a stored reason says what the path was when it was opened (a
    /// swap between the scan and the read) rather than what the file holds:
    /// the next pass looks again, as the swap back need not move size or mtime.
    public static func describesTheRead(_ text: String) -> Bool {
        text == SkipReason.becameSymbolicLink.text || text.hasPrefix("not a regular file")
    }
}
