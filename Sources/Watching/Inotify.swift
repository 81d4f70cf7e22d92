import Glibc

/// The inotify event and watch flags (`<sys/inotify.h>`), as one option set:
/// Glibc imports some of them as `Int32` and the high bits as `UInt32`.
struct InotifyMask: OptionSet, Sendable, Hashable {
    let rawValue: UInt32

    static let modify = InotifyMask(rawValue: 0x0000_0002)
    static let attributes = InotifyMask(rawValue: 0x0000_0004)
    static let closeWrite = InotifyMask(rawValue: 0x0000_0008)
    static let movedFrom = InotifyMask(rawValue: 0x0000_0040)
    static let movedTo = InotifyMask(rawValue: 0x0000_0080)
    static let create = InotifyMask(rawValue: 0x0000_0100)
    static let delete = InotifyMask(rawValue: 0x0000_0200)
    static let deleteSelf = InotifyMask(rawValue: 0x0000_0400)
    static let moveSelf = InotifyMask(rawValue: 0x0000_0800)
    static let unmount = InotifyMask(rawValue: 0x0000_2000)
    static let queueOverflow = InotifyMask(rawValue: 0x0000_4000)
    static let ignored = InotifyMask(rawValue: 0x0000_8000)
    static let onlyFolder = InotifyMask(rawValue: 0x0100_0000)
    static let dontFollow = InotifyMask(rawValue: 0x0200_0000)
    static let excludeUnlinked = InotifyMask(rawValue: 0x0400_0000)
    static let isFolder = InotifyMask(rawValue: 0x4000_0000)

    /// What every folder watch asks for. No `IN_OPEN`/`IN_ACCESS`: reads are
    /// not changes. `IN_DONT_FOLLOW` and `IN_ONLYDIR` make the kernel refuse
    /// a path that was swapped for a link or a file since it was listed.
    static let folderWatch: InotifyMask = [
        .modify, .attributes, .closeWrite, .movedFrom, .movedTo, .create, .delete, .deleteSelf, .moveSelf,
        .onlyFolder, .dontFollow, .excludeUnlinked,
    ]
}

/// One event as the kernel reported it; `name` is empty for events about the
/// watched folder itself.
struct InotifyEvent: Sendable, Equatable {
    var watch: Int32
    var mask: InotifyMask
    var cookie: UInt32
    var name: String
    /// False when the kernel's name is not UTF-8: `name` is then a repaired
    /// copy that leads to no file.
    var nameIsUTF8 = true
}

/// A failed system call, with the `errno` it left.
struct SystemCallError: Error, CustomStringConvertible {
    var call: String
    var code: Int32

    var description: String { "\(call): \(String(cString: strerror(code)))" }
}

/// A thin wrapper over one inotify instance: watches added and removed by
/// path, events read in batches from its non-blocking descriptor.
///
/// Not `Sendable`: it belongs to one thread at a time (`Watcher.start()` builds
/// it, then hands it over to the reader thread for good).
final class Inotify {
    let descriptor: Int32
    private var isClosed = false
    /// Reused between reads; 64 KiB holds at least 240 events of the longest name.
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// Takes over a descriptor from `inotify_init1` (see `Inotify.open()`).
    init(adopting descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { close() }

    /// A new non-blocking, close-on-exec inotify descriptor. The kernel sizes
    /// its event queue (`fs.inotify.max_queued_events`) at this moment.
    static func open() throws(SystemCallError) -> Int32 {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw SystemCallError(call: "inotify_init1", code: errno) }
        return descriptor
    }

    func addWatch(_ path: String, mask: InotifyMask = .folderWatch) -> Result<Int32, SystemCallError> {
        let watch = inotify_add_watch(descriptor, path, mask.rawValue)
        return watch >= 0 ? .success(watch) : .failure(SystemCallError(call: "inotify_add_watch", code: errno))
    }

    /// The kernel answers with `IN_IGNORED` for the watch; a watch it already
    /// dropped (its folder deleted) fails with `EINVAL`, which is harmless.
    func removeWatch(_ watch: Int32) {
        _ = inotify_rm_watch(descriptor, watch)
    }

    enum ReadResult {
        case events
        case empty
        case failed(SystemCallError)
    }

    /// Appends the events of one `read` to `events`; `.empty` when the queue
    /// is drained.
    func read(into events: inout [InotifyEvent]) -> ReadResult {
        let count = buffer.withUnsafeMutableBytes { raw in
            Glibc.read(descriptor, raw.baseAddress, raw.count)
        }
        if count < 0 {
            let code = errno
            if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return .empty }
            return .failed(SystemCallError(call: "read(inotify)", code: code))
        }
        if count == 0 { return .empty }
        buffer.withUnsafeBytes { raw in
            Inotify.parse(UnsafeRawBufferPointer(rebasing: raw[..<count]), into: &events)
        }
        return .events
    }

    /// Splits a buffer of `struct inotify_event` records. The kernel never
    /// splits a record across reads; a record that claims more bytes than are
    /// left ends the parse instead of reading past the buffer.
    static func parse(_ bytes: UnsafeRawBufferPointer, into events: inout [InotifyEvent]) {
        let headerSize = 16  // wd, mask, cookie, len: four 32-bit fields
        var offset = 0
        while offset + headerSize <= bytes.count {
            let watch = bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self)
            let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let cookie = bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
            let nameLength = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            let nameStart = offset + headerSize
            guard nameLength <= bytes.count - nameStart else { return }
            // The name is NUL-padded to an aligned length.
            let padded = bytes[nameStart..<(nameStart + nameLength)]
            let nameBytes = padded.prefix { $0 != 0 }
            let name = String(validating: nameBytes, as: UTF8.self)
            events.append(
                InotifyEvent(
                    watch: watch, mask: InotifyMask(rawValue: mask), cookie: cookie,
                    name: name ?? String(decoding: nameBytes, as: UTF8.self), nameIsUTF8: name != nil))
            offset = nameStart + nameLength
        }
    }

    /// Closing the instance drops every watch at once (no `IN_IGNORED` per watch).
    func close() {
        guard !isClosed else { return }
        isClosed = true
        _ = Glibc.close(descriptor)
    }
}
