/// What reading a published file gave: its bytes, or why there are none.
/// The server answers 404 for all but `.file`: whether a name is missing, a
/// link or too large is nobody's business over HTTP (the log says).
package enum PublishedFile: Sendable, Equatable {
    case file([UInt8])
    case missing
    /// A symbolic link, a folder, a device or a pipe where a regular file was
    /// expected: never followed, never read.
    case refused
    case tooLarge
}
