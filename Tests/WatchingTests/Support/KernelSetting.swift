import Foundation
import Glibc

/// `/proc/sys/fs/inotify/*`, which the root-only tests lower for a moment.
enum KernelSetting {
    static let isRoot = getuid() == 0

    static func read(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/sys/fs/inotify/" + name, encoding: .utf8) else { return nil }
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func write(_ name: String, _ value: Int) throws {
        try "\(value)\n".write(toFile: "/proc/sys/fs/inotify/" + name, atomically: false, encoding: .utf8)
    }

    /// The inotify watches root's processes hold now (the kernel counts
    /// `max_user_watches` per user): one `inotify wd:` line per watch in
    /// `/proc/<pid>/fdinfo/*`.
    static func watchesInUseByRoot() -> Int {
        let files = FileManager.default
        var count = 0
        for process in (try? files.contentsOfDirectory(atPath: "/proc")) ?? [] where Int(process) != nil {
            var info = stat()
            guard stat("/proc/" + process, &info) == 0, info.st_uid == 0 else { continue }
            let fdinfo = "/proc/\(process)/fdinfo"
            for descriptor in (try? files.contentsOfDirectory(atPath: fdinfo)) ?? [] {
                guard let text = try? String(contentsOfFile: fdinfo + "/" + descriptor, encoding: .utf8) else { continue }
                count += text.split(separator: "\n").filter { $0.hasPrefix("inotify wd:") }.count
            }
        }
        return count
    }
}
