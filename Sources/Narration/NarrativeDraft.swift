/// What a model wrote, parsed but not yet checked: the sections the prompt
/// asks for. `Grounding` decides what of it reaches a report.
package struct NarrativeDraft: Sendable, Equatable {
    package struct Risk: Sendable, Equatable {
        package var risk: String
        package var mitigation: String

        package init(risk: String, mitigation: String) {
            self.risk = risk
            self.mitigation = mitigation
        }
    }

    package var summary: String
    package var findings: [String]
    package var recommendations: [String]
    package var risks: [Risk]

    package init(summary: String, findings: [String], recommendations: [String], risks: [Risk]) {
        self.summary = summary
        self.findings = findings
        self.recommendations = recommendations
        self.risks = risks
    }

    /// Nothing in any section.
    package var isEmpty: Bool {
        summary.isEmpty && findings.isEmpty && recommendations.isEmpty && risks.isEmpty
    }
}
