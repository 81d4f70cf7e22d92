import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Directory entries that are not plain files with plain names: what input
/// folders hold now and then, and what must never stall a scan or a read.
public enum SpecialFiles {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Makes a FIFO at `path`.
    public static func makeFIFO(at path: String) throws {
        guard mkfifo(path, 0o644) == 0 else { throw failure("mkfifo \(path)") }
    }

    /// Binds a Unix socket of `type` at `path`; the caller closes the returned
    /// descriptor (the socket file stays until removed).
    public static func bindSocket(at path: String, type: __socket_type = SOCK_STREAM) throws -> Int32 {
        let descriptor = socket(AF_UNIX, Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw failure("socket") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(descriptor)
            throw Failure(description: "socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            let error = failure("bind \(path)")
            close(descriptor)
            throw error
        }
        return descriptor
    }

    /// Writes `contents` to a file in `folder` whose name is the raw bytes
    /// `name` (which need not be UTF-8: Foundation cannot make such a file).
    public static func writeFile(named name: [UInt8], in folder: String, contents: String) throws {
        let path = rawPath(name, in: folder)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("open \(folder)/<raw name>") }
        defer { close(descriptor) }
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw failure("write \(folder)/<raw name>") }
    }

    /// Makes a folder in `folder` whose name is the raw bytes `name`.
    public static func makeFolder(named name: [UInt8], in folder: String) throws {
        let path = rawPath(name, in: folder)
        guard mkdir(path, 0o755) == 0 else { throw failure("mkdir \(folder)/<raw name>") }
    }

    /// `folder/name` as a C string, `name` byte for byte.
    private static func rawPath(_ name: [UInt8], in folder: String) -> [CChar] {
        (Array(folder.utf8) + [UInt8(ascii: "/")] + name).map { CChar(bitPattern: $0) } + [0]
    }

    private static func failure(_ call: String) -> Failure {
        Failure(description: "\(call): \(String(cString: strerror(errno)))")
    }
}
