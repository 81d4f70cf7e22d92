import Testing

@testable import Narration

@Suite struct NarrativeDraftParsingTests {
    @Test func plainJSON() throws {
        let draft = try NarrativeDraft(
            parsing: #"{"summary": "S.", "findings": ["F1", "F2"], "recommendations": ["R1"], "risks": [{"risk": "A", "mitigation": "B"}]}"#)
        #expect(draft == NarrativeDraft(summary: "S.", findings: ["F1", "F2"], recommendations: ["R1"], risks: [.init(risk: "A", mitigation: "B")]))
    }

    @Test func fencedJSONWithProseAround() throws {
        let reply = """
            Sure! Here is the analysis you asked for:
            ```json
            {"summary": "gemma3:270m is fastest.", "recommendations": ["Warm the model."]}
            ```
            Let me know if you need anything else {or more}.
            """
        let draft = try NarrativeDraft(parsing: reply)
        #expect(draft.summary == "gemma3:270m is fastest.")
        #expect(draft.recommendations == ["Warm the model."])
        #expect(draft.findings.isEmpty && draft.risks.isEmpty)
    }

    @Test func trailingProseSingleQuotesAndTrailingCommas() throws {
        let reply = """
            {'summary': 'Throughput is stable.', 'findings': ['A', 'B',], Recommendations: ['Use num_ctx=2048',],
             'risks': [{'risk': 'Cold starts', 'mitigation': 'Keep the model loaded',},],}
            I hope this helps!
            """
        let draft = try NarrativeDraft(parsing: reply)
        #expect(draft.summary == "Throughput is stable.")
        #expect(draft.findings == ["A", "B"])
        #expect(draft.recommendations == ["Use num_ctx=2048"])
        #expect(draft.risks == [.init(risk: "Cold starts", mitigation: "Keep the model loaded")])
    }

    @Test func otherKeySpellingsObjectsAndRiskStrings() throws {
        let reply = #"""
            {"Executive_Summary": ["One.", "Two."],
             "key_findings": "Only one finding.",
             "recommendations": [{"title": "Warm up", "description": "Send one request first."}, "Plain one"],
             "risk_table": ["Risk: timeouts. Mitigation: raise the timeout", ["GPU memory", "lower num_gpu"]]}
            """#
        let draft = try NarrativeDraft(parsing: reply)
        #expect(draft.summary == "One. Two.")
        #expect(draft.findings == ["Only one finding."])
        #expect(draft.recommendations == ["Warm up Send one request first.", "Plain one"])
        #expect(draft.risks == [.init(risk: "timeouts.", mitigation: "raise the timeout"), .init(risk: "GPU memory", mitigation: "lower num_gpu")])
    }

    @Test func truncatedReplyKeepsWhatWasWritten() throws {
        let reply = #"{"summary": "gemma3:270m decodes at 294.96 tok/s.", "recommendations": ["Warm the model", "Keep num_ctx"#
        let draft = try NarrativeDraft(parsing: reply)
        #expect(draft.summary == "gemma3:270m decodes at 294.96 tok/s.")
        #expect(draft.recommendations == ["Warm the model", "Keep num_ctx"])
    }

    @Test func nothingUsableIsAClearError() {
        #expect(throws: NarrativeParseError.emptyReply) { try NarrativeDraft(parsing: "  \n ") }
        #expect(throws: NarrativeParseError.noJSONObject(excerpt: "The United States is the world's largest economy.")) {
            try NarrativeDraft(parsing: "The United States is the world's largest economy.")
        }
        #expect(throws: NarrativeParseError.noNarrative(keys: ["answer"])) { try NarrativeDraft(parsing: #"{"answer": 42}"#) }
        let error = NarrativeParseError.noNarrative(keys: ["answer"])
        #expect(error.description.contains("no summary, findings, recommendations or risks"))
    }

    @Test func deepNestingIsRefusedNotCrashedOn() {
        let deep = String(repeating: "[", count: 10_000)
        #expect(throws: NarrativeParseError.self) { try NarrativeDraft(parsing: "{\"summary\": " + deep) }
    }
}
