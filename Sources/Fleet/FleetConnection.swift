import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import Settings

/// How this host reaches the fleet's PostgreSQL: the URL's parts with
/// libpq's fallbacks filled in, TLS as `sslmode` asks, and where the password
/// comes from. The password itself is read at each connection, so a rotated
/// password file needs no restart, and it is never stored here.
///
/// libpq's environment is read only to complete a configured URL (`PGUSER`
/// for a URL without a user, `PGPASSWORD` when no password file is set):
/// the URL alone decides whether there is a fleet.
package struct FleetConnection: Sendable {
    package let url: Settings.Fleet.PostgresURL
    package let user: String
    let passwordSource: PasswordSource
    /// The longest a connection may take to open (TCP and TLS), as libpq's `connect_timeout`.
    package let connectTimeout: Duration

    enum PasswordSource: Sendable, Equatable {
        case file(String)
        case environment
        case none
    }

    /// `user@host:port/db`: where connections go, safe to log.
    package var target: String {
        var url = url
        url.user = user
        return url.target
    }

    package init(settings: Settings.Fleet, environment: [String: String], connectTimeout: Duration = .seconds(10)) throws(FleetError) {
        guard case .postgres(let url) = settings.database else { throw .notConfigured }
        self.url = url
        user = url.user ?? environment["PGUSER"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.processUser()
        if !settings.passwordFile.isEmpty {
            passwordSource = .file(settings.passwordFile)
        } else if let password = environment["PGPASSWORD"], !password.isEmpty {
            passwordSource = .environment
        } else {
            passwordSource = .none
        }
        self.connectTimeout = connectTimeout
    }

    /// Opens one connection, or says why not (never with the password).
    package func connect(logger: Logger) async throws(FleetError) -> PostgresConnection {
        let configuration = try configuration(environment: ProcessInfo.processInfo.environment)
        logger.debug("connecting to the fleet database", metadata: ["target": "\(target)", "sslmode": "\(url.sslMode.rawValue)"])
        // postgres-nio holds the whole login (TCP, TLS, startup,
        // authentication) to `options.connectTimeout`, so a server or proxy
        // that accepts and then never answers fails with a connect timeout,
        // and a cancelled caller closes the half-open channel. The login is
        // bounded here too (`FleetLogin`), a little later: once, in a test
        // run, one never ended, and the publisher said nothing for minutes.
        return try await FleetLogin.open(configuration, target: target, within: connectTimeout + FleetLogin.grace)
    }

    /// postgres-nio's configuration for one connection.
    func configuration(environment: [String: String]) throws(FleetError) -> PostgresConnection.Configuration {
        let password = try password(environment: environment)
        let tls = try tlsMode()
        var configuration: PostgresConnection.Configuration
        if let host = url.host {
            configuration = .init(host: host, port: url.port, username: user, password: password, database: url.database ?? user, tls: tls)
        } else {
            // libpq's default without a host: the local server's socket (no TLS over a Unix socket).
            configuration = .init(
                unixSocketPath: "/run/postgresql/.s.PGSQL.\(url.port)", username: user, password: password, database: url.database ?? user)
        }
        configuration.options.connectTimeout = .nanoseconds(Int64(connectTimeout / .nanoseconds(1)))
        // Shown in pg_stat_activity, so a DBA sees which host holds a lock.
        configuration.options.additionalStartupParameters = [("application_name", "chimerad")]
        return configuration
    }

    /// The password for this connection, read now.
    func password(environment: [String: String]) throws(FleetError) -> String? {
        switch passwordSource {
        case .none: return nil
        case .environment: return environment["PGPASSWORD"]
        case .file(let path):
            switch FleetPasswordFile.read(path) {
            case .success(let password): return password
            case .failure(let problem): throw .passwordFile(reason: problem.reason)
            }
        }
    }

    /// postgres-nio's TLS mode for `sslmode`, following libpq's meanings.
    func tlsMode() throws(FleetError) -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch url.sslMode {
        case .disable:
            return .disable
        case .prefer, .require:
            // Encryption without verification, as libpq does without a root
            // certificate; with `sslrootcert`, `require` verifies the chain as libpq does.
            tls.certificateVerification = url.sslMode == .require && url.sslRootCertificate != nil ? .noHostnameVerification : .none
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
        case .verifyFull:
            tls.certificateVerification = .fullVerification
        }
        if let roots = url.sslRootCertificate {
            guard FileManager.default.isReadableFile(atPath: roots) else { throw .tlsSetup(reason: "sslrootcert '\(roots)' is not readable") }
            tls.trustRoots = .file(roots)
        }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: tls)
        } catch {
            throw .tlsSetup(reason: "\(error)")
        }
        return url.sslMode == .prefer ? .prefer(context) : .require(context)
    }

    /// postgres-nio logs below our level of review (its trace output may
    /// describe the connection in detail): it gets a logger that drops
    /// everything, and what matters reaches ours through `FleetError`.
    package static let quietLogger = Logger(label: "chimerad.fleet.postgres") { _ in SwiftLogNoOpLogHandler() }

    /// The effective user's name, libpq's last fallback.
    static func processUser() -> String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "postgres" }
        return String(cString: name)
    }
}
