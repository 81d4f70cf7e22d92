import Foundation
import NIOCore
import NIOSSL
import PostgresNIO

/// Why the fleet's database could not be used, worded for an operator.
///
/// No case carries a password, and none is built from a URL or a
/// configuration that could hold one: `target` is `user@host:port/db`.
/// postgres-nio's own errors are classified here rather than printed: their
/// debug text is not ours to vet, and their description says nothing.
package enum FleetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `fleet.postgres_url` is empty.
    case notConfigured
    /// The password file cannot be read (the key and the reason, never the content).
    case passwordFile(reason: String)
    /// The TLS settings cannot be made (an unreadable `sslrootcert`).
    case tlsSetup(reason: String)
    /// No connection: refused, unresolved, timed out.
    case unreachable(target: String, reason: String)
    /// The server refused the user or password.
    case authenticationFailed(target: String, reason: String)
    /// `sslmode` asks for TLS and the server does not offer it.
    case serverWithoutTLS(target: String)
    /// The TLS handshake failed (an untrusted certificate, a wrong host name).
    case tlsHandshake(target: String, reason: String)
    /// The role may not do what was asked (create the schema, read a table).
    case permissionDenied(target: String, message: String)
    /// The database's schema is newer than this chimerad: it never downgrades.
    case schemaTooNew(found: Int, understood: Int)
    /// The fleet report found no schema: nothing was ever published there.
    case schemaMissing(target: String)
    /// The fleet report found an older schema than it reads: a migration is due.
    case schemaTooOld(target: String, found: Int, understood: Int)
    /// Any other error the server reported, with its SQLSTATE.
    case server(target: String, sqlState: String, message: String)
    /// A connection that was open stopped answering mid-exchange (a dead
    /// network, a stopped server process): closed after `after`.
    case stalled(target: String, after: Duration)

    package var description: String {
        switch self {
        case .notConfigured:
            "no fleet is configured: set fleet.postgres_url (or pass --fleet-url)"
        case .passwordFile(let reason):
            "key 'fleet.password_file': \(reason)"
        case .tlsSetup(let reason):
            "cannot set up TLS for the fleet database: \(reason)"
        case .unreachable(let target, let reason):
            "cannot reach the fleet database \(target): \(reason)"
        case .authenticationFailed(let target, let reason):
            "the fleet database \(target) refused the login: \(reason)"
        case .serverWithoutTLS(let target):
            "the fleet database \(target) does not offer TLS, which sslmode asks for (use sslmode=prefer or disable only on a trusted network)"
        case .tlsHandshake(let target, let reason):
            "TLS with the fleet database \(target) failed: \(reason)"
        case .permissionDenied(let target, let message):
            "the fleet database \(target) denied it: \(message)"
        case .schemaTooNew(let found, let understood):
            "the fleet database's schema is at version \(found), newer than this chimerad understands (\(understood)); upgrade chimerad (it never downgrades a schema)"
        case .schemaMissing(let target):
            "the fleet database \(target) has no chimerad schema: no host has published to it yet (chimerad fleet migrate creates it)"
        case .schemaTooOld(let target, let found, let understood):
            "the fleet database \(target) has schema version \(found), older than this chimerad reads (\(understood)): run chimerad fleet migrate"
        case .server(let target, let sqlState, let message):
            "the fleet database \(target) reported an error (SQLSTATE \(sqlState)): \(message)"
        case .stalled(let target, let after):
            "the fleet database \(target) stopped answering: no reply within \(after.formatted(.units(allowed: [.seconds]))), so the connection was closed"
        }
    }

    /// What `error`, thrown by postgres-nio while talking to `target`, means.
    package static func classify(_ error: any Error, target: String) -> FleetError {
        if let fleet = error as? FleetError { return fleet }
        if let transaction = error as? PostgresTransactionError {
            // The first error the transaction met is the one that matters.
            let inner: (any Error)? = transaction.beginError ?? transaction.closureError ?? transaction.commitError
            if let inner { return classify(inner, target: target) }
        }
        if let reason = tlsReason(error) { return .tlsHandshake(target: target, reason: reason) }
        guard let psql = error as? PSQLError else { return .unreachable(target: target, reason: "\(error)") }
        switch psql.code {
        case .sslUnsupported:
            return .serverWithoutTLS(target: target)
        case .authMechanismRequiresPassword:
            return .authenticationFailed(
                target: target, reason: "the server asks for a password; put it in the file fleet.password_file names, or in PGPASSWORD")
        case .unsupportedAuthMechanism, .saslError:
            return .authenticationFailed(target: target, reason: "the server's authentication method could not be completed")
        case .server:
            return serverError(psql, target: target)
        case .failedToAddSSLHandler, .receivedUnencryptedDataAfterSSLRequest:
            return .tlsHandshake(target: target, reason: psql.underlying.map { "\($0)" } ?? "the TLS layer could not be set up")
        default:
            if let underlying = psql.underlying {
                if let reason = tlsReason(underlying) { return .tlsHandshake(target: target, reason: reason) }
                return .unreachable(target: target, reason: Self.readable(underlying))
            }
            return .unreachable(target: target, reason: "the connection failed (\(psql.code))")
        }
    }

    /// An error the server sent, by its SQLSTATE class.
    private static func serverError(_ error: PSQLError, target: String) -> FleetError {
        let state = error.serverInfo?[.sqlState] ?? "?????"
        let message = error.serverInfo?[.message] ?? "no message"
        switch state {
        // invalid_authorization_specification, invalid_password
        case "28000", "28P01": return .authenticationFailed(target: target, reason: message)
        // insufficient_privilege
        case "42501": return .permissionDenied(target: target, message: message)
        default: return .server(target: target, sqlState: state, message: message)
        }
    }

    /// Why a TLS handshake failed, when `error` is a TLS error.
    private static func tlsReason(_ error: any Error) -> String? {
        if let extra = error as? NIOSSLExtraError {
            // postgres-nio sends no host name for an IP address, so nothing can match it.
            return extra == .failedToValidateHostname
                ? "the server's certificate is not for the host in the URL (verify-full needs a host name, not an IP address)"
                : "\(extra)"
        }
        if let tls = error as? NIOSSLError {
            if case .handshakeFailed(let inner) = tls {
                // BoringSSL's text names its source file and an error number: the cause is said in words instead.
                if "\(inner)".contains("CERTIFICATE_VERIFY_FAILED") {
                    return
                        "the server's certificate could not be verified: it is not signed by the CA in sslrootcert (without sslrootcert, by one the system trusts), or it has expired"
                }
                return "the handshake failed (is the server's certificate signed by a CA sslrootcert or the system trusts?): \(tls)"
            }
            return "\(tls)"
        }
        if let tls = error as? BoringSSLError { return "\(tls)" }
        return nil
    }

    /// A socket error as a person reads it (`connection refused`, `timed out`).
    private static func readable(_ error: any Error) -> String {
        if let channel = error as? ChannelError, case .connectTimeout(let after) = channel {
            return "no answer within \(after.nanoseconds / 1_000_000_000) s"
        }
        // NIO's text lists every address tried in its own notation; the first
        // address's errno says it (connection refused, no route to host).
        if let connection = error as? NIOConnectionError {
            if let io = connection.connectionErrors.first?.error as? IOError {
                return String(cString: strerror(io.errnoCode)).lowercased()
            }
            if connection.connectionErrors.isEmpty { return "the host name \(connection.host) could not be resolved" }
        }
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)).lowercased() }
        return "\(error)"
    }
}
