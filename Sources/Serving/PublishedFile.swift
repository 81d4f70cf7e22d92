/// What opening a published file gave: the file, open for reading, or why
/// there is none.
/// The server answers 404 for all but `.file`: whether a name is missing, a
/// link or too large is nobody's business over HTTP (the log says).
package enum PublishedFile: Sendable, Equatable {
    case file(OpenedFile)
    case missing
    /// A symbolic link, a folder, a device or a pipe where a regular file was
    /// expected: never followed, never read.
    case refused
    case tooLarge
}
