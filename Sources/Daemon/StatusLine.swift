import Foundation
import Store

/// The one line `systemctl status chimerad` shows (`STATUS=`): what is watched,
/// how much is tracked, when the last report landed, how many regressions are
/// open, and the last problem.
struct StatusLine: Sendable, Equatable {
    var roots: Int
    var filesTracked: Int
    var lastReport: Date?
    var lastError: String?
    /// Why the last report has no model narrative, when a model was asked.
    var narrativeWarning: String? = nil
    /// Regressions open after the last report: what an operator checks first.
    var openRegressions = 0
    /// Webhook events not yet delivered (the receiver is down or slow).
    var pendingNotifications = 0
    /// Fleet items not yet in PostgreSQL, and since when (none: up to date or no fleet).
    var fleetBacklog = Store.FleetBacklog.none
    /// A passing state ("reloading", "reporting") shown first.
    var phase: String?

    var text: String {
        var parts: [String] = []
        if let phase { parts.append(phase) }
        parts.append("watching \(roots) folder\(roots == 1 ? "" : "s")")
        parts.append("\(filesTracked) file\(filesTracked == 1 ? "" : "s") tracked")
        parts.append("last report " + (lastReport.map(StatusLine.time) ?? "none yet"))
        if openRegressions > 0 {
            parts.append("\(openRegressions) open regression\(openRegressions == 1 ? "" : "s") (chimerad regressions)")
        }
        if pendingNotifications > 0 {
            parts.append("\(pendingNotifications) webhook event\(pendingNotifications == 1 ? "" : "s") undelivered")
        }
        if fleetBacklog.items > 0 {
            let since = fleetBacklog.oldestQueuedAt.map { " since " + StatusLine.time($0) } ?? ""
            parts.append("fleet behind: \(fleetBacklog.items) item\(fleetBacklog.items == 1 ? "" : "s") unsent\(since)")
        }
        if let narrativeWarning { parts.append("narrative unavailable: " + narrativeWarning) }
        if let lastError { parts.append("last error: " + lastError) }
        return parts.joined(separator: "; ")
    }

    private static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
