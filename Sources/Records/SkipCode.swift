/// What kind of reason a file was skipped for, as stages decide on it: the
/// store keeps it beside the reason's text, so that no stage reads the text
/// to tell one reason from another. (Ingest's `SkipReason` has the details;
/// this is what survives the store, which does not know Ingest.)
///
/// The raw values are stored: never rename one; a new case needs a new value.
package enum SkipCode: String, Sendable, Equatable, CaseIterable {
    /// The read failed (permissions, I/O error); the errno's text follows.
    case unreadable = "unreadable"
    /// A folder could not be listed.
    case unreadableFolder = "unreadable-folder"
    /// Over `ingest.max_file_bytes`.
    case tooLarge = "too-large"
    /// Matches a `watch.ignore` pattern.
    case ignored = "ignored"
    /// A FIFO, socket, device or folder where a file was expected.
    case notRegularFile = "not-regular-file"
    /// A regular file at the scan, a link when it was opened.
    case becameSymbolicLink = "became-symbolic-link"
    case fileNameNotUTF8 = "file-name-not-utf8"
    case folderNameNotUTF8 = "folder-name-not-utf8"
    case brokenSymbolicLink = "broken-symbolic-link"
    case linkOutsideInput = "link-outside-input"
    case linkToInputFolder = "link-to-input-folder"
    /// A link to a file or folder inside the input, read under its own path.
    case linkReadUnderTarget = "link-read-under-target"
    /// An input (given, or watched) that cannot be stat'ed.
    case inputUnreadable = "input-unreadable"
    /// An input that is a FIFO, socket or device.
    case inputNotFileOrFolder = "input-not-file-or-folder"
    /// A watched folder that holds none of its files and is on another file
    /// system than they were: a share not mounted, its files left out.
    case shareNotMounted = "share-not-mounted"
    case emptyFile = "empty-file"
    case unsupportedType = "unsupported-type"
    /// Binary, or text in no encoding the parsers read.
    case notText = "not-text"
    /// Malformed CSV or JSON: the parser's message says where and what.
    case unparsable = "unparsable"
    /// Over one of the fixed memory ceilings while being parsed (README, "Memory").
    case tooLargeToRead = "too-large-to-read"
    /// Parsed, but nothing in it is a benchmark's numbers.
    case noBenchmarkData = "no-benchmark-data"
    /// The store's digest of the file did not decode, even after a re-read.
    case storedRecordsUnreadable = "stored-records-unreadable"
    /// The same bytes as another file in the report, whose results count.
    case copyOfAnother = "copy-of-another"
    /// A report chimerad wrote (`chimera-report-<time>.json`), left in an
    /// input folder: its figures are no benchmark's.
    case chimeradReport = "chimerad-report"
    /// A reason stored before codes were (a NULL code), or by a newer
    /// chimerad (a code this one does not know): looked at again when in doubt.
    case legacy = "legacy"

    /// The code stored as `raw`; `legacy` for none, or one this build does not know.
    package init(stored raw: String?) {
        self = raw.flatMap(SkipCode.init(rawValue:)) ?? .legacy
    }
}
