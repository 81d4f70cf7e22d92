#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What a writer leaves behind: temporaries, orphaned halves, old reports.
extension ReportWriter {
    /// Temporaries left by a writer that was killed mid-write: those whose pid
    /// no longer runs, and this process's own (it writes one report at a time).
    func removeStaleTemporaries(in folder: OutputFolder) {
        for name in folderNames() where name.hasPrefix(".") {
            guard let pid = ReportWriter.writerPid(ofTemporary: name) else { continue }
            if pid != getpid(), ReportWriter.isRunning(pid) { continue }
            folder.remove(name)
        }
    }

    /// A pair whose writer was killed between its two renames: the half that
    /// was published alone is removed, unless a live writer still holds the
    /// other half's temporary (it is publishing that pair right now).
    func removeOrphans(in folder: OutputFolder) {
        let names = folderNames()
        let pending = Set(
            names.filter { $0.hasPrefix(".") }.compactMap { name -> String? in
                guard let pid = ReportWriter.writerPid(ofTemporary: name), ReportWriter.isRunning(pid),
                    let marker = name.range(of: ReportWriter.temporaryMarker)
                else { return nil }
                return String(name[name.index(after: name.startIndex)..<marker.lowerBound])
            })
        for (base, halves) in ReportWriter.bases(in: names) where halves.count == 1 {
            let present = base + (halves.first ?? "")
            let missing = base + (halves.contains(".md") ? ".json" : ".md")
            if pending.contains(missing) { continue }
            folder.remove(present)
        }
    }

    /// Removes the oldest pairs beyond the retention; returns the names removed.
    func prune(in folder: OutputFolder, keeping current: Set<String>) -> [String] {
        guard retain > 0 else { return [] }
        let bases = reportBases()
        guard bases.count > retain else { return [] }
        var removed: [String] = []
        for base in bases.prefix(bases.count - retain) {
            for name in [base + ".md", base + ".json"] where !current.contains(name) {
                if folder.remove(name) { removed.append(name) }
            }
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
