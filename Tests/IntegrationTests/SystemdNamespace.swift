import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real systemd, booted as PID 1 of private PID, mount and cgroup
/// namespaces, for tests of the units as installed.
///
/// The host stays as it was: `/etc` and `/usr/local` are overlays whose
/// changes live in a tmpfs, `/run`, `/tmp`, `/var/tmp`, `/var/lib`, `/var/log`
/// and `/var/cache` are fresh tmpfs, and the namespace's cgroup is a new child
/// of the cgroup2 root. systemd boots `chimerad-test.target`, which wants only
/// journald; a drop-in for every service (`service.d`) turns default
/// dependencies off, so starting a unit never pulls in `sysinit.target`,
/// whose units would set the host's sysctls, binfmt handlers or clock. Those
/// units are masked as well, in case something asks for them anyway.
///
/// Inside, the repository is at ``repository`` (read-only) and the chimerad
/// binary under test at ``binary``. ``shutdown()`` kills PID 1 (and with it
/// everything in the namespace) and removes the cgroup; it runs from `deinit`
/// too, so a failing test still tears down.
final class SystemdNamespace {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        var trimmed: String { stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// Where the repository and the binary under test appear inside.
    let repository = "/run/chimerad-test/repo"
    let binary = "/run/chimerad-test/chimerad"

    /// systemd's PID as the host sees it.
    let pid: pid_t
    private let unshare: Process
    private let work: String
    private let cgroup: String
    private var isShutDown = false

    static let systemd = "/lib/systemd/systemd"

    /// Units that act on the whole machine; masked inside.
    static let hostWideUnits = [
        "systemd-sysctl.service", "systemd-binfmt.service", "proc-sys-fs-binfmt_misc.automount",
        "proc-sys-fs-binfmt_misc.mount", "systemd-modules-load.service", "systemd-remount-fs.service",
        "systemd-udevd.service", "systemd-udev-trigger.service", "systemd-udev-settle.service", "systemd-timesyncd.service",
        "systemd-pstore.service", "swap.target", "systemd-random-seed.service", "systemd-hwdb-update.service",
    ]

    /// Why a namespace cannot be booted here, or `nil` when it can.
    static let unavailableReason: String? = {
        if getuid() != 0 { return "needs root: boots a private systemd" }
        for tool in [systemd, "/usr/bin/unshare", "/usr/bin/nsenter", "/usr/bin/timeout"] where !FileManager.default.isExecutableFile(atPath: tool) {
            return "needs \(tool)"
        }
        if cgroup2Root() == nil { return "needs a cgroup2 hierarchy (/sys/fs/cgroup or /sys/fs/cgroup/unified)" }
        if !((try? String(contentsOfFile: "/proc/filesystems", encoding: .utf8))?.contains("overlay") ?? false) {
            return "needs overlayfs"
        }
        return nil
    }()

    static var canBoot: Bool { unavailableReason == nil }

    /// The mount point of the cgroup2 hierarchy: the whole tree on a unified
    /// host, `unified` on a hybrid one.
    static func cgroup2Root() -> String? {
        let mounts = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? ""
        let cgroup2MountPoints = Set(
            mounts.split(separator: "\n").compactMap { line -> String? in
                let fields = line.split(separator: " ")
                return fields.count > 2 && fields[2] == "cgroup2" ? String(fields[1]) : nil
            })
        return ["/sys/fs/cgroup", "/sys/fs/cgroup/unified"].first(where: cgroup2MountPoints.contains)
    }

    /// Boots systemd with `repositoryPath` and `binaryPath` (host paths) bind-mounted
    /// inside, and waits (suspended, not blocking a thread) until it runs.
    static func boot(repositoryPath: String, binaryPath: String) async throws -> SystemdNamespace {
        guard let cgroupRoot = cgroup2Root() else { throw Failure(description: unavailableReason ?? "no cgroup2") }
        let name = "chimerad-test-\(UUID().uuidString.prefix(8).lowercased())"
        let work = FileManager.default.temporaryDirectory.appendingPathComponent(name).path
        let cgroup = cgroupRoot + "/" + name
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: cgroup, withIntermediateDirectories: false)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", outerScript, "boot", cgroup, innerScript, work, repositoryPath, binaryPath] + hostWideUnits
        let log = work + ".log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = logHandle
        process.standardError = logHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()

