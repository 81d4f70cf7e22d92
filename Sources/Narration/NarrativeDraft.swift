/// What a model wrote, parsed but not yet checked: the sections the prompt
/// asks for. `Grounding` decides what of it reaches a report.
public struct NarrativeDraft: Sendable, Equatable {
    public struct Risk: Sendable, Equatable {
        public var risk: String
        public var mitigation: String

        public init(risk: String, mitigation: String) {
            self.risk = risk
            self.mitigation = mitigation
        }
    }

    public var summary: String
    public var findings: [String]
    public var recommendations: [String]
    public var risks: [Risk]

    public init(summary: String, findings: [String], recommendations: [String], risks: [Risk]) {
        self.summary = summary
        self.findings = findings
        self.recommendations = recommendations
        self.risks = risks
    }

    /// Nothing in any section.
    public var isEmpty: Bool {
        summary.isEmpty && findings.isEmpty && recommendations.isEmpty && risks.isEmpty
    }
}
