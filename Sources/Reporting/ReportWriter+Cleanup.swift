#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What a writer leaves behind: temporaries, unfinished reports, old reports.
extension ReportWriter {
    /// Temporaries left by a writer that was killed mid-write: those whose pid
    /// no longer runs, and this process's own (it writes one report at a time).
    func removeStaleTemporaries(in folder: OutputFolder) {
        for name in folderNames() where name.hasPrefix(".") {
            guard let pid = ReportWriter.writerPid(ofTemporary: name) else { continue }
            if pid != getpid(), ReportWriter.isRunning(pid) { continue }
            folder.remove(name)
        }
        // Charts staged by such a writer: folders of their own.
        guard let charts = try? folder.subfolder(ReportWriter.chartsFolder, create: false) else { return }
        for name in charts.names() where name.hasPrefix(".") {
            guard let pid = ReportWriter.writerPid(ofTemporary: name) else { continue }
            if pid != getpid(), ReportWriter.isRunning(pid) { continue }
            charts.removeFolder(name)
        }
    }

    /// A report whose writer was killed between its links (no `.md`, or no
    /// `.json`): the files it published are removed, unless a live writer
    /// still holds the temporary of a missing one (it is publishing that
    /// report right now).
    func removeOrphans(in folder: OutputFolder) {
        let names = folderNames()
        let pending = Set(
            names.filter { $0.hasPrefix(".") }.compactMap { name -> String? in
                guard let pid = ReportWriter.writerPid(ofTemporary: name), ReportWriter.isRunning(pid),
                    let marker = name.range(of: ReportWriter.temporaryMarker)
                else { return nil }
                return String(name[name.index(after: name.startIndex)..<marker.lowerBound])
            })
        let bases = ReportWriter.bases(in: names)
        for (base, present) in bases where !(present.contains(".md") && present.contains(".json")) {
            let missing = ReportWriter.endings.filter { !present.contains($0) }
            if missing.contains(where: { pending.contains(base + $0) }) { continue }
            for ending in present { folder.remove(base + ending) }
        }
        // Charts whose report never got its `.md` (or lost it).
        guard let charts = try? folder.subfolder(ReportWriter.chartsFolder, create: false) else { return }
        for base in charts.names() where ReportWriter.isReportBase(base) && bases[base]?.contains(".md") != true {
            if ReportWriter.endings.contains(where: { pending.contains(base + $0) }) { continue }
            // Another process may be publishing it right now (its folder is
            // renamed into place just before its files get their names): a
            // folder that young, or whose report has its `.md` by now, stays.
            if folder.holdsRegularFile(base + ".md") || charts.age(of: base) < orphanAge { continue }
            charts.removeFolder(base)
        }
    }

    /// Removes the oldest reports beyond the retention; returns the names removed.
    func prune(in folder: OutputFolder, keeping current: Set<String>) -> [String] {
        guard retain > 0 else { return [] }
        let bases = reportBases()
        guard bases.count > retain else { return [] }
        var removed: [String] = []
        let charts = try? folder.subfolder(ReportWriter.chartsFolder, create: false)
        for base in bases.prefix(bases.count - retain) {
            for name in ReportWriter.endings.map({ base + $0 }) where !current.contains(name) {
                if folder.remove(name) { removed.append(name) }
            }
            // Never the new report's own (a clock stepped back can sort it among the oldest).
            if let charts, !current.contains(base + ".md"), charts.removeFolder(base) { removed.append(ReportWriter.chartsPath(of: base)) }
        }
        return removed
    }

    private func folderNames() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    /// The pid in `.<name>.tmp-<pid>[-<random>]`; nil for any other name.
    static func writerPid(ofTemporary name: String) -> pid_t? {
        guard let marker = name.range(of: temporaryMarker, options: .backwards) else { return nil }
        let tail = name[marker.upperBound...]
        guard let pid = pid_t(tail.split(separator: "-", maxSplits: 1).first ?? ""), pid > 0 else { return nil }
        return pid
    }

    /// Whether `pid` runs (EPERM: alive, but another user's).
    static func isRunning(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
