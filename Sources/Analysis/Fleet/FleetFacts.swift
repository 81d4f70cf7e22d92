import Foundation
import Records

/// What the fleet report says, drawn from a `FleetSnapshot` by `FleetFacts.init(_:policy:)`.
///
/// ```swift
/// let facts = FleetFacts(snapshot, policy: .init(stoppedAfter: .seconds(48 * 3600)))
/// for finding in facts.regressions { print(finding.sentence) }
/// ```
package struct FleetFacts: Sendable {
    package var snapshot: FleetSnapshot
    package var policy: Policy
    /// Per model and configuration: the pooled row and one row per host and
    /// environment; those most hosts ran first, then those with most runs.
    package var groups: [Group]
    /// Open regressions of one model, configuration and metric, gathered by
    /// the kind of host (its GPU): one finding however many hosts show it.
    package var regressions: [CrossHostRegression]
    /// Hosts with sessions in which nothing ran.
    package var failingHarnesses: [FailingHarness]
    /// Hosts whose latest publication is older than `policy.stoppedAfter`.
    package var stoppedHosts: [FleetSnapshot.Host]

    package struct Policy: Sendable, Equatable {
        /// A host silent for longer has stopped publishing.
        package var stoppedAfter: Duration

        package init(stoppedAfter: Duration) {
            self.stoppedAfter = stoppedAfter
        }
    }

    package struct Group: Sendable, Equatable {
        package var total: FleetSnapshot.GroupTotal
        /// By host id, then environment.
        package var rows: [FleetSnapshot.GroupRow]

        package var key: FleetSnapshot.GroupKey { total.group }
    }

    /// "tok/s of m regressed on 4 of 4 H100 hosts, since build b4521".
    package struct CrossHostRegression: Sendable, Equatable {
        package var group: FleetSnapshot.GroupKey
        package var metric: String
        /// The GPU the hosts record; nil: hosts that record none.
        package var gpu: String?
        /// The hosts with the regression open, by id.
        package var hosts: [String]
        /// How many hosts of that GPU have sessions of the group.
        package var hostsOfKind: Int
        /// The builds the regressed sessions ran, as recorded (none: not recorded).
        package var builds: [String]
        /// When the first of them opened.
        package var since: Date
        /// The median of the hosts' changes, current against baseline.
        package var medianChangePercent: Double
    }

    package struct FailingHarness: Sendable, Equatable {
        package var host: FleetSnapshot.Host
        /// Its newest session is one in which nothing ran: broken now, not once.
        package var failingNow: Bool
    }
}
