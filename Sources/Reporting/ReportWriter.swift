#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Analysis
import Foundation
import Records

/// Publishes a report's files (JSON, HTML, Markdown) into the output folder
/// whole or not at all.
///
/// All files are written to temporaries and synced before any is given its
/// final name, so a full disk or a failed write leaves no part of a report;
/// the Markdown takes its name last, so a report without its `.md` is
/// unfinished: a process killed between the links leaves one, which the next
/// `prepare()` removes. Everything is done relative to the folder's descriptor and nothing
/// under it is ever written through a symbolic link:
/// - temporaries have unguessable names and are created with `O_EXCL|O_NOFOLLOW`,
///   so a link planted at a temporary name is refused, never followed;
/// - final names are taken with `linkat`, which never replaces what is there (a
///   planted file or link at a report's name makes the writer take the next suffix);
/// - `latest.md`, `latest.json` and `latest.html` are fresh symlinks renamed over the old ones,
///   which replaces the entry itself, never the file it points to.
///
/// ```swift
/// let writer = ReportWriter(directory: "/var/lib/chimerad/reports", retain: 50)
/// try writer.prepare()
/// let written = try writer.write(markdown: markdown, json: json, html: html, at: Date())
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
            /// The name a report linking its charts was rendered with was
            /// taken by another writer before it was published.
            case nameTaken
            /// Its caller could not mark the publication before it (the state store failed).
            case notMarked
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
        package var htmlPath: String
        package var pruned: [String]
    }

    package let directory: String
    /// Reports to keep (0 keeps all).
    package let retain: Int

    static let prefix = ReportNaming.prefix
    /// A report's files in the order they are published: the `.md` last, so
    /// a report whose `.md` is there is whole. (Reports of chimerad before the
    /// HTML have no `.html`; they are whole too.)
    static let endings = [".json", ".html", ".md"]
    /// Marks a writer's temporaries: `.<final name>.tmp-<pid>-<random>`.
    static let temporaryMarker = ".tmp-"

    /// A relative `directory` is taken from the working directory, and kept
    /// absolute: the paths a report's record, webhook events and journal
    /// entries give must name it from anywhere (`out/x.md` did not).
    package init(directory: String, retain: Int) {
        self.directory = directory.isEmpty ? directory : URL(fileURLWithPath: directory).standardizedFileURL.path
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

    /// The output folder, opened; a failure names `name`, the file it was opened for.
    func openFolder(for name: String) throws(Failure) -> OutputFolder {
        do {
            return try OutputFolder(directory)
        } catch {
            throw Failure(
                path: directory + "/" + name, kind: .cannotOpenFolder, errorCode: error.code,
                reason: "cannot open the folder (\(OutputFolder.errorText(error.code)))")
        }
    }

    /// A chart of a report: an SVG file in `charts/<report>/`.
    package struct Chart: Sendable, Equatable {
        /// The file's name (`leaderboard.svg`).
        package var name: String
        package var svg: String

        package init(name: String, svg: String) {
            self.name = name
            self.svg = svg
        }
    }

    /// How old (seconds) an unfinished report's charts folder must be before
    /// a start removes it: younger, its writer may still be publishing.
    package var orphanAge: Double = 60

    /// The folder of every report's charts, one subfolder per report.
    package static let chartsFolder = "charts"

    /// The charts folder of the report `base`, relative to the output folder,
    /// as the report links its charts (`charts/chimera-report-...Z`).
    package static func chartsPath(of base: String) -> String { chartsFolder + "/" + base }

    /// The name a report of `date` will get, unless another writer takes it
    /// first: the first base (`chimera-report-YYYYMMDDTHHMMSSZ`, then `-2`, ...)
    /// no file and no charts folder has. A report that links its charts
    /// needs its name before it is rendered.
    package func freeBase(at date: Date) -> String {
        let stamp = ReportWriter.prefix + Timestamps.compact(date)
        var suffix = firstSuffix(of: stamp)
        while true {
            let base = suffix == 1 ? stamp : stamp + "-" + String(suffix)
            suffix += 1
            let names = ReportWriter.endings.map { directory + "/" + base + $0 } + [directory + "/" + ReportWriter.chartsPath(of: base)]
            var info = stat()
            if !names.contains(where: { lstat($0, &info) == 0 }) { return base }
        }
    }

    /// Publishes a report without charts under the first free name of `date`.
    package func write(markdown: String, json: String, html: String, at date: Date) throws(Failure) -> Written {
        let stamp = ReportWriter.prefix + Timestamps.compact(date)
        return try write(
            markdown: markdown, json: json, html: html, charts: [], bases: ReportWriter.bases(from: stamp, startingAt: firstSuffix(of: stamp)))
    }

    /// The first suffix a new report of `stamp`'s second may take: one past
    /// the highest a report of that second has. A name retention freed is
    /// never taken again: the newest report, under the oldest name of its
    /// second, was the first the next prune removed.
    func firstSuffix(of stamp: String) -> Int {
        let second = String(stamp.dropFirst(ReportWriter.prefix.count))
        return reportBases().reduce(1) { next, base in
            let (baseSecond, suffix) = ReportWriter.order(base)
            return baseSecond == second ? max(next, suffix + 1) : next
        }
    }

    /// Publishes a report and its charts as `base` (from `freeBase(at:)`: its
    /// files link the charts by it). Another writer having taken the name
    /// meanwhile fails the report (`.nameTaken`); nothing is overwritten.
    /// `beforePublishing` is told, once every file is on disk and before any
    /// gets its name, what will be published (its caller marks the
    /// publication with them: `withdraw(base:files:)`); throwing, it stops
    /// the report unpublished.
    package func write(
        base: String, markdown: String, json: String, html: String, charts: [Chart],
        beforePublishing: ([PublishedFile]) throws(Failure) -> Void = { _ in }
    ) throws(Failure) -> Written {
        try write(markdown: markdown, json: json, html: html, charts: charts, bases: [base], beforePublishing: beforePublishing)
    }

    private func write(
        markdown: String, json: String, html: String, charts: [Chart], bases: some Sequence<String>,
        beforePublishing: ([PublishedFile]) throws(Failure) -> Void = { _ in }
    ) throws(Failure) -> Written {
        let firstBase = bases.first { _ in true } ?? ReportWriter.prefix
        let folder = try openFolder(for: firstBase + ".json")
        for ending in ReportWriter.endings { try folder.checkLinkable("latest" + ending) }
        // Every file complete and on disk before any is published: the charts
        // in a folder of their own under a temporary name, then the report's files.
        let base: String
        var files: [PublishedFile] = []
        do throws(Failure) {
            let staged = try charts.isEmpty ? nil : stageCharts(for: firstBase, in: folder)
            defer { if let staged { staged.folder.removeFolder(staged.name) } }
            let contents = [".json": json, ".html": html, ".md": markdown]
            // A chart the newest report drew the same (an unchanged group's) is
            // linked from its folder, already on disk: neither written nor synced again.
            var writes: [FileWrite] = []
            if let staged {
                writes = charts.filter { !staged.reuse($0) }.map { FileWrite(folder: staged.staging, name: $0.name, text: $0.svg, temporary: false) }
            }
            writes += ReportWriter.endings.map { FileWrite(folder: folder, name: firstBase + $0, text: contents[$0] ?? "", temporary: true) }
            // Files share nothing: each is written and synced on a thread of
            // its own, and a report's fsyncs wait side by side, not in turn
            // (a thread a core left half of them queued behind the others).
            FileWrite.runAtOnce(&writes)
            let temporaries = writes.filter(\.temporary).compactMap { try? $0.outcome?.get() }
            if let failure = writes.lazy.compactMap(\.failure).first {
                temporaries.forEach { folder.remove($0) }
                throw failure
            }
            staged?.staging.sync()
            files = ReportWriter.publishedFiles(
                base: firstBase, temporaries: temporaries, in: folder, charts: staged.map { ($0.folder, $0.name) })
            do throws(Failure) {
                try beforePublishing(files)
            } catch {
                temporaries.forEach { folder.remove($0) }
                throw error
            }
            base = try publish(in: folder, bases: bases, temporaries: temporaries, charts: staged.map { ($0.folder, $0.name) })
        } catch {
            // A charts folder this report created, and left empty, goes too: nothing of it stays.
            unlinkat(folder.descriptor, ReportWriter.chartsFolder, AT_REMOVEDIR)
            throw error
        }
        do {
            for ending in ReportWriter.endings { try folder.pointLink("latest" + ending, at: base + ending) }
        } catch {
            // Published, but `latest.*` could not point at it: taken back, so a
            // write that fails publishes nothing (its caller records nothing).
            _ = try? withdraw(base: base, files: files)
            throw error
        }
        folder.sync()
        let pruned = prune(in: folder, keeping: Set(ReportWriter.endings.map { base + $0 }))
        return Written(
            markdownPath: directory + "/" + base + ".md", jsonPath: directory + "/" + base + ".json",
            htmlPath: directory + "/" + base + ".html", pruned: pruned)
    }

    /// A report's charts folder while it is written: created under a
    /// temporary name in `charts/`, renamed to the report's when it is published.
    private struct StagedCharts {
        let folder: OutputFolder
        let name: String
        let staging: OutputFolder
        /// The folder of the newest report's charts, if any.
        let previous: OutputFolder?

        /// Links `chart` from the newest report's folder when that holds it
        /// byte for byte; whether it did.
        func reuse(_ chart: Chart) -> Bool {
            guard let previous, previous.contents(of: chart.name, limit: chart.svg.utf8.count + 1) == Array(chart.svg.utf8) else {
                return false
            }
            return linkat(previous.descriptor, chart.name, staging.descriptor, chart.name, 0) == 0
        }
    }

    private func stageCharts(for base: String, in folder: OutputFolder) throws(Failure) -> StagedCharts {
        let chartsFolder = try folder.subfolder(ReportWriter.chartsFolder, create: true)
        let name = OutputFolder.temporaryName(for: base)
        guard mkdirat(chartsFolder.descriptor, name, 0o755) == 0 else {
            let code = errno
            throw Failure(
                path: chartsFolder.path + "/" + name, kind: .cannotCreateFile, errorCode: code,
                reason: "mkdir failed (\(OutputFolder.errorText(code)))")
        }
        do throws(Failure) {
            let staging = try chartsFolder.subfolder(name, create: false)
            let previous = folder.target(ofLink: "latest.md").flatMap { target in
                target.hasSuffix(".md") ? try? chartsFolder.subfolder(String(target.dropLast(3)), create: false) : nil
            }
            return StagedCharts(folder: chartsFolder, name: name, staging: staging, previous: previous)
        } catch {
            chartsFolder.removeFolder(name)
            throw error
        }
    }

    /// One file of a report to write and sync: a chart under its name in the
    /// staging folder, or a report file under a temporary name.
    private struct FileWrite {
        let folder: OutputFolder
        let name: String
        let text: String
        let temporary: Bool
        /// The name written (a temporary's is made up), or why it failed.
        var outcome: Result<String, Failure>?

        init(folder: OutputFolder, name: String, text: String, temporary: Bool) {
            self.folder = folder
            self.name = name
            self.text = text
            self.temporary = temporary
        }

        var failure: Failure? {
            if case .failure(let failure) = outcome { return failure }
            return nil
        }

        /// Runs every write at once: they wait on the disk, not on a core.
        /// At most `threads` threads, each taking every `threads`-th write.
        static func runAtOnce(_ writes: inout [FileWrite], threads: Int = 16) {
            let workers = min(writes.count, threads)
            guard workers > 1 else {
                for index in writes.indices { writes[index].run() }
                return
            }
            writes.withUnsafeMutableBufferPointer { buffer in
                let shared = Shared(buffer: buffer)
                let done = DispatchGroup()
                for worker in 1..<workers {
                    done.enter()
                    let share: @Sendable () -> Void = {
                        shared.run(from: worker, every: workers)
                        done.leave()
                    }
                    // A thread the system refuses (a pids limit): this one writes its share.
                    if DetachedThread.start(name: "report write", share) != 0 { share() }
                }
                shared.run(from: 0, every: workers)
                done.wait()
            }
        }

        /// Each worker writes only its own elements, so sharing the buffer is safe.
        private struct Shared: @unchecked Sendable {
            let buffer: UnsafeMutableBufferPointer<FileWrite>

            func run(from first: Int, every step: Int) {
                for index in stride(from: first, to: buffer.count, by: step) { buffer[index].run() }
            }
        }

        mutating func run() {
            do throws(Failure) {
                if temporary {
                    outcome = .success(try folder.writeTemporary(text, for: name))
                } else {
                    try folder.writeNew(text, as: name)
                    outcome = .success(name)
                }
            } catch {
                outcome = .failure(error)
            }
        }
    }

    /// `stamp`, then `stamp-2`, `stamp-3`, ...
    private static func bases(from stamp: String, startingAt first: Int) -> UnfoldSequence<String, Int> {
        sequence(state: first) { suffix in
            defer { suffix += 1 }
            return suffix == 1 ? stamp : stamp + "-" + String(suffix)
        }
    }

    /// Gives the synced temporaries (one per ending, in `endings`' order)
    /// their final names under the first of `bases` that is free: the charts
    /// folder first (when there is one), then the JSON, so a base is taken
    /// once its `.json` is; the HTML and the Markdown follow, and only then
    /// are the temporaries removed. A file already at one of the names
    /// (planted, or another writer's) sends the whole report to the next
    /// base; when there is none (a report linking its charts by its name),
    /// the report fails with `.nameTaken`.
    private func publish(
        in folder: OutputFolder, bases: some Sequence<String>, temporaries: [String], charts: (folder: OutputFolder, name: String)?
    ) throws(Failure) -> String {
        defer { temporaries.forEach { folder.remove($0) } }
        next: for base in bases {
            if let charts {
                switch charts.folder.renameNew(charts.name, as: base) {
                case .linked: break
                case .taken: continue next
                case .failed(let code, let reason):
                    throw Failure(path: charts.folder.path + "/" + base, kind: .linkFailed, errorCode: code, reason: reason)
                }
            }
            var linked: [String] = []
            func undo() {
                linked.forEach { folder.remove($0) }
                if let charts { charts.folder.removeFolder(base) }
            }
            for (ending, temporary) in zip(ReportWriter.endings, temporaries) {
                switch folder.linkNew(temporary, as: base + ending) {
                case .linked: linked.append(base + ending)
                case .taken:
                    undo()
                    continue next
                case .failed(let code, let reason):
                    undo()
                    throw Failure(path: directory + "/" + base + ending, kind: .linkFailed, errorCode: code, reason: reason)
                }
            }
            return base
        }
        throw Failure(path: directory, kind: .nameTaken, reason: "another writer took the report's name")
    }

    /// Report bases in the folder, oldest first (by time stamp, then suffix).
    func reportBases() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return ReportWriter.ordered(ReportWriter.bases(in: names).map(\.key))
    }

    /// Each report base among `names`, with the files (endings) it has.
    static func bases(in names: [String]) -> [String: Set<String>] {
        var bases: [String: Set<String>] = [:]
        for name in names where name.hasPrefix(prefix) {
            for ending in endings where name.hasSuffix(ending) {
                let base = String(name.dropLast(ending.count))
                if isReportBase(base) { bases[base, default: []].insert(ending) }
            }
        }
        return bases
    }

    /// Whether `base` is a name this writer gives a report:
    /// `chimera-report-YYYYMMDDTHHMMSSZ`, or with `-2`, `-3`, ... after it.
    /// Only those are pruned or taken for unfinished reports: a file of
    /// yours beside them (`chimera-report-old-copy.md`, `-keep.json`) is
    /// never touched.
    static func isReportBase(_ base: String) -> Bool {
        guard base.hasPrefix(prefix) else { return false }
        let stamp = Array(base.utf8.dropFirst(prefix.utf8.count))
        let digit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        guard stamp.count >= 16, stamp[0..<8].allSatisfy(digit), stamp[8] == UInt8(ascii: "T"), stamp[9..<15].allSatisfy(digit),
            stamp[15] == UInt8(ascii: "Z")
        else { return false }
        let suffix = stamp[16...]
        guard !suffix.isEmpty else { return true }
        // `-2` and on, as `freeBase` numbers them.
        guard suffix.first == UInt8(ascii: "-"), suffix.count >= 2, suffix.dropFirst().allSatisfy(digit),
            suffix.dropFirst().first != UInt8(ascii: "0"), suffix.count <= 10
        else { return false }
        return true
    }

    static func ordered(_ bases: [String]) -> [String] {
        // Each name's sort key is made once, not once per comparison.
        bases.map { ($0, order($0)) }.sorted { $0.1 < $1.1 }.map(\.0)
    }

    static func order(_ base: String) -> (String, Int) {
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
