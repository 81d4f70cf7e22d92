import Analysis
import Foundation
import Narration

/// What a report needs besides the facts: when and why it was made, by what,
/// and how long each stage took.
package struct ReportContext: Sendable {
    package enum Trigger: String, Sendable {
        case startup, change, manual, reload
    }

    package struct Timings: Sendable {
        package var ingestSeconds: Double
        package var analysisSeconds: Double
        /// Building the prompt, the model's calls and checking the reply; 0 without a model.
        package var narrativeSeconds: Double
        /// `nil` while the report is being rendered: renderers write `pending`
        /// in its place, and the caller substitutes the measured figure.
        package var reportSeconds: Double?

        package static let pending = "@@chimerad-report-seconds@@"

        /// A stage's time as the Markdown shows it, unit included: seconds to two
        /// decimals, or whole milliseconds below a tenth of a second (a fast
        /// report would otherwise read "0.00s" everywhere).
        package static func text(_ seconds: Double) -> String {
            seconds >= 0.1 ? Figures.fixed(seconds, 2) + "s" : "\(Int((seconds * 1000).rounded())) ms"
        }

        /// `seconds` at the precision `text` shows, so a sum of shown parts adds up.
        package static func asShown(_ seconds: Double) -> Double {
            seconds >= 0.1 ? (seconds * 100).rounded() / 100 : (seconds * 1000).rounded() / 1000
        }

        package init(ingestSeconds: Double, analysisSeconds: Double, narrativeSeconds: Double = 0, reportSeconds: Double?) {
            self.ingestSeconds = ingestSeconds
            self.analysisSeconds = analysisSeconds
            self.narrativeSeconds = narrativeSeconds
            self.reportSeconds = reportSeconds
        }

        package var total: Double? { reportSeconds.map { ingestSeconds + analysisSeconds + narrativeSeconds + $0 } }
    }

    package var generatedAt: Date
    package var trigger: Trigger
    package var agent: String
    /// `none`, or the backend and model that wrote the narrative.
    package var modelLine: String
    /// The settings line shown under the title (`inputs=..., model=none`).
    package var configurationLine: String
    package var persona: String
    /// The model's checked narrative and its calls, or why there is none.
    package var narrative: NarrativeOutcome
    package var timings: Timings
    /// Whether a model was configured (`model.backend` is not `none`): without
    /// one, the Metrics and Persona Prompt sections have nothing to say.
    package var modelConfigured = true
    /// The report's charts and the folder (relative to the output folder)
    /// their files go to, `charts/<report>`: the Markdown links each chart
    /// under its table, the HTML draws it there. No folder, no links.
    package var figures: [ReportFigure] = []
    package var chartsPath: String?

    /// The link to `figure`'s file, when the report has a charts folder.
    package func chartLink(_ figure: ReportFigure) -> String? {
        chartsPath.map { $0 + "/" + figure.name }
    }

    /// Every figure with its link; none without a charts folder.
    package var linkedFigures: [(link: String, figure: ReportFigure)] {
        figures.compactMap { figure in chartLink(figure).map { ($0, figure) } }
    }

    package init(
        generatedAt: Date, trigger: Trigger, agent: String, modelLine: String, configurationLine: String,
        persona: String, narrative: NarrativeOutcome, timings: Timings
    ) {
        self.generatedAt = generatedAt
        self.trigger = trigger
        self.agent = agent
        self.modelLine = modelLine
        self.configurationLine = configurationLine
        self.persona = persona
        self.narrative = narrative
        self.timings = timings
    }

    /// Why the report has no model-written narrative; nil when it has one.
    package var narrativeUnavailableReason: String? { narrative.unavailableReason }
}