        // PID 1 of the namespace is unshare's only child.
        var systemdPID: pid_t?
        for _ in 0..<100 {
            let children =
                (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/task/\(process.processIdentifier)/children", encoding: .utf8)) ?? ""
            if let first = children.split(separator: " ").first.flatMap({ pid_t($0) }) {
                systemdPID = first
                break
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard let systemdPID else {
            try await process.waitForExit()
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: log)
            removeCgroup(cgroup)
            try? FileManager.default.removeItem(atPath: work)
            throw Failure(description: "systemd did not start: \(output)")
        }
        let namespace = SystemdNamespace(pid: systemdPID, unshare: process, work: work, cgroup: cgroup)
        // Booting takes a second alone, and longer beside the rest of the suite on two cores.
        try await namespace.waitUntil("systemd is running", within: .seconds(90)) {
            let state = try await namespace.run(["systemctl", "is-system-running"], timeout: 5).trimmed
            return state == "running" || state == "degraded"
        }
        try? FileManager.default.removeItem(atPath: log)
        return namespace
    }

    private init(pid: pid_t, unshare: Process, work: String, cgroup: String) {
        self.pid = pid
        self.unshare = unshare
        self.work = work
        self.cgroup = cgroup
    }

    deinit {
        shutdown()
    }

    /// Runs `arguments` inside (mount and PID namespace) with a plain
    /// environment, killed after `timeout` seconds. Suspends until it exits.
    @discardableResult
    func run(_ arguments: [String], input: String? = nil, timeout: Int = 30) async throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["--kill-after=5", String(timeout), "/usr/bin/nsenter", "-t", String(pid), "-m", "-p", "--"] + arguments
        process.environment = [
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "SYSTEMD_PAGER": "",
            "SYSTEMD_COLORS": "0", "SYSTEMD_LOG_COLOR": "0",
        ]
        // Files, not pipes: a full pipe would stall the command while we wait for it.
        let stem = work + ".run-\(UUID().uuidString.prefix(8))"
        defer {
            for suffix in [".in", ".out", ".err"] { try? FileManager.default.removeItem(atPath: stem + suffix) }
        }
        _ = FileManager.default.createFile(atPath: stem + ".in", contents: Data((input ?? "").utf8))
        _ = FileManager.default.createFile(atPath: stem + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: stem + ".err", contents: nil)
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: stem + ".in"))
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stem + ".out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stem + ".err"))
        try await process.runUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: stem + ".out", encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: stem + ".err", encoding: .utf8)) ?? "")
    }

    /// `systemctl show -p NAME --value UNIT`.
    func property(_ unit: String, _ name: String) async throws -> String {
        try await run(["systemctl", "show", "-p", name, "--value", unit]).trimmed
    }

    /// A file's content inside, `nil` when it cannot be read.
    func contents(of path: String) async throws -> String? {
        let output = try await run(["cat", path])
        return output.status == 0 ? output.stdout : nil
    }

    /// Polls `condition` every 100 ms, suspended in between, until it holds; throws after `within`.
    func waitUntil(_ what: String, within: Duration, _ condition: () async throws -> Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + within
        while true {
            if try await condition() { return }
            if clock.now > deadline { throw Failure(description: "timed out after \(within): \(what)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Kills PID 1 of the namespace, which takes everything in it along, then
    /// removes the cgroup and the work folder.
    func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        kill(pid, SIGKILL)
        for _ in 0..<100 where unshare.isRunning { usleep(50_000) }
        if unshare.isRunning { kill(unshare.processIdentifier, SIGKILL) }
        unshare.waitUntilExit()
        SystemdNamespace.removeCgroup(cgroup)
        try? FileManager.default.removeItem(atPath: work)
    }

    /// Removes a cgroup and its children, deepest first; a cgroup stays busy
    /// for a moment after its last process died.
    private static func removeCgroup(_ path: String) {
        for _ in 0..<50 {
            let folders = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .map { path + "/" + $0 }
                .filter {
                    var isFolder: ObjCBool = false; return FileManager.default.fileExists(atPath: $0, isDirectory: &isFolder) && isFolder.boolValue
                }
                .sorted { $0.count > $1.count }
            for folder in folders + [path] { rmdir(folder) }
            if !FileManager.default.fileExists(atPath: path) { return }
            usleep(100_000)
        }
    }

    /// Moves itself into the test cgroup, then enters the new namespaces and
    /// runs `innerScript` there. Arguments: cgroup, inner script, then the inner script's.
    private static let outerScript = #"""
        set -euo pipefail
        cgroup=$1 inner=$2; shift 2
        echo $$ > "$cgroup/cgroup.procs"
        exec unshare --cgroup --pid --fork --mount --mount-proc --propagation private -- /bin/bash -c "$inner" inner "$@"
        """#

    /// Mounts the private file systems and execs systemd.
    /// Arguments: work folder, repository, binary, units to mask...
    private static let innerScript = #"""
        set -euo pipefail
        work=$1 repository=$2 binary=$3; shift 3
        mount -t tmpfs -o mode=0700 chimerad-test "$work"
        for layer in etc usr-local; do mkdir "$work/$layer.upper" "$work/$layer.work"; done
        mount -t overlay chimerad-test -o "lowerdir=/etc,upperdir=$work/etc.upper,workdir=$work/etc.work" /etc
        mount -t overlay chimerad-test -o "lowerdir=/usr/local,upperdir=$work/usr-local.upper,workdir=$work/usr-local.work" /usr/local
        mount -t tmpfs -o mode=0755 chimerad-test /run
        mkdir -p /run/chimerad-test/repo
        mount --bind "$repository" /run/chimerad-test/repo
        mount -o remount,bind,ro /run/chimerad-test/repo
        touch /run/chimerad-test/chimerad
        mount --bind "$binary" /run/chimerad-test/chimerad
        for folder in /tmp /var/tmp /var/lib /var/log /var/cache; do mount -t tmpfs -o mode=0755 chimerad-test "$folder"; done
        chmod 1777 /tmp /var/tmp
        mount -t cgroup2 cgroup2 /sys/fs/cgroup
        units=/run/systemd/system
        mkdir -p "$units/service.d"
        printf '[Unit]\nDescription=chimerad test boot: journald and nothing else\nDefaultDependencies=no\nWants=systemd-journald.socket systemd-journald.service\n' > "$units/chimerad-test.target"
        printf '# Test boot: no unit pulls in sysinit.target and its machine-wide units.\n[Unit]\nDefaultDependencies=no\n' > "$units/service.d/50-chimerad-test.conf"
        for unit in "$@"; do ln -sf /dev/null "$units/$unit"; done
        exec env -i container=other PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin /lib/systemd/systemd --unit=chimerad-test.target
        """#
}
