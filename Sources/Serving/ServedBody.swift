/// What a response carries: bytes made for it (a page, the metrics, a short
/// message), or a published file, streamed from disk as it is sent.
package enum ServedBody: Sendable, Equatable {
    case bytes([UInt8])
    case file(OpenedFile)

    /// Its length in bytes: the `Content-Length` sent.
    package var count: Int {
        switch self {
        case .bytes(let bytes): bytes.count
        case .file(let file): file.size
        }
    }

    /// All of it at once: for tests and logs, never for sending a file.
    package func contents() throws(OpenedFile.ShortRead) -> [UInt8] {
        switch self {
        case .bytes(let bytes): bytes
        case .file(let file): try file.contents()
        }
    }
}
