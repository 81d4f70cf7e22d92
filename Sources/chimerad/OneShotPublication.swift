import Fleet
import Foundation
import Logging
import Pipeline
import Settings
import Store
import Systemd

/// The fleet from `chimerad report`: the report queued its items in the
/// store with its record; one bounded pass sends what is pending (this
/// report's and any earlier one's). A database that is down or refusing
/// costs at most `budget`, is said on stderr, and changes no exit status:
/// the local report is written, and the next run (or `chimerad run`) sends
/// what is left.
enum OneShotPublication {
    static let budget = Duration.seconds(5)

    static func run(_ settings: Settings, logger: Logger) async {
        guard settings.fleet.isEnabled else { return }
        let target: FleetPublisher.Target
        do {
            let connection = try FleetConnection(
                settings: settings.fleet, environment: ProcessInfo.processInfo.environment, connectTimeout: budget)
            let identity = FleetHostIdentity.resolve(settings.fleet)
            target = .init(
                connection: connection, sender: .init(hostID: identity.hostID, hostname: identity.hostname, version: ReportJob.version),
                store: try Store(directory: settings.state.directory))
        } catch {
            logger.error(
                "fleet publication not attempted; the report's items stay queued",
                metadata: ["message_id": "\(JournalMessageID.fleetPublicationFailed)", "reason": "\(error)"])
            return
        }
        let outcome = await FleetPublisher.publishPending(target, budget: budget, logger: logger)
        if let problem = outcome.problem {
            // The same MESSAGE_ID as the daemon's failed rounds: one journalctl
            // query finds a fleet that is behind, whoever sent.
            var metadata: Logger.Metadata = [
                "message_id": "\(JournalMessageID.fleetPublicationFailed)", "reason": "\(problem)", "sent": "\(outcome.sent)",
                "items_behind": "\(outcome.backlog.items)",
            ]
            if let oldest = outcome.backlog.oldestQueuedAt { metadata["behind_since"] = "\(oldest.formatted(.iso8601))" }
            logger.warning("fleet publication did not finish; the next report or chimerad run sends what is left", metadata: metadata)
        } else {
            logger.debug("fleet publication finished", metadata: ["sent": "\(outcome.sent)"])
        }
    }
}
