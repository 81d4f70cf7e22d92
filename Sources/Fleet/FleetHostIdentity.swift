import Crypto
import Foundation
import Records
import Settings

#if canImport(Glibc)
import Glibc
#endif

/// The name a host publishes under in the fleet: `fleet.host_id` when set,
/// else derived, so that a host keeps one id across restarts, upgrades and
/// renames of its state folder without anyone choosing one.
///
/// The derivation is HMAC-SHA256 keyed with `/etc/machine-id` (else the host
/// name) over the fixed text `chimerad fleet host id`, its first 16 bytes in
/// hex: stable for the machine, yet the raw machine-id (which other software
/// treats as confidential) is never published. systemd's
/// `sd_id128_get_machine_app_specific` does the same for the same reason.
package struct FleetHostIdentity: Sendable, Equatable {
    /// Where the id came from, shown by `chimerad fleet status`.
    package enum Source: String, Sendable {
        case configured = "fleet.host_id"
        case machineID = "derived from /etc/machine-id"
        case hostname = "derived from the host name"
    }

    package var hostID: String
    package var source: Source
    /// This machine's name, published beside the id for people to read.
    package var hostname: String

    /// The text the HMAC signs; changing it would give every host a new id.
    static let derivationLabel = "chimerad fleet host id"

    /// The identity `settings` asks for on this machine.
    package static func resolve(_ settings: Settings.Fleet, machineIDFile: String = "/etc/machine-id") -> FleetHostIdentity {
        let hostname = currentHostname()
        if !settings.hostID.isEmpty { return FleetHostIdentity(hostID: settings.hostID, source: .configured, hostname: hostname) }
        if let machineID = machineID(at: machineIDFile) {
            return FleetHostIdentity(hostID: derive(from: machineID), source: .machineID, hostname: hostname)
        }
        return FleetHostIdentity(hostID: derive(from: hostname), source: .hostname, hostname: hostname)
    }

    /// 32 lower-case hex digits from `secret`.
    package static func derive(from secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(derivationLabel.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return DecimalText.hex(code.prefix(16))
    }

    /// The machine-id's text, or nil when the file is missing, empty or
    /// `uninitialized` (an image not booted yet).
    static func machineID(at path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty || trimmed == "uninitialized" ? nil : trimmed
    }

    /// gethostname(2): no name service is asked (Foundation's hostName may be).
    static func currentHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}
