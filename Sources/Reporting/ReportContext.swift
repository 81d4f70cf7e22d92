import Analysis
import Foundation

/// What a report needs besides the facts: when and why it was made, by what,
/// and how long each stage took.
public struct ReportContext: Sendable {
    public enum Trigger: String, Sendable {
        case startup, change, manual, reload
    }

    public struct Timings: Sendable {
        public var ingestSeconds: Double
        public var analysisSeconds: Double
        /// `nil` while the report is being rendered: renderers write `pending`
        /// in its place, and the caller substitutes the measured figure.
        public var reportSeconds: Double?

        public static let pending = "@@chimerad-report-seconds@@"

        /// A stage's time as the Markdown shows it, unit included: seconds to two
        /// decimals, or whole milliseconds below a tenth of a second (a fast
        /// report would otherwise read "0.00s" everywhere).
        public static func text(_ seconds: Double) -> String {
            seconds >= 0.1 ? Figures.fixed(seconds, 2) + "s" : "\(Int((seconds * 1000).rounded())) ms"
        }

        /// `seconds` at the precision `text` shows, so a sum of shown parts adds up.
        public static func asShown(_ seconds: Double) -> Double {
            seconds >= 0.1 ? (seconds * 100).rounded() / 100 : (seconds * 1000).rounded() / 1000
        }

        public init(ingestSeconds: Double, analysisSeconds: Double, reportSeconds: Double?) {
            self.ingestSeconds = ingestSeconds
            self.analysisSeconds = analysisSeconds
            self.reportSeconds = reportSeconds
        }

        public var total: Double? { reportSeconds.map { ingestSeconds + analysisSeconds + $0 } }
    }

    public var generatedAt: Date
    public var trigger: Trigger
    public var agent: String
    /// `none`, or the backend and model that wrote the narrative.
    public var modelLine: String
    /// The settings line shown under the title (`inputs=..., model=none`).
    public var configurationLine: String
    public var persona: String
    /// Why the report has no model-written narrative.
    public var narrativeUnavailableReason: String?
    public var timings: Timings

    public init(
        generatedAt: Date, trigger: Trigger, agent: String, modelLine: String, configurationLine: String,
        persona: String, narrativeUnavailableReason: String?, timings: Timings
    ) {
        self.generatedAt = generatedAt
        self.trigger = trigger
        self.agent = agent
        self.modelLine = modelLine
        self.configurationLine = configurationLine
        self.persona = persona
        self.narrativeUnavailableReason = narrativeUnavailableReason
        self.timings = timings
    }
}
