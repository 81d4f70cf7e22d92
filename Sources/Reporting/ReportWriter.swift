#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Writes a report pair into the output folder so that a reader never sees half
/// of one: each file goes to a temporary name, is flushed to disk, then renamed
/// into place; `latest.md` and `latest.json` are swapped the same way. Old
/// reports beyond the retention are removed afterwards.
public struct ReportWriter: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "output folder \(path): \(reason)" }
    }

    public struct Written: Sendable, Equatable {
        public var markdownPath: String
        public var jsonPath: String
        public var pruned: [String]
    }

    public let directory: String
    /// Reports to keep (0 keeps all).
    public let retain: Int

    static let prefix = "chimera-report-"

    public init(directory: String, retain: Int) {
        self.directory = directory
        self.retain = retain
    }

    /// Creates the folder when needed and proves it writable, before any work is done.
    public func prepare() throws(Failure) {
        var existing = stat()
        if stat(directory, &existing) == 0, (existing.st_mode & S_IFMT) != S_IFDIR {
            throw Failure(path: directory, reason: "is not a folder")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(path: directory, reason: "cannot be created (\(ReportWriter.reason(error)))")
        }
        var info = stat()
        guard stat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw Failure(path: directory, reason: "is not a folder")
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            throw Failure(path: directory, reason: "is not writable (\(String(cString: strerror(errno))))")
        }
        removeStaleTemporaries()
    }

    public func write(markdown: String, json: String, at date: Date) throws(Failure) -> Written {
        let base = uniqueBase(for: date)
        let markdownName = base + ".md"
        let jsonName = base + ".json"
        try place(json, as: jsonName)
        try place(markdown, as: markdownName)
        try link("latest.json", to: jsonName)
        try link("latest.md", to: markdownName)
        syncDirectory()
        let pruned = prune(keeping: [markdownName, jsonName])
        return Written(
            markdownPath: directory + "/" + markdownName, jsonPath: directory + "/" + jsonName, pruned: pruned)
    }

    /// `chimera-report-YYYYMMDDTHHMMSSZ`, with `-2`, `-3`, ... when that second is taken.
    private func uniqueBase(for date: Date) -> String {
        let stamp = ReportWriter.prefix + Timestamps.compact(date)
        var candidate = stamp
        var suffix = 2
        while FileManager.default.fileExists(atPath: directory + "/" + candidate + ".md")
            || FileManager.default.fileExists(atPath: directory + "/" + candidate + ".json")
        {
            candidate = stamp + "-" + String(suffix)
            suffix += 1
        }
        return candidate
    }

    private func place(_ text: String, as name: String) throws(Failure) {
        let temporary = directory + "/." + name + ".tmp-" + String(getpid())
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure(path: temporary, reason: String(cString: strerror(errno))) }
        var bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(descriptor, base + written, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(descriptor)
                unlink(temporary)
                throw Failure(path: temporary, reason: "write failed (\(reason))")
            }
            written += count
        }
        bytes.removeAll()
        guard fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            unlink(temporary)
            throw Failure(path: temporary, reason: "fsync failed (\(reason))")
        }
        close(descriptor)
        guard rename(temporary, directory + "/" + name) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(path: directory + "/" + name, reason: "rename failed (\(reason))")
        }
    }

    /// Points `name` at `target` (relative, so the folder can move) by renaming a
    /// fresh symlink over it: readers see the old or the new report, never none.
    private func link(_ name: String, to target: String) throws(Failure) {
        let temporary = directory + "/." + name + ".tmp-" + String(getpid())
        unlink(temporary)
        guard symlink(target, temporary) == 0 else {
            throw Failure(path: temporary, reason: "symlink failed (\(String(cString: strerror(errno))))")
        }
        guard rename(temporary, directory + "/" + name) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(path: directory + "/" + name, reason: "rename failed (\(reason))")
        }
    }

    private func syncDirectory() {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// Report bases in the folder, oldest first (by time stamp, then suffix).
    func reportBases() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var bases = Set<String>()
        for name in names where name.hasPrefix(ReportWriter.prefix) && !name.hasPrefix(".") {
            if name.hasSuffix(".md") { bases.insert(String(name.dropLast(3))) }
            if name.hasSuffix(".json") { bases.insert(String(name.dropLast(5))) }
        }
        // Each name's sort key is made once, not once per comparison.
        return bases.map { ($0, ReportWriter.order($0)) }.sorted { $0.1 < $1.1 }.map(\.0)
    }

    private static func order(_ base: String) -> (String, Int) {
        let stamp = base.dropFirst(prefix.count)
        if let dash = stamp.firstIndex(of: "-"), let suffix = Int(stamp[stamp.index(after: dash)...]) {
            return (String(stamp[..<dash]), suffix)
        }
        return (String(stamp), 1)
    }

    private func prune(keeping current: Set<String>) -> [String] {
        guard retain > 0 else { return [] }
        let bases = reportBases()
        guard bases.count > retain else { return [] }
        var removed: [String] = []
        for base in bases.prefix(bases.count - retain) {
            for name in [base + ".md", base + ".json"] where !current.contains(name) {
                if unlink(directory + "/" + name) == 0 { removed.append(name) }
            }
        }
        return removed
    }

    /// Temporaries left by a writer that was killed mid-write.
    private func removeStaleTemporaries() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(".") && name.contains(".tmp-") {
            let pidText = name.split(separator: "-").last.map(String.init) ?? ""
            // Its writer still runs (EPERM: alive, but another user's).
            if let pid = Int32(pidText), pid != getpid(), kill(pid, 0) == 0 || errno == EPERM { continue }
            unlink(directory + "/" + name)
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? CocoaError, let underlying = error.underlying as? POSIXError {
            return String(cString: strerror(underlying.code.rawValue))
        }
        return (error as NSError).localizedDescription
    }
}
