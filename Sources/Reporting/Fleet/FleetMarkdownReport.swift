import Analysis
import Foundation
import Records

/// The fleet report as Markdown: what the hosts' reports say, side by side.
/// First what needs a person (regressions across hosts, broken harnesses,
/// silent hosts), then the hosts, then each model and configuration with a
/// row per host and environment under the pooled row.
///
/// Every name from the database (host ids, hostnames, models, parameters,
/// builds) was written there from files or by hosts: it goes through
/// ``MarkdownLiteral`` as in the local report.
package enum FleetMarkdownReport {
    /// Hosts a group's table lists, at most (the rest are in report.json).
    static let rowLimit = 60
    /// Groups the report details with a table each, at most; the next ones
    /// get a row each in one table (a sweep's points are many groups of a
    /// run or two), and the rest are in report.json.
    static let detailLimit = 40
    static let summaryLimit = 400

    package static func render(_ facts: FleetFacts, generatedAt: Date, figures: [(link: String, figure: ReportFigure)]) -> String {
        var out = MarkdownText()
        title(facts, generatedAt: generatedAt, &out)
        regressions(facts, &out)
        hosts(facts, &out)
        harnesses(facts, &out)
        stopped(facts, &out)
        groups(facts, figures: figures, &out)
        return out.text
    }

    private static func title(_ facts: FleetFacts, generatedAt: Date, _ out: inout MarkdownText) {
        let snapshot = facts.snapshot
        let runsOK = snapshot.hosts.reduce(0) { $0 + $1.runsOK }
        let runsFailed = snapshot.hosts.reduce(0) { $0 + $1.runsFailed }
        let sessions = snapshot.hosts.reduce(0) { $0 + $1.sessions }
        out.heading(1, "chimerad Fleet Report")
        out.line("**Date:** \(Timestamps.readable(generatedAt))  ")
        out.line("**Fleet database:** \(MarkdownLiteral.inline(snapshot.database))  ")
        out.line(
            "**Hosts:** \(snapshot.hosts.count) (\(facts.stoppedHosts.count) silent for more than \(hours(facts.policy.stoppedAfter)))  ")
        out.line("**Sessions:** \(sessions); **runs:** \(runsOK) succeeded, \(runsFailed) failed")
        out.blank()
        if snapshot.ownRowsOnly {
            out.line(
                "> **Not the whole fleet:** this report was read with a publishing host's role, which sees only its own rows. Read the fleet with the reader role (`chimerad_reader`)."
            )
            out.blank()
        }
    }

    private static func regressions(_ facts: FleetFacts, _ out: inout MarkdownText) {
        guard out.section("Regressions Across Hosts", hasContent: !facts.regressions.isEmpty, otherwise: "No host has a regression open.")
        else { return }
        out.line(
            "Regressions the hosts' own reports have open, gathered by model, configuration, metric and GPU: one line however many hosts show it."
        )
        out.blank()
        for finding in facts.regressions {
            out.line(
                "- " + MarkdownLiteral.inline(finding.sentence) + ", open since " + Timestamps.readable(finding.since) + ": "
                    + MarkdownLiteral.inline(finding.hosts.joined(separator: ", ")))
        }
        out.blank()
    }

    private static func hosts(_ facts: FleetFacts, _ out: inout MarkdownText) {
        guard out.section("Hosts", hasContent: !facts.snapshot.hosts.isEmpty, otherwise: "No host has published yet.") else { return }
        let stopped = Set(facts.stoppedHosts.map(\.hostID))
        let failing = Set(facts.failingHarnesses.filter(\.failingNow).map(\.host.hostID))
        let rows = facts.snapshot.hosts.map { host in
            let state =
                stopped.contains(host.hostID) ? "stopped publishing" : failing.contains(host.hostID) ? "harness failing" : "publishing"
            let environment = host.environment
            return [
                host.hostID, host.hostname, environment.gpu ?? "", environment.driver ?? "", environment.backend ?? "", environment.build ?? "",
                String(host.sessions), String(host.runsOK), String(host.runsFailed), Timestamps.readable(host.lastSeen), state,
            ]
        }
        out.table(
            ["Host", "Hostname", "GPU", "Driver", "Backend", "Build", "Sessions", "Runs OK", "Failed", "Last published", "State"], rows)
    }

    private static func harnesses(_ facts: FleetFacts, _ out: inout MarkdownText) {
        guard
            out.section(
                "Hosts Whose Harness Fails", hasContent: !facts.failingHarnesses.isEmpty,
                otherwise: "No host recorded a session in which nothing ran.")
        else { return }
        out.line(
            "Sessions in which every run failed measure nothing: the harness (a server that was not there, a wrong address) rather than the model.")
        out.blank()
        for failing in facts.failingHarnesses {
            let host = failing.host
            var text = "\(host.hostID) (\(host.hostname)): \(host.deadSessions) of \(host.sessions) sessions ran nothing"
            if failing.failingNow, let at = host.latestDeadSessionAt {
                text += "; its latest session, measured \(Timestamps.readable(at)), too: failing now"
            } else if let at = host.latestDeadSessionAt {
                text += ", the latest measured \(Timestamps.readable(at)); later sessions ran"
            }
            out.line("- " + MarkdownLiteral.inline(text))
        }
        out.blank()
    }

    private static func stopped(_ facts: FleetFacts, _ out: inout MarkdownText) {
        guard
            out.section(
                "Hosts That Stopped Publishing", hasContent: !facts.stoppedHosts.isEmpty,
                otherwise: "Every host published within the last \(hours(facts.policy.stoppedAfter)).")
        else { return }
        for host in facts.stoppedHosts {
            let silent = facts.snapshot.readAt.timeIntervalSince(host.lastSeen) / 3600
            out.line(
                "- "
                    + MarkdownLiteral.inline(
                        "\(host.hostID) (\(host.hostname)): last published \(Timestamps.readable(host.lastSeen)), \(Figures.fixed(silent, 1)) hours before this report"
                    ))
        }
        out.blank()
    }

    private static func groups(_ facts: FleetFacts, figures: [(link: String, figure: ReportFigure)], _ out: inout MarkdownText) {
        guard out.section("LLM Runs by Model and Host", hasContent: !facts.groups.isEmpty, otherwise: "No host has published a session yet.")
        else { return }
        out.line(
            "Per model and configuration: all hosts pooled, then one row per host and environment. Medians and p25–p75 are of every run's value; those marked * are of the sessions' medians, where hosts published a spread of a session's runs rather than all of them."
        )
        out.blank()
        var links: [Int: (link: String, figure: ReportFigure)] = [:]
        for entry in figures {
            if case .fleetGroup(let index) = entry.figure.place { links[index] = entry }
        }
        for (index, group) in facts.groups.prefix(detailLimit).enumerated() {
            let key = group.key
            out.heading(3, key.configuration.isEmpty ? key.model : "\(key.model) (\(key.configuration.rendered))")
            let total = group.total
            var rows = [
                ["all hosts (\(total.hosts))", "", String(total.sessions), String(total.runsOK), String(total.runsFailed)]
                    + cells(total.tokensPerSecond, Figures.tokensPerSecond) + cells(total.ttftSeconds, Figures.seconds).prefix(1)
            ]
            for row in group.rows.prefix(rowLimit) {
                let environment = row.environment.parts.map { "\($0.name) \($0.value)" }.joined(separator: ", ")
                rows.append(
                    [row.hostID, environment, String(row.sessions), String(row.runsOK), String(row.runsFailed)]
                        + cells(row.tokensPerSecond, Figures.tokensPerSecond) + cells(row.ttftSeconds, Figures.seconds).prefix(1))
            }
            out.table(
                ["Host", "Environment", "Sessions", "Runs OK", "Failed", "tok/s median", "tok/s p25–p75", "Warm TTFT median (s)"], rows,
                strong: [])
            if group.rows.count > rowLimit {
                out.line("\(group.rows.count - rowLimit) more rows of this group are in report.json (`llm_runs`).")
                out.blank()
            }
            if let linked = links[index] {
                out.line("![\(MarkdownLiteral.inline(linked.figure.title))](\(linked.link))")
                out.blank()
            }
        }
        let rest = facts.groups.dropFirst(detailLimit)
        guard !rest.isEmpty else { return }
        out.heading(3, "Other Models and Configurations")
        out.line("All hosts pooled; each host's rows are in report.json (`llm_runs`).")
        out.blank()
        let rows = rest.prefix(summaryLimit).map { group in
            let total = group.total
            return [
                group.key.model, group.key.configuration.rendered, String(total.hosts), String(total.sessions), String(total.runsOK),
                String(total.runsFailed),
            ] + cells(total.tokensPerSecond, Figures.tokensPerSecond)
        }
        out.table(["Model", "Configuration", "Hosts", "Sessions", "Runs OK", "Failed", "tok/s median", "tok/s p25–p75"], Array(rows))
        if rest.count > summaryLimit {
            out.line("\(rest.count - summaryLimit) more models and configurations are in report.json (`fleet_runs`, `llm_runs`).")
            out.blank()
        }
    }

    /// Median (with * when of session medians) and p25–p75.
    static func cells(_ figures: FleetSnapshot.Figures, _ shown: (Double) -> String) -> [String] {
        guard let median = figures.median else { return ["", ""] }
        let mark = figures.basis == .sessionMedians ? "*" : ""
        let range = figures.lowerQuartile.flatMap { low in figures.upperQuartile.map { "\(shown(low))–\(shown($0))" } } ?? ""
        return [shown(median) + mark, range]
    }

    static func hours(_ duration: Duration) -> String {
        let hours = Double(duration / .seconds(1)) / 3600
        return hours == hours.rounded() ? "\(Int(hours)) hours" : "\(Figures.fixed(hours, 1)) hours"
    }
}
