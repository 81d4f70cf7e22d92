import Records

/// Why something under an input is not analysed, with its details. Reports
/// show `text`; the store keeps `text` and `code`, and stages decide on the
/// code, never on the text.
package enum SkipReason: Sendable, Equatable {
    /// Opening, stat'ing or reading failed with `errno`.
    case unreadable(errno: Int32)
    /// Listing a folder failed with `errno`: its files are not seen.
    case unreadableFolder(errno: Int32)
    /// Over `ingest.max_file_bytes`.
    case tooLarge(size: Int64, limit: Int64)
    /// Matches a `watch.ignore` pattern.
    case ignored(pattern: String)
    /// A FIFO, socket or device: opening or reading it could wait for good.
    case notRegularFile(FileKind)
    /// A name that is not UTF-8 cannot be named in a report or reopened by a
    /// path; it is shown with `\xNN` for the bytes that are not.
    case fileNameNotUTF8
    case folderNameNotUTF8
    /// A regular file at the scan, a link by the time it was opened: not followed.
    case becameSymbolicLink
    /// A link whose target is missing; `mayLoop` when it could not be resolved
    /// at all (a missing target and a loop look alike then).
    case brokenSymbolicLink(mayLoop: Bool)
    /// A link out of the input folder, not followed (`watch.follow_external_links`).
    case linkOutsideInput(target: String)
    /// A link back to the input folder: its files are read under their own paths.
    case linkToInputFolder
    /// A link to a file or folder inside the input (`target` relative to it),
    /// read under the target's path instead.
    case linkReadUnderTarget(target: String)
    /// An input that cannot be stat'ed (`errno`).
    case inputUnreadable(errno: Int32)
    /// An input that is neither a folder nor a regular file.
    case inputNotFileOrFolder(FileKind)
    /// A watched folder now empty, on another file system than its files
    /// were read from (the mount point a share left): not an emptied folder.
    case shareNotMounted
    case emptyFile(onlyWhitespace: Bool)
    /// An extension no parser reads (`""`: none, and the content is not JSON).
    case unsupportedType(extension: String)
    /// Binary, or not in an encoding the parsers read: the decoder's message.
    case notText(String)
    /// Malformed CSV or JSON, or a table without rows: the parser's message.
    case unparsable(String)
    /// Over a fixed parse ceiling: what and where, in the parser's words.
    case tooLargeToRead(String)
    /// Parsed, but without numbers: what was found, e.g. "CSV without numeric columns".
    case noBenchmarkData(String)
    /// The stored digest did not decode, even after a re-read: the decoder's message.
    case storedRecordsUnreadable(String)
    /// Byte for byte the file at `original`, with its modification time (a
    /// backup made with `cp -p` or `rsync -a`, a hard link): its runs and
    /// sessions are that file's, counted once.
    case copyOf(original: String)
    /// A report chimerad wrote, found in an input (an output folder moved
    /// out of a watched one, another run's output copied in).
    case chimeradReport

    package var code: SkipCode {
        switch self {
        case .unreadable: .unreadable
        case .unreadableFolder: .unreadableFolder
        case .tooLarge: .tooLarge
        case .ignored: .ignored
        case .notRegularFile: .notRegularFile
        case .fileNameNotUTF8: .fileNameNotUTF8
        case .folderNameNotUTF8: .folderNameNotUTF8
        case .becameSymbolicLink: .becameSymbolicLink
        case .brokenSymbolicLink: .brokenSymbolicLink
        case .linkOutsideInput: .linkOutsideInput
        case .linkToInputFolder: .linkToInputFolder
        case .linkReadUnderTarget: .linkReadUnderTarget
        case .inputUnreadable: .inputUnreadable
        case .inputNotFileOrFolder: .inputNotFileOrFolder
        case .shareNotMounted: .shareNotMounted
        case .emptyFile: .emptyFile
        case .unsupportedType: .unsupportedType
        case .notText: .notText
        case .unparsable: .unparsable
        case .tooLargeToRead: .tooLargeToRead
        case .noBenchmarkData: .noBenchmarkData
        case .storedRecordsUnreadable: .storedRecordsUnreadable
        case .copyOf: .copyOfAnother
        case .chimeradReport: .chimeradReport
        }
    }

    /// What reports and users read (and tests compare): unchanged since the
    /// reasons were plain strings.
    package var text: String {
        switch self {
        case .unreadable(let code): "unreadable: \(TreeScanner.errorText(code))"
        case .unreadableFolder(let code): "unreadable folder: \(TreeScanner.errorText(code))"
        case .tooLarge(let size, let limit):
            "too large: \(FileReader.megabytes(size)) exceeds the \(FileReader.megabytes(limit)) limit (ingest.max_file_bytes)"
        case .ignored(let pattern): "ignored (matches watch.ignore pattern \(pattern))"
        case .notRegularFile(let kind): kind == .unknown ? "not a regular file" : "not a regular file (\(kind.name))"
        case .fileNameNotUTF8: #"file name is not valid UTF-8 (shown with \xNN for the bytes that are not)"#
        case .folderNameNotUTF8: #"folder name is not valid UTF-8 (shown with \xNN for the bytes that are not); its files are not read"#
        case .becameSymbolicLink: "became a symbolic link, or a folder on its path did, after the scan (not followed)"
        case .brokenSymbolicLink(let mayLoop): mayLoop ? "broken or looping symbolic link" : "broken symbolic link"
        case .linkOutsideInput(let target):
            "symbolic link to \(target), outside the input folder (not followed; watch.follow_external_links follows it)"
        case .linkToInputFolder: "symbolic link to the input folder itself, whose files are read under their own paths"
        case .linkReadUnderTarget(let target): "symbolic link to \(target), which is read under that path"
        case .inputUnreadable(let code): TreeScanner.errorText(code)
        case .inputNotFileOrFolder(let kind): "not a folder or regular file (\(kind.name))"
        case .shareNotMounted:
            "holds none of its files and is on another file system than they were (a share not mounted?): its files are left out, not counted as deleted"
        case .emptyFile(let onlyWhitespace): onlyWhitespace ? "empty file (only whitespace)" : "empty file"
        case .unsupportedType(let fileExtension):
            fileExtension.isEmpty ? "unsupported type (no extension, not JSON)" : "unsupported type (.\(fileExtension))"
        case .notText(let message): message
        case .unparsable(let message): message
        case .tooLargeToRead(let detail): "too large to read: \(detail) (README, \"Memory\")"
        case .noBenchmarkData(let found): "no benchmark data (\(found))"
        case .storedRecordsUnreadable(let message): "stored records unreadable twice (\(message))"
        case .copyOf(let original): "the same content as \(original), whose results are counted (a copy counts once)"
        case .chimeradReport: "a report chimerad wrote (its own output, not benchmark results)"
        }
    }
}
