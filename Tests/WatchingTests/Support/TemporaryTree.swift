import Foundation
import Glibc

/// A folder under the system's temporary folder, removed with everything in it
/// when the value is released. Paths are resolved (`/tmp` may be a link), as
/// the watcher expects its roots.
final class TemporaryTree {
    let path: String

    init(_ label: String = "watching") throws {
        var template = Array((NSTemporaryDirectory() + "/chimerad-\(label)-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template), let resolved = realpath(made, nil) else {
            throw TreeError("mkdtemp: \(String(cString: strerror(errno)))")
        }
        path = String(cString: resolved)
        free(resolved)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func absolute(_ relative: String) -> String { relative.isEmpty ? path : path + "/" + relative }

    /// open, write, close: what a benchmark writing its results does.
    func write(_ relative: String, _ contents: String = "x,y\n1,2\n") throws {
        try TemporaryTree.write(absolute: absolute(relative), contents)
    }

    static func write(absolute: String, _ contents: String) throws {
        let file = open(absolute, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard file >= 0 else { throw TreeError("open \(absolute): \(String(cString: strerror(errno)))") }
        defer { close(file) }
        let bytes = Array(contents.utf8)
        guard bytes.withUnsafeBytes({ Glibc.write(file, $0.baseAddress, $0.count) }) == bytes.count else {
            throw TreeError("write \(absolute): \(String(cString: strerror(errno)))")
        }
    }

    /// `mkdir -p`.
    func makeFolder(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: absolute(relative), withIntermediateDirectories: true)
    }

    func rename(_ from: String, _ to: String) throws {
        guard Glibc.rename(absolute(from), absolute(to)) == 0 else {
            throw TreeError("rename \(from) \(to): \(String(cString: strerror(errno)))")
        }
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: absolute(relative))
    }

    func link(_ relative: String, to target: String) throws {
        guard symlink(target, absolute(relative)) == 0 else {
            throw TreeError("symlink \(relative): \(String(cString: strerror(errno)))")
        }
    }

    struct TreeError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
