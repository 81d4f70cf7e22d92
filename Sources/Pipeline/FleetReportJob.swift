import Analysis
import Fleet
import Foundation
import Logging
import PostgresNIO
import Records
import Reporting
import Settings

/// One fleet report: read what every host published to the fleet's
/// PostgreSQL, gather it per model, configuration and host, and publish the
/// Markdown, JSON and HTML files and their charts in the output folder, whole
/// or not at all, as a local report is. It reads only: it publishes nothing
/// and needs no state folder.
///
/// ```swift
/// let written = try await FleetReportJob(settings: settings).run(logger: logger)
/// print(written.markdownPath)
/// ```
package struct FleetReportJob: Sendable {
    package let settings: Settings
    /// The longest the database may take to answer the report's queries, connection included.
    package var readTimeout: Duration = .seconds(120)

    package init(settings: Settings) {
        self.settings = settings
    }

    package enum Failure: Error, CustomStringConvertible {
        case fleet(FleetError)
        case output(ReportWriter.Failure)

        package var description: String {
            switch self {
            case .fleet(let error): error.description
            case .output(let failure): failure.description
            }
        }
    }

    package func run(logger: Logger) async throws(Failure) -> ReportWriter.Written {
        let writer = ReportWriter(directory: settings.output.directory, retain: settings.output.retain)
        // A folder that cannot take the report fails before the database is asked.
        do {
            try writer.prepare()
        } catch {
            throw .output(error)
        }
        let started = ContinuousClock.now
        let snapshot = try await read(logger: logger)
        let readDone = ContinuousClock.now
        if snapshot.ownRowsOnly {
            logger.warning(
                "the fleet report was read with a publishing host's role, which sees only its own rows: use the reader role (chimerad_reader) for the whole fleet",
                metadata: ["target": "\(snapshot.database)"])
        }
        let facts = FleetFacts(snapshot, policy: .init(stoppedAfter: .seconds(settings.fleet.stoppedAfterHours * 3600)))
        let generatedAt = Date()
        let base = writer.freeBase(at: generatedAt)
        let figures = FleetReportFigures.figures(facts)
        let linked = figures.map { (link: ReportWriter.chartsPath(of: base) + "/" + $0.name, figure: $0) }
        let markdown = FleetMarkdownReport.render(facts, generatedAt: generatedAt, figures: linked)
        let json = FleetJSONReport.render(facts, generatedAt: generatedAt, figures: linked)
        let html = HTMLReport.render(markdown: markdown, title: "chimerad fleet report \(Timestamps.readable(generatedAt))", figures: linked)
        let written: ReportWriter.Written
        do {
            written = try writer.write(
                base: base, markdown: markdown, json: json, html: html, charts: figures.map { .init(name: $0.name, svg: $0.svg) })
        } catch {
            throw .output(error)
        }
        logger.debug(
            "fleet report stages",
            metadata: [
                "read_ms": "\(Int((readDone - started) / .milliseconds(1)))",
                "render_write_ms": "\(Int((ContinuousClock.now - readDone) / .milliseconds(1)))",
                "hosts": "\(snapshot.hosts.count)", "rows": "\(snapshot.rows.count)",
            ])
        return written
    }

    /// The snapshot, within `readTimeout`: a database that stops answering
    /// mid-query fails the report rather than holding it.
    func read(logger: Logger) async throws(Failure) -> FleetSnapshot {
        let fleet: FleetConnection
        do {
            fleet = try FleetConnection(settings: settings.fleet, environment: ProcessInfo.processInfo.environment)
        } catch {
            throw .fleet(error)
        }
        let timeout = readTimeout
        let target = fleet.target
        let connection: PostgresConnection
        do {
            connection = try await fleet.connect(logger: logger)
        } catch {
            throw .fleet(error)
        }
        do {
            // A database that stops answering is cut off at `readTimeout` (its connection closed).
            let snapshot = try await FleetConnection.bounded(timeout, on: connection, target: target) { connection in
                try await FleetSnapshotReader.read(on: connection, target: target, logger: FleetConnection.quietLogger)
            }
            try? await connection.close()
            return snapshot
        } catch let error as FleetError {
            try? await connection.close()
            throw .fleet(error)
        } catch {
            try? await connection.close()
            throw .fleet(FleetError.classify(error, target: target))
        }
    }
}
