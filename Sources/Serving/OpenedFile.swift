#if canImport(Glibc)
import Glibc
#endif

/// A published file, open for reading: what a response streams from, a chunk
/// at a time, so a server with many clients holds a chunk per client, not a
/// copy of each report (a 49 MB page to 16 slow clients was 1.7 GB).
///
/// The descriptor is read with `pread` at explicit offsets, so chunks may be
/// read on any thread; it is closed when the last reference goes.
///
///     if case .file(let file) = folder.file(name) {
///         var offset = 0
///         while let chunk = try file.chunk(at: offset, limit: 64 << 10) { offset += chunk.count }
///     }
package final class OpenedFile: Sendable, Equatable {
    /// The file cannot be read to the size it had when it was opened.
    package struct ShortRead: Error, CustomStringConvertible {
        package var offset: Int
        package var errno: Int32
        package var description: String {
            errno == 0
                ? "the file ended at byte \(offset), before the size it was opened with"
                : "reading at byte \(offset) failed (errno \(errno))"
        }
    }

    private let descriptor: Int32
    /// The size when it was opened: what is sent. Reports are replaced by
    /// renaming a new file over them, so an opened one does not change.
    package let size: Int

    /// Takes ownership of `descriptor`.
    init(descriptor: Int32, size: Int) {
        self.descriptor = descriptor
        self.size = size
    }

    deinit { close(descriptor) }

    package static func == (lhs: OpenedFile, rhs: OpenedFile) -> Bool { lhs === rhs }

    /// Up to `limit` bytes from `offset`; nil at the size the file was opened with.
    package func chunk(at offset: Int, limit: Int) throws(ShortRead) -> [UInt8]? {
        let wanted = min(limit, size - offset)
        guard wanted > 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: wanted)
        var filled = 0
        while filled < wanted {
            let count = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress.map { $0 + filled }, wanted - filled, off_t(offset + filled))
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw ShortRead(offset: offset + filled, errno: count < 0 ? errno : 0) }
            filled += count
        }
        return bytes
    }

    /// The whole file: for the small pages built from it and for tests.
    package func contents() throws(ShortRead) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        while let chunk = try chunk(at: bytes.count, limit: 1 << 20) { bytes += chunk }
        return bytes
    }
}
