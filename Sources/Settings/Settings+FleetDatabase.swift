import Configuration
import Foundation

extension Settings.Fleet {
    /// `fleet.postgres_url`: a libpq-style URL,
    /// `postgres://USER@HOST:PORT/DATABASE?sslmode=MODE&sslrootcert=FILE`,
    /// or empty (no fleet).
    ///
    /// A password in the URL is refused: the config file is world-readable
    /// and URLs end up in logs; the password belongs in `fleet.password_file`
    /// or `PGPASSWORD`. Because of that refusal, `text` is safe to show anywhere.
    package enum Database: Sendable, Hashable {
        case off
        case postgres(PostgresURL)

        /// The value as the config file writes it.
        package var text: String {
            switch self {
            case .off: ""
            case .postgres(let url): url.text
            }
        }
    }

    /// The parts of a PostgreSQL URL chimerad uses. Missing parts follow
    /// libpq: no user means `PGUSER`, else the process's user (resolved when
    /// connecting); no host means the local socket folder `/run/postgresql`;
    /// no port 5432; no database the user's name.
    package struct PostgresURL: Sendable, Hashable {
        package var user: String?
        /// A host name or IP address; nil: the local Unix socket.
        package var host: String?
        package var port: Int
        package var database: String?
        package var sslMode: SSLMode
        /// `sslrootcert`: the CA certificates (PEM) that `verify-ca` and
        /// `verify-full` trust; nil: the system's trust store.
        package var sslRootCertificate: String?
        /// The URL as given (it holds no password).
        package var text: String

        /// Where the connection's TLS handshake should verify what.
        package enum SSLMode: String, Sendable, CaseIterable {
            /// No TLS.
            case disable
            /// TLS when the server offers it, else plain; nothing verified (libpq's default).
            case prefer
            /// TLS or no connection; the certificate is not verified (as in libpq
            /// without a root certificate): protects against eavesdropping only.
            case require
            /// TLS; the certificate must chain to a trusted CA; the host name is not checked.
            case verifyCA = "verify-ca"
            /// TLS; a trusted certificate issued for the host name in the URL.
            case verifyFull = "verify-full"
        }

        /// `user@host:port/database`: where a connection goes, for messages.
        package var target: String {
            let place = host.map { $0.contains(":") ? "[\($0)]" : $0 } ?? "/run/postgresql"
            return (user.map { $0 + "@" } ?? "") + place + ":\(port)/" + (database ?? "")
        }
    }

    /// Why a text is no `fleet.postgres_url`; never repeats the URL (it may hold a password).
    package struct DatabaseProblem: Error, Equatable {
        package var reason: String
    }

    /// The query parameters chimerad understands; any other is refused so a
    /// typo (`sslmod=`) cannot silently leave TLS off.
    private static let knownParameters: Set<String> = ["sslmode", "sslrootcert", "application_name", "connect_timeout"]

    /// Parses the config file's text, or says what is wrong with it.
    package static func parseDatabase(_ text: String) -> Result<Database, DatabaseProblem> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .success(.off) }
        guard let parts = URLComponents(string: trimmed), let scheme = parts.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else {
            return .failure(
                DatabaseProblem(reason: "is not a postgres:// URL such as postgres://chimerad@db.example.com:5432/bench?sslmode=verify-full"))
        }
        if parts.password != nil {
            return .failure(
                DatabaseProblem(
                    reason: "must not hold a password (it would sit in the config file and in logs); "
                        + "put it in the file fleet.password_file names, or in PGPASSWORD"))
        }
        if let port = parts.port, !(1...65_535).contains(port) {
            return .failure(DatabaseProblem(reason: "the port must be a number from 1 to 65535"))
        }
        var sslMode = PostgresURL.SSLMode.prefer
        var rootCertificate: String?
        for item in parts.queryItems ?? [] {
            guard knownParameters.contains(item.name) else {
                return .failure(
                    DatabaseProblem(
                        reason: "parameter '\(item.name)' is not one chimerad understands (sslmode, sslrootcert, application_name, connect_timeout)"))
            }
            switch item.name {
            case "sslmode":
                guard let value = item.value, let mode = PostgresURL.SSLMode(rawValue: value) else {
                    let modes = PostgresURL.SSLMode.allCases.map(\.rawValue).joined(separator: ", ")
                    return .failure(DatabaseProblem(reason: "sslmode must be one of \(modes)"))
                }
                sslMode = mode
            case "sslrootcert":
                rootCertificate = item.value.flatMap { $0.isEmpty ? nil : $0 }
            default: break
            }
        }
        let host = parts.host.flatMap { $0.isEmpty ? nil : $0.trimmingCharacters(in: CharacterSet(charactersIn: "[]")) }
        var database = parts.path
        if database.hasPrefix("/") { database.removeFirst() }
        if database.contains("/") { return .failure(DatabaseProblem(reason: "the path must be one database name, such as /bench")) }
        let user = parts.user.flatMap { $0.isEmpty ? nil : $0 }
        return .success(
            .postgres(
                PostgresURL(
                    user: user, host: host, port: parts.port ?? 5432, database: database.isEmpty ? nil : database, sslMode: sslMode,
                    sslRootCertificate: rootCertificate, text: trimmed)))
    }
}

extension Settings.Fleet.Database: SettingValue {
    static var kind: Settings.ValueKind { .text }
    var content: ConfigContent? { .string(text) }
    static func decode(_ content: ConfigContent?) -> Result<Self, SettingValueFailure> {
        guard case .string(let text) = content else { return .failure(SettingValueFailure()) }
        return Settings.Fleet.parseDatabase(text).mapError { SettingValueFailure(reason: $0.reason) }
    }
}
