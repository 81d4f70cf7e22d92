import Analysis
import Foundation
import Logging
import Narration
import Reporting
import Systemd

/// A report written before its narrative: what it takes to ask the model and
/// rewrite the report (all its files) with the checked items.
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
/// report superseded it, or chimerad is stopping) writes the reason instead
/// of the narrative.
package struct PendingNarrative: Sendable {
    let facts: Facts
    let context: ReportContext
    /// The published report's files, rewritten together.
    package let written: ReportWriter.Written
    package var markdownPath: String { written.markdownPath }

    package init(facts: Facts, context: ReportContext, written: ReportWriter.Written) {
        self.facts = facts
        self.context = context
        self.written = written
    }

    /// Asks the model, checks its reply, rewrites the report and logs the
    /// "narrative written" entry (and a warning when the model gave nothing
    /// usable). Cancelled (a newer report, a stop), it rewrites the report
    /// with the reason instead and returns nil.
    package func complete(
        narrator: Narrator, writer: ReportWriter, logger: Logger, heartbeat: @escaping @Sendable () -> Void = {},
        shouldStop: @escaping @Sendable () -> Bool = { false }
    ) async -> NarrativeOutcome? {
        let clock = ContinuousClock()
        let started = clock.now
        var outcome = await narrator.narrate(
            facts, logger: logger, heartbeat: heartbeat, shouldStop: { shouldStop() || Task.isCancelled })
        var superseded = false
        if Task.isCancelled || shouldStop() {
            // Whatever the model said belongs to data a newer report shows (or
            // to a daemon that is stopping): the report says so instead of
            // staying "pending" for good.
            superseded = true
            outcome = .unavailable(
                shouldStop() ? "chimerad stopped before the model answered" : "a newer report was written before the model answered",
                model: outcome.model)
            logger.info("narrative superseded", metadata: ["report_path": "\(markdownPath)", "reason": "\(outcome.unavailableReason ?? "")"])
        }
        outcome.completedAt = Timestamps.iso8601(Date())
        var context = context
        context.narrative = outcome
        // A managed server started after the report was written: the header
        // names it where it answered, not "(not started)".
        if let model = outcome.model { context.modelLine = model.headerLine }
        context.timings.narrativeSeconds = (clock.now - started).seconds
        // The report's time is already in `context`: rendering keeps it.
        let rendered = await RenderedReport.render(facts, context)
        let milliseconds = Int(((clock.now - started) / .milliseconds(1)).rounded())
        var metadata: Logger.Metadata = ["report_path": "\(markdownPath)", "duration_ms": "\(milliseconds)"]
        metadata.merge(outcome.journalMetadata) { current, _ in current }
        do {
            switch try writer.rewrite(written, markdown: rendered.markdown, json: rendered.json, html: rendered.html) {
            case .rewritten:
                // Only this entry carries the catalogued MESSAGE_ID.
                metadata["message_id"] = "\(JournalMessageID.narrativeWritten)"
                if !superseded { logger.info("narrative written", metadata: metadata) }
            case .gone:
                logger.notice("narrative not written: its report is gone", metadata: metadata)
            }
        } catch {
            metadata["error"] = "\(error)"
            logger.error("narrative not written: the report could not be rewritten", metadata: metadata)
            PipelineMetrics.failed(.narrative)
        }
        let firstToken = outcome.calls.lazy.compactMap { $0.metrics?.ttftMilliseconds }.first.map { $0 / 1000 }
        PipelineMetrics.narrativeEnded(
            superseded ? .superseded : outcome.unavailableReason == nil ? .written : .unavailable, duration: clock.now - started,
            firstTokenSeconds: firstToken)
        if superseded { return nil }
        if let reason = outcome.unavailableReason {
            logger.warning("report written without a model narrative", metadata: ["reason": "\(reason)"])
        }
        return outcome
    }
}
