import Analysis
import Foundation
import Logging
import Narration
import Reporting
import Systemd

/// A report written before its narrative: what it takes to ask the model and
/// rewrite the report with the checked items.
///
/// ```swift
/// let finished = try await job.run(logger: logger)
/// if let pending = finished.pendingNarrative {
///     let outcome = await pending.complete(narrator: narrator, writer: writer, logger: logger)
/// }
/// ```
///
/// The report is rewritten in place (same names, `latest.*` unchanged, both
/// files together) only if it is still there; a cancelled task (a newer
/// report superseded it, or chimerad is stopping) writes nothing.
package struct PendingNarrative: Sendable {
    let facts: Facts
    let context: ReportContext
    package let markdownPath: String
    package let jsonPath: String

    package init(facts: Facts, context: ReportContext, markdownPath: String, jsonPath: String) {
        self.facts = facts
        self.context = context
        self.markdownPath = markdownPath
        self.jsonPath = jsonPath
    }

    /// Asks the model, checks its reply, rewrites the report and logs the
    /// "narrative written" entry. Returns the outcome, or nil when the task
    /// was cancelled before the report was rewritten.
    package func complete(
        narrator: Narrator, writer: ReportWriter, logger: Logger, heartbeat: @escaping @Sendable () -> Void = {},
        shouldStop: @escaping @Sendable () -> Bool = { false }
    ) async -> NarrativeOutcome? {
        let clock = ContinuousClock()
        let started = clock.now
        var outcome = await narrator.narrate(
            facts, logger: logger, heartbeat: heartbeat, shouldStop: { shouldStop() || Task.isCancelled })
        guard !Task.isCancelled else {
            logger.info("narrative superseded by a newer report", metadata: ["report_path": "\(markdownPath)"])
            return nil
        }
        outcome.completedAt = Timestamps.iso8601(Date())
        var context = context
        context.narrative = outcome
        context.timings.narrativeSeconds = (clock.now - started).seconds
        let markdown = MarkdownReport.render(facts, context)
        let json = JSONReport.render(facts, context)
        let milliseconds = Int(((clock.now - started) / .milliseconds(1)).rounded())
        var metadata: Logger.Metadata = [
            "message_id": "\(JournalMessageID.narrativeWritten)", "report_path": "\(markdownPath)", "duration_ms": "\(milliseconds)",
        ]
        metadata.merge(outcome.journalMetadata) { current, _ in current }
        do {
            switch try writer.rewrite(markdownPath: markdownPath, jsonPath: jsonPath, markdown: markdown, json: json) {
            case .rewritten:
                logger.info("narrative written", metadata: metadata)
            case .gone:
                logger.notice("narrative not written: its report is gone", metadata: metadata)
            }
        } catch {
            metadata["error"] = "\(error)"
            logger.error("narrative not written: the report could not be rewritten", metadata: metadata)
        }
        return outcome
    }
}
