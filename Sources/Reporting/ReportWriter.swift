#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Publishes a report pair into the output folder whole or not at all.
///
/// Both files are written to temporaries and synced before either is given its
/// final name, so a full disk or a failed write leaves no half pair; a process
/// killed between the two renames leaves an orphan that the next `prepare()`
/// removes. Everything is done relative to the folder's descriptor and nothing
/// under it is ever written through a symbolic link:
/// - temporaries have unguessable names and are created with `O_EXCL|O_NOFOLLOW`,
///   so a link planted at a temporary name is refused, never followed;
/// - final names are taken with `linkat`, which never replaces what is there (a
///   planted file or link at a report's name makes the writer take the next suffix);
/// - `latest.md` and `latest.json` are fresh symlinks renamed over the old ones,
///   which replaces the entry itself, never the file it points to.
///
/// ```swift
/// let writer = ReportWriter(directory: "/var/lib/chimerad/reports", retain: 50)
/// try writer.prepare()
/// let written = try writer.write(markdown: markdown, json: json, at: Date())
/// ```
package struct ReportWriter: Sendable {
    /// Why no report pair was published: `kind` says which step failed and
    /// `errorCode` the system's errno (a full disk is `ENOSPC` at any step),
    /// for code that decides; `reason` for people.
    package struct Failure: Error, CustomStringConvertible {
        package enum Kind: Sendable, Equatable {
            case notAFolder
            case cannotCreateFolder
            case notWritable
            case cannotOpenFolder
            /// Creating a temporary file failed.
            case cannotCreateFile
            case writeFailed
            case syncFailed
            /// Giving a finished report its name (link or rename) failed.
            case linkFailed
            /// Pointing `latest.*` at the new report failed.
            case latestLinkFailed
        }

        package var path: String
        package var kind: Kind
        /// The errno behind it, when the system gave one.
        package var errorCode: Int32?
        package var reason: String
        package var description: String { "output folder \(path): \(reason)" }

        /// No space left (or over quota): the disk, not the folder, is the problem.
        package var isDiskFull: Bool { errorCode == ENOSPC || errorCode == EDQUOT }

        package init(path: String, kind: Kind, errorCode: Int32? = nil, reason: String) {
            self.path = path
            self.kind = kind
            self.errorCode = errorCode
            self.reason = reason
        }
    }

    package struct Written: Sendable, Equatable {
        package var markdownPath: String
        package var jsonPath: String
        package var pruned: [String]
    }

    package let directory: String
    /// Reports to keep (0 keeps all).
    package let retain: Int

    static let prefix = "chimera-report-"
    /// Marks a writer's temporaries: `.<final name>.tmp-<pid>-<random>`.
    static let temporaryMarker = ".tmp-"

    package init(directory: String, retain: Int) {
        self.directory = directory
        self.retain = retain
    }

    /// Creates the folder when needed and proves it writable, before any work
    /// is done; removes what a writer killed mid-way left (temporaries of a
    /// process that is gone, and the first half of a pair it never finished).
    package func prepare() throws(Failure) {
        var existing = stat()
        if stat(directory, &existing) == 0, (existing.st_mode & S_IFMT) != S_IFDIR {
            throw Failure(path: directory, kind: .notAFolder, reason: "is not a folder")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(
                path: directory, kind: .cannotCreateFolder, errorCode: ReportWriter.errorCode(error),
                reason: "cannot be created (\(ReportWriter.reason(error)))")
        }
        var info = stat()
        guard stat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw Failure(path: directory, kind: .notAFolder, reason: "is not a folder")
        }
        guard access(directory, W_OK | X_OK) == 0 else {
            let code = errno
            throw Failure(path: directory, kind: .notWritable, errorCode: code, reason: "is not writable (\(String(cString: strerror(code))))")
        }
        guard let folder = try? OutputFolder(directory) else { return }
        removeStaleTemporaries(in: folder)
        removeOrphans(in: folder)
    }

    package func write(markdown: String, json: String, at date: Date) throws(Failure) -> Written {
        let stamp = ReportWriter.prefix + Timestamps.compact(date)
        let folder: OutputFolder
        do {
            folder = try OutputFolder(directory)
        } catch {
            throw Failure(
                path: directory + "/" + stamp + ".json", kind: .cannotOpenFolder, errorCode: error.code,
                reason: "cannot open the folder (\(OutputFolder.errorText(error.code)))")
        }
        // Both halves complete and on disk before either is published.
        let jsonTemporary = try folder.writeTemporary(json, for: stamp + ".json")
        let markdownTemporary: String
        do {
            markdownTemporary = try folder.writeTemporary(markdown, for: stamp + ".md")
        } catch {
            folder.remove(jsonTemporary)
            throw error
        }
        let base = try publish(
            in: folder, stamp: stamp, json: jsonTemporary, markdown: markdownTemporary)
        let markdownName = base + ".md"
        let jsonName = base + ".json"
        try folder.pointLink("latest.json", at: jsonName)
        try folder.pointLink("latest.md", at: markdownName)
        folder.sync()
        let pruned = prune(in: folder, keeping: [markdownName, jsonName])
        return Written(
            markdownPath: directory + "/" + markdownName, jsonPath: directory + "/" + jsonName, pruned: pruned)
    }

    /// Gives the two synced temporaries their final names under the first free
    /// base (`chimera-report-YYYYMMDDTHHMMSSZ`, then `-2`, `-3`, ...): the JSON
    /// is linked first, so a base is taken once its `.json` is; the Markdown
    /// follows, and only then are the temporaries removed. A `.md` already at
    /// the name (planted, or another writer's) sends both to the next base.
    private func publish(in folder: OutputFolder, stamp: String, json: String, markdown: String) throws(Failure) -> String {
        defer {
            folder.remove(json)
            folder.remove(markdown)
        }
        var suffix = 1
        while true {
            let base = suffix == 1 ? stamp : stamp + "-" + String(suffix)
            suffix += 1
            switch folder.linkNew(json, as: base + ".json") {
            case .taken: continue
            case .failed(let code, let reason):
                throw Failure(path: directory + "/" + base + ".json", kind: .linkFailed, errorCode: code, reason: reason)
            case .linked: break
            }
            switch folder.linkNew(markdown, as: base + ".md") {
            case .linked: return base
            case .taken:
                folder.remove(base + ".json")
                continue
            case .failed(let code, let reason):
                folder.remove(base + ".json")
                throw Failure(path: directory + "/" + base + ".md", kind: .linkFailed, errorCode: code, reason: reason)
            }
        }
    }

    /// Report bases in the folder, oldest first (by time stamp, then suffix).
    func reportBases() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return ReportWriter.ordered(ReportWriter.bases(in: names).map(\.key))
    }

    /// Each report base among `names`, with the halves it has.
    static func bases(in names: [String]) -> [String: Set<String>] {
        var bases: [String: Set<String>] = [:]
        for name in names where name.hasPrefix(prefix) {
            for ending in [".md", ".json"] where name.hasSuffix(ending) {
                bases[String(name.dropLast(ending.count)), default: []].insert(ending)
            }
        }
        return bases
    }

    static func ordered(_ bases: [String]) -> [String] {
        // Each name's sort key is made once, not once per comparison.
        bases.map { ($0, order($0)) }.sorted { $0.1 < $1.1 }.map(\.0)
    }

    private static func order(_ base: String) -> (String, Int) {
        let stamp = base.dropFirst(prefix.count)
        if let dash = stamp.firstIndex(of: "-"), let suffix = Int(stamp[stamp.index(after: dash)...]) {
            return (String(stamp[..<dash]), suffix)
        }
        return (String(stamp), 1)
    }

    /// The errno behind a Foundation file error, when it has one.
    private static func errorCode(_ error: any Error) -> Int32? {
        let cause = (error as? CocoaError)?.underlying ?? error
        if let posix = cause as? POSIXError { return posix.code.rawValue }
        let bridged = cause as NSError
        return bridged.domain == NSPOSIXErrorDomain ? Int32(truncatingIfNeeded: bridged.code) : nil
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? CocoaError, let underlying = error.underlying as? POSIXError {
            return String(cString: strerror(underlying.code.rawValue))
        }
        return (error as NSError).localizedDescription
    }
}
