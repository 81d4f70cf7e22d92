import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL (Debian's `postgresql` package) for one test: a data
/// folder in a temporary folder, a free loopback port, password (SCRAM)
/// authentication, no TLS; stopped and removed by `stop()`.
///
/// initdb and postgres refuse to run as root, and the tests do: the server
/// runs as the `postgres` system user the package creates (`runuser -u`),
/// in a folder that user owns.
///
/// The server runs in the foreground as this process's child, not through
/// `pg_ctl start`: Foundation's `Process` sees a child exit when every copy
/// of a descriptor it passes is closed, and a daemonised postmaster keeps
/// one, so waiting for `pg_ctl start` never ends.
public final class PostgresServer: Sendable {
    /// The superuser initdb creates, and its password (a test's only secret).
    public static let superuser = "chimerad_test"
    public let password: String
    public let port: Int
    public let folder: String
    let binaries: String
    /// `runuser ... postgres`, running until `stop()`.
    let process: Process
    /// The server started again by `startAgain()`, if it was.
    private let again = Mutex<Process?>(nil)

    /// Where the binaries are, or nil (with `unavailableReason` saying why).
    public static let binaryFolder: String? = {
        let candidates = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap(Int.init).sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
        return candidates.first { folder in
            ["initdb", "pg_ctl", "postgres", "psql"].allSatisfy { FileManager.default.isExecutableFile(atPath: folder + "/" + $0) }
        }
    }()

    /// Why no server can start here, or nil when one can.
    public static var unavailableReason: String? {
        if binaryFolder == nil {
            return "PostgreSQL is not installed (no /usr/lib/postgresql/N/bin/initdb): apt-get install postgresql (scripts/setup-test-tools)"
        }
        if getpwnam("postgres") == nil { return "there is no 'postgres' user to run PostgreSQL as" }
        if !FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") { return "runuser is missing" }
        return nil
    }

    public static var isAvailable: Bool { unavailableReason == nil }

    private init(binaries: String, folder: String, port: Int, password: String) {
        self.binaries = binaries
        self.folder = folder
        self.port = port
        self.password = password
        process = Process()
    }

    /// A certificate and its key (PEM files) for the server to offer TLS with.
    public struct TLSFiles: Sendable {
        public var certificate: String
        public var key: String
        public init(certificate: String, key: String) {
            self.certificate = certificate
            self.key = key
        }
    }

    /// Initialises a cluster and starts it (with TLS when `tls` is given);
    /// throws with the server's log when it cannot. A port another test's
    /// server took between being found free and bound is given up for
    /// another, up to three times.
    public static func start(tls: TLSFiles? = nil) async throws -> PostgresServer {
        var attempt = 1
        while true {
            do {
                return try await startOnce(tls: tls)
            } catch let failure as Failure where failure.message.contains("Address already in use") && attempt < 3 {
                attempt += 1
            }
        }
    }

    private static func startOnce(tls: TLSFiles?) async throws -> PostgresServer {
        guard let binaries = binaryFolder, let user = getpwnam("postgres") else {
            throw Failure(message: unavailableReason ?? "PostgreSQL is unavailable")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-pg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let password = "pw-" + UUID().uuidString
        try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: folder + "/pwfile"))
        guard chown(folder, user.pointee.pw_uid, user.pointee.pw_gid) == 0, chown(folder + "/pwfile", user.pointee.pw_uid, user.pointee.pw_gid) == 0,
            chmod(folder, 0o700) == 0
        else { throw Failure(message: "cannot give \(folder) to the postgres user") }
        let server = PostgresServer(binaries: binaries, folder: folder, port: try freeLoopbackPort(), password: password)
        let (initStatus, initOutput) = try await server.asPostgres([
            binaries + "/initdb", "-D", folder + "/data", "--auth=scram-sha-256", "--username=" + superuser,
            "--pwfile=" + folder + "/pwfile", "--no-sync", "--encoding=UTF8", "--locale=C",
        ])
        guard initStatus == 0 else {
            try? FileManager.default.removeItem(atPath: folder)
            throw Failure(message: "initdb failed: \(initOutput)")
        }
        // Small and quick: fsync off (a test's data need not survive a crash of the machine).
        let log = folder + "/server.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        server.process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
        server.process.arguments = [
            "-u", "postgres", "--", binaries + "/postgres", "-D", folder + "/data", "-p", "\(server.port)", "-k", folder, "-c",
            "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "shared_buffers=16MB", "-c", "max_connections=40",
        ]
        if let tls {
            // PostgreSQL insists that its key be the server user's and private.
            for (source, name) in [(tls.certificate, "server.crt"), (tls.key, "server.key")] {
                try FileManager.default.copyItem(atPath: source, toPath: folder + "/" + name)
                guard chown(folder + "/" + name, user.pointee.pw_uid, user.pointee.pw_gid) == 0, chmod(folder + "/" + name, 0o600) == 0 else {
                    throw Failure(message: "cannot give \(name) to the postgres user")
                }
            }
            server.process.arguments? += ["-c", "ssl=on", "-c", "ssl_cert_file=\(folder)/server.crt", "-c", "ssl_key_file=\(folder)/server.key"]
        }
        server.process.currentDirectoryURL = URL(fileURLWithPath: folder)
        server.process.standardOutput = logHandle
        server.process.standardError = logHandle
        try server.process.run()
        try? logHandle.close()
        // Ready when it accepts connections; a busy machine may take a while.
        let deadline = ContinuousClock.now + .seconds(180)
        while ContinuousClock.now < deadline {
            if !server.process.isRunning { break }
            let (ready, _) = try await run(
                [binaries + "/pg_isready", "-q", "-h", "127.0.0.1", "-p", "\(server.port)", "-t", "5"], environment: [:])
            // Ready, and ours: a server another test started on the same port would answer too.
            if ready == 0, server.process.isRunning, server.isReadyOnItsPort { return server }
            try await Task.sleep(for: .milliseconds(200))
        }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        await server.stop()
        throw Failure(message: "PostgreSQL did not start: \(output)")
    }

    /// Whether this server's own `postmaster.pid` says it listens on its
    /// port and accepts connections (its 4th line the port, its 8th `ready`).
    private var isReadyOnItsPort: Bool {
        guard let text = try? String(contentsOfFile: folder + "/data/postmaster.pid", encoding: .utf8) else { return false }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        return lines.count >= 8 && lines[3] == "\(port)" && lines[7] == "ready"
    }

    /// Starts a server, runs `body`, and stops the server whatever happens.
    public static func with<Result>(tls: TLSFiles? = nil, _ body: (PostgresServer) async throws -> Result) async throws -> Result {
        let server = try await start(tls: tls)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// `postgres://chimerad_test@127.0.0.1:PORT/DATABASE?sslmode=...` (no password: it goes by file or PGPASSWORD).
    public func url(database: String = "postgres", sslMode: String = "disable", host: String = "127.0.0.1") -> String {
        "postgres://\(Self.superuser)@\(host):\(port)/\(database)?sslmode=\(sslMode)"
    }

    /// Runs one SQL command (or, with `file`, a script) with psql, as the
    /// superuser unless `user` and `password` say otherwise; its output
    /// (unaligned, tuples only, errors included) and status.
    @discardableResult
    public func psql(
        _ sql: String, database: String = "postgres", user: String = PostgresServer.superuser, password: String? = nil, file: String? = nil
    ) async throws -> (status: Int32, output: String) {
        guard let binaries = Self.binaryFolder else { throw Failure(message: "no psql") }
        let command = file.map { ["-f", $0] } ?? ["-c", sql]
        return try await Self.run(
            [binaries + "/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)", "-U", user, "-d", database]
                + command,
            environment: ["PGPASSWORD": password ?? self.password, "PGSSLMODE": "disable"])
    }

    /// A new, empty database for one test.
    public func createDatabase(_ name: String) async throws {
        let (status, output) = try await psql("CREATE DATABASE \"\(name)\"")
        guard status == 0 else { throw Failure(message: "CREATE DATABASE \(name): \(output)") }
    }

    /// Stops the server (fast shutdown: SIGINT to the postmaster, through
    /// runuser, which passes it on), waits for it, and removes its folder.
    public func stop() async {
        let processes = [process] + (again.withLock { $0 }.map { [$0] } ?? [])
        if processes.contains(where: \.isRunning) {
            _ = try? await asPostgres([binaries + "/pg_ctl", "-D", folder + "/data", "-m", "fast", "-w", "-t", "60", "stop"])
            for running in processes where (try? await running.exited(within: .seconds(60))) != true {
                running.interrupt()
                _ = try? await running.exited(within: .seconds(30))
            }
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Stops the server and keeps its data: clients are refused until `startAgain()`.
    public func stopKeepingData() async throws {
        let (status, output) = try await asPostgres([binaries + "/pg_ctl", "-D", folder + "/data", "-m", "fast", "-w", "-t", "60", "stop"])
        guard status == 0 else { throw Failure(message: "pg_ctl stop failed: \(output)") }
        _ = try await process.exited(within: .seconds(60))
    }

    /// Starts the server stopped by `stopKeepingData()` again, on the same port and data.
    public func startAgain() async throws {
        let restarted = Process()
        restarted.executableURL = process.executableURL
        restarted.arguments = process.arguments
        restarted.currentDirectoryURL = process.currentDirectoryURL
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: folder + "/server.log"))
        try log.seekToEnd()
        restarted.standardOutput = log
        restarted.standardError = log
        try restarted.run()
        try? log.close()
        again.withLock { $0 = restarted }
        let deadline = ContinuousClock.now + .seconds(180)
        while ContinuousClock.now < deadline, restarted.isRunning {
            let (ready, _) = try await Self.run(
                [binaries + "/pg_isready", "-q", "-h", "127.0.0.1", "-p", "\(port)", "-t", "5"], environment: [:])
            if ready == 0, isReadyOnItsPort { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw Failure(message: "PostgreSQL did not start again: \((try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? "")")
    }

    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private func asPostgres(_ arguments: [String]) async throws -> (Int32, String) {
        try await Self.run(["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments, environment: [:], workingDirectory: folder)
    }

    /// Runs a program with output to a file (nothing to drain while it runs), suspending until it exits.
    private static func run(_ arguments: [String], environment: [String: String], workingDirectory: String? = nil) async throws -> (Int32, String) {
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-pg-out-\(UUID().uuidString)").path
        _ = FileManager.default.createFile(atPath: outputFile, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outputFile) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputFile))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        process.standardOutput = handle
        process.standardError = handle
        try await process.runUntilExit()
        try handle.close()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: URL(fileURLWithPath: outputFile)), as: UTF8.self))
    }

    /// A port the kernel just gave out on 127.0.0.1 (bound, read, released).
    private static func freeLoopbackPort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw Failure(message: "socket() failed") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw Failure(message: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        guard named == 0 else { throw Failure(message: "getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
