#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Taking back a report that was published but never recorded, and only
/// what its writer published: a writer killed before its files got their
/// names left the name free, and another state's writer sharing the folder
/// may hold it since.
///
///     let files: [ReportWriter.PublishedFile] = ...  // given to `write`'s `beforePublishing`
///     try writer.withdraw(base: "chimera-report-20261206T032820Z", files: files)
extension ReportWriter {
    /// One of a report's files, or its charts folder, as its writer made it
    /// before it got its name: the name it gets (`chimera-report-...Z.md`,
    /// `charts/chimera-report-...Z`) and what it is on disk. A name is given
    /// by a link or a rename, so the file published is the one made.
    /// An inode number alone is no identity: a file removed frees its number
    /// for the next one made (a killed writer's temporaries are removed by
    /// the next writer, whose files may get their numbers), so the time its
    /// content was written, to the nanosecond, goes with it.
    package struct PublishedFile: Sendable, Equatable {
        package var name: String
        package var identity: FileIdentity

        package init(name: String, identity: FileIdentity) {
            self.name = name
            self.identity = identity
        }

        /// As a store keeps it: `device:inode:modified:name`.
        package var text: String { "\(identity.device):\(identity.inode):\(identity.modifiedNanoseconds):\(name)" }

        package init?(text: String) {
            let parts = text.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count == 4, let device = UInt64(parts[0]), let inode = UInt64(parts[1]), let modified = Int64(parts[2]) else {
                return nil
            }
            self.init(name: String(parts[3]), identity: FileIdentity(device: device, inode: inode, modifiedNanoseconds: modified))
        }
    }

    /// What a file is on disk: its device, inode and content's last write.
    package struct FileIdentity: Sendable, Equatable {
        package var device: UInt64
        package var inode: UInt64
        package var modifiedNanoseconds: Int64

        package init(device: UInt64, inode: UInt64, modifiedNanoseconds: Int64) {
            self.device = device
            self.inode = inode
            self.modifiedNanoseconds = modifiedNanoseconds
        }
    }

    /// Withdraws the report `base`: each of its names that still holds the
    /// file its writer made (`files`), and its charts folder likewise. What
    /// the store does not know must not stay published (its webhook event
    /// was never queued, its regressions never stored); the next report
    /// covers its changes. `latest.*` that pointed at a name now empty point
    /// at the newest report left, or go with the last one. Returns the names
    /// removed; a name that could not be removed is a failure, so its writer's
    /// mark stays for the next report.
    package func withdraw(base: String, files: [PublishedFile]) throws(Failure) -> [String] {
        guard base.hasPrefix(ReportWriter.prefix), !base.contains("/") else { return [] }
        let folder = try openFolder(for: base + ".md")
        func made(_ name: String, in folder: OutputFolder, as shown: String) -> Bool {
            guard let file = files.first(where: { $0.name == shown }) else { return false }
            return folder.identity(of: name) == file.identity
        }
        var removed: [String] = []
        for name in ReportWriter.endings.map({ base + $0 }) where made(name, in: folder, as: name) {
            guard folder.remove(name) else {
                let code = errno
                throw Failure(
                    path: directory + "/" + name, kind: .linkFailed, errorCode: code, reason: "could not be removed (\(OutputFolder.errorText(code)))"
                )
            }
            removed.append(name)
        }
        let chartsName = ReportWriter.chartsPath(of: base)
        if let charts = try? folder.subfolder(ReportWriter.chartsFolder, create: false), made(base, in: charts, as: chartsName),
            charts.removeFolder(base)
        {
            removed.append(chartsName)
        }
        let newest = reportBases().last { folder.holdsRegularFile($0 + ".md") }
        for ending in ReportWriter.endings where folder.target(ofLink: "latest" + ending) == base + ending && !folder.holdsRegularFile(base + ending)
        {
            if let newest { try folder.pointLink("latest" + ending, at: newest + ending) } else { folder.remove("latest" + ending) }
        }
        folder.sync()
        return removed
    }

    /// What the report's temporaries and staged charts folder are, under the names they will get.
    static func publishedFiles(
        base: String, temporaries: [String], in folder: OutputFolder, charts: (folder: OutputFolder, name: String)?
    ) -> [PublishedFile] {
        var files: [PublishedFile] = []
        for (ending, temporary) in zip(ReportWriter.endings, temporaries) {
            if let identity = folder.identity(of: temporary) { files.append(PublishedFile(name: base + ending, identity: identity)) }
        }
        if let charts, let identity = charts.folder.identity(of: charts.name) {
            files.append(PublishedFile(name: ReportWriter.chartsPath(of: base), identity: identity))
        }
        return files
    }
}

extension OutputFolder {
    /// What the entry `name` here is (a link itself, not followed).
    func identity(of name: String) -> ReportWriter.FileIdentity? {
        var info = stat()
        guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
        return ReportWriter.FileIdentity(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino),
            modifiedNanoseconds: Int64(info.st_mtim.tv_sec) &* 1_000_000_000 &+ Int64(info.st_mtim.tv_nsec))
    }
}
