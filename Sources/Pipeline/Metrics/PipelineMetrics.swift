import CoreMetrics
import Foundation
import Reporting

/// What the daemon measures about its own work, as swift-metrics metrics:
/// the pipeline records them here, a metrics backend (Prometheus, bootstrapped
/// once by `chimerad run`) keeps them, and the HTTP server only reads that
/// backend. Without a backend (`chimerad report`, tests) every call is a no-op.
///
/// Every label has a closed set of values (a trigger, a stage, a result): a
/// file or model name from the data never becomes a label, so a tree of any
/// size keeps a bounded number of series.
package enum PipelineMetrics {
    /// The metric names, as `/metrics` shows them (README lists them).
    package enum Name {
        package static let buildInfo = "chimerad_build_info"
        package static let reportsWritten = "chimerad_reports_written_total"
        package static let filesTracked = "chimerad_files_tracked"
        package static let ingestDuration = "chimerad_ingest_duration_seconds"
        package static let reportDuration = "chimerad_report_duration_seconds"
        package static let openRegressions = "chimerad_open_regressions"
        package static let lastReport = "chimerad_last_report_timestamp_seconds"
        package static let narrativeDuration = "chimerad_narrative_duration_seconds"
        package static let narrativeFirstToken = "chimerad_narrative_first_token_seconds"
        package static let narratives = "chimerad_narratives_total"
        package static let errors = "chimerad_errors_total"
        package static let lastError = "chimerad_last_error_timestamp_seconds"

        /// The histograms, whose buckets (in seconds) a backend sets: a
        /// report over a large tree, or a narrative from a model on a busy
        /// CPU, takes minutes.
        package static let durations = [ingestDuration, reportDuration, narrativeDuration, narrativeFirstToken]
        package static let durationBuckets: [Double] = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600]
    }

    /// Where an error happened (the `stage` label).
    package enum Stage: String, Sendable, CaseIterable {
        /// Reading what changed into the store.
        case ingest
        /// Analysing and publishing a report.
        case report
        /// Asking the model and rewriting the report with its narrative.
        case narrative
        /// Reading and applying a new configuration.
        case reload
    }

    /// How a report's narrative ended (the `result` label).
    package enum NarrativeResult: String, Sendable, CaseIterable {
        /// Checked items were written into the report.
        case written
        /// The model gave nothing usable (or failed); the report says why.
        case unavailable
        /// A newer report, or a stop, came first.
        case superseded
    }

    /// Whether a file counted in a report was analysed or skipped (the `status` label).
    package enum FileStatus: String, Sendable, CaseIterable {
        case analysed, skipped
    }

    /// Creates every series with its zero value, so `/metrics` lists all the
    /// families from the start (a rate over a counter that appears late
    /// misses its first increase), and sets the build info.
    package static func declare(version: String) {
        Gauge(label: Name.buildInfo, dimensions: [("version", version)]).record(1)
        for trigger in [ReportContext.Trigger.startup, .change, .reload] {
            Counter(label: Name.reportsWritten, dimensions: [("trigger", trigger.rawValue)]).increment(by: 0)
        }
        for status in FileStatus.allCases {
            Gauge(label: Name.filesTracked, dimensions: [("status", status.rawValue)]).record(0)
        }
        for result in NarrativeResult.allCases {
            Counter(label: Name.narratives, dimensions: [("result", result.rawValue)]).increment(by: 0)
        }
        for stage in Stage.allCases {
            Counter(label: Name.errors, dimensions: [("stage", stage.rawValue)]).increment(by: 0)
        }
        for name in [Name.openRegressions, Name.lastReport, Name.lastError] {
            Gauge(label: name).record(0)
        }
        _ = Timer(label: Name.ingestDuration)
        _ = Timer(label: Name.reportDuration)
        _ = Timer(label: Name.narrativeDuration)
        _ = Timer(label: Name.narrativeFirstToken)
    }

    /// A report was published: its trigger, how long it took from the first
    /// change it covers to publication (and the ingest part of that), what it
    /// counted, and the regressions open after it.
    package static func reportWritten(
        trigger: ReportContext.Trigger, duration: Duration, ingestSeconds: Double, filesAnalysed: Int, filesSkipped: Int,
        openRegressions: Int
    ) {
        Counter(label: Name.reportsWritten, dimensions: [("trigger", trigger.rawValue)]).increment()
        Timer(label: Name.reportDuration).recordSeconds(max(0, duration.seconds))
        Timer(label: Name.ingestDuration).recordSeconds(max(0, ingestSeconds))
        Gauge(label: Name.filesTracked, dimensions: [("status", FileStatus.analysed.rawValue)]).record(filesAnalysed)
        Gauge(label: Name.filesTracked, dimensions: [("status", FileStatus.skipped.rawValue)]).record(filesSkipped)
        Gauge(label: Name.openRegressions).record(openRegressions)
        Gauge(label: Name.lastReport).record(Date().timeIntervalSince1970)
    }

    /// A narrative ended: how, after how long, and the model's time to its
    /// first token when it answered.
    package static func narrativeEnded(_ result: NarrativeResult, duration: Duration, firstTokenSeconds: Double?) {
        Counter(label: Name.narratives, dimensions: [("result", result.rawValue)]).increment()
        Timer(label: Name.narrativeDuration).recordSeconds(max(0, duration.seconds))
        if let firstTokenSeconds, firstTokenSeconds.isFinite, firstTokenSeconds >= 0 {
            Timer(label: Name.narrativeFirstToken).recordSeconds(firstTokenSeconds)
        }
    }

    /// Something failed at `stage` (the journal has the message).
    package static func failed(_ stage: Stage) {
        Counter(label: Name.errors, dimensions: [("stage", stage.rawValue)]).increment()
        Gauge(label: Name.lastError).record(Date().timeIntervalSince1970)
    }
}
