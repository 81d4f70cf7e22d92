import Testing

@testable import Narration

@Suite struct NarrativeDraftParsingTests {
    private typealias Item = NarrativeDraft.Item

    @Test func plainJSON() throws {
        let draft = try NarrativeDraft(
            parsing: #"""
                {"summary": [{"kind": "fastest", "facts": ["Gk3f9"], "note": "It leads."}],
                 "findings": [{"kind": "compare", "facts": ["Gk3f9", "Gx2b1"], "note": "A clear gap."}, {"kind": "throughput", "facts": ["Gx2b1"], "note": ""}],
                 "recommendations": [{"kind": "fix_failures", "facts": ["Fq0a1"], "note": "Fix the address."}],
                 "risks": [{"kind": "few_runs", "facts": ["Gx2b1"], "note": "Too few runs.", "mitigation": "rerun_with_more_runs"}]}
                """#)
        #expect(
            draft.items == [
                Item(section: .summary, kind: "fastest", facts: ["Gk3f9"], note: "It leads."),
                Item(section: .findings, kind: "compare", facts: ["Gk3f9", "Gx2b1"], note: "A clear gap."),
                Item(section: .findings, kind: "throughput", facts: ["Gx2b1"], note: ""),
                Item(section: .recommendations, kind: "fix_failures", facts: ["Fq0a1"], note: "Fix the address."),
                Item(section: .risks, kind: "few_runs", facts: ["Gx2b1"], note: "Too few runs.", mitigation: "rerun_with_more_runs"),
            ])
        #expect(!draft.isEmpty)
    }

    @Test func fencedJSONWithProseAround() throws {
        let reply = """
            Sure! Here is the analysis you asked for:
            ```json
            {"findings": [{"kind": "fastest", "facts": ["Gk3f9"], "note": "Gemma leads."}]}
            ```
            Let me know if you need anything else {or more}.
            """
        let draft = try NarrativeDraft(parsing: reply)
        #expect(draft.items == [Item(section: .findings, kind: "fastest", facts: ["Gk3f9"], note: "Gemma leads.")])
    }

    @Test func proseAroundUnfencedJSON() throws {
        let reply = """
            I chose these {carefully}: {"recommendations": [{"kind": "warm_up", "facts": ["Gk3f9"], "note": "Warm it."}]}
            I hope this helps!
            """
        let draft = try NarrativeDraft(parsing: reply)
        #expect(draft.items == [Item(section: .recommendations, kind: "warm_up", facts: ["Gk3f9"], note: "Warm it.")])
    }

    @Test func aSingleItemInsteadOfAList() throws {
        let draft = try NarrativeDraft(
            parsing:
                #"{"summary": {"kind": "fastest", "facts": ["Gk3f9"], "note": "One."}, "risks": {"kind": "few_runs", "facts": "Gx2b1", "mitigation": "rerun_with_more_runs"}}"#
        )
        #expect(
            draft.items == [
                Item(section: .summary, kind: "fastest", facts: ["Gk3f9"], note: "One."),
                Item(section: .risks, kind: "few_runs", facts: ["Gx2b1"], note: "", mitigation: "rerun_with_more_runs"),
            ])
    }

    @Test func otherSpellingsOfKindFactsNoteAndSections() throws {
        let reply = #"""
            {"Executive_Summary": [{"type": "fastest", "fact": "Gk3f9", "text": "Quick."}],
             "key_findings": [{"Kind": "compare", "ids": ["Gk3f9", "Gx2b1"], "comment": "A gap."}, {"type": "throughput", "id": "Gx2b1"}],
             "risk_table": [{"kind": "few_runs", "facts": ["Gx2b1", 3, null], "note": "Few.", "mitigation": "rerun_with_more_runs"}]}
            """#
        let draft = try NarrativeDraft(parsing: reply)
        #expect(
            draft.items == [
                Item(section: .summary, kind: "fastest", facts: ["Gk3f9"], note: "Quick."),
                Item(section: .findings, kind: "compare", facts: ["Gk3f9", "Gx2b1"], note: "A gap."),
                Item(section: .findings, kind: "throughput", facts: ["Gx2b1"], note: ""),
                Item(section: .risks, kind: "few_runs", facts: ["Gx2b1"], note: "Few.", mitigation: "rerun_with_more_runs"),
            ])
    }

    @Test func singleQuotesTrailingCommasAndUnquotedKeys() throws {
        let reply = """
            {'findings': [{kind: 'fastest', facts: ['Gk3f9',], note: 'Fast.',},], Recommendations: [{'kind': 'warm_up', 'facts': ['Gk3f9']},],}
            """
        let draft = try NarrativeDraft(parsing: reply)
        #expect(
            draft.items == [
                Item(section: .findings, kind: "fastest", facts: ["Gk3f9"], note: "Fast."),
                Item(section: .recommendations, kind: "warm_up", facts: ["Gk3f9"], note: ""),
            ])
    }

    @Test func entriesThatAreNoItemsAreSkipped() throws {
        let reply = #"""
            {"findings": ["gemma3:270m is fastest.", {"facts": ["Gk3f9"], "note": "No kind."}, {"kind": 3, "facts": ["Gk3f9"]},
                          {"kind": "fastest", "facts": ["Gk3f9"]}, ["compare", "Gk3f9"]]}
            """#
        let draft = try NarrativeDraft(parsing: reply)
        #expect(draft.items == [Item(section: .findings, kind: "fastest", facts: ["Gk3f9"], note: "")])
    }

    @Test func aTruncatedReplyKeepsTheCompleteItems() throws {
        let complete =
            #"{"summary": [{"kind": "fastest", "facts": ["Gk3f9"], "note": "It leads."}], "findings": [{"kind": "compare", "facts": ["Gk3f9", "Gx2b1"], "note": "A gap."}"#
        let expected = [
            Item(section: .summary, kind: "fastest", facts: ["Gk3f9"], note: "It leads."),
            Item(section: .findings, kind: "compare", facts: ["Gk3f9", "Gx2b1"], note: "A gap."),
        ]
        #expect(try NarrativeDraft(parsing: complete).items == expected)
        // Cut inside the next item, before its kind is written: no item of it.
        #expect(try NarrativeDraft(parsing: complete + #", {"ki"#).items == expected)
        #expect(try NarrativeDraft(parsing: complete + #", {"kind"#).items == expected)
        // Cut after the kind: the complete items come first, and what the cut
        // item holds is as far as it was written (grounding judges it).
        let cut = try NarrativeDraft(parsing: complete + #", {"kind": "throughput", "facts": ["Gx2"#).items
        #expect(Array(cut.prefix(2)) == expected)
        #expect(cut.dropFirst(2).allSatisfy { $0.kind == "throughput" && $0.facts.allSatisfy { "Gx2".hasPrefix($0) } })
        // Cut inside a note: the note is what was written.
        let inNote = try NarrativeDraft(parsing: #"{"findings": [{"kind": "fastest", "facts": ["Gk3f9"], "note": "It le"#).items
        #expect(inNote == [Item(section: .findings, kind: "fastest", facts: ["Gk3f9"], note: "It le")])
    }

    @Test func repliesWithoutItemsThrow() {
        #expect(throws: NarrativeParseError.emptyReply) { try NarrativeDraft(parsing: "  \n ") }
        #expect(throws: NarrativeParseError.noJSONObject(excerpt: "The United States is the world's largest economy.")) {
            try NarrativeDraft(parsing: "The United States is the world's largest economy.")
        }
        #expect(throws: NarrativeParseError.noNarrative(keys: ["answer"])) { try NarrativeDraft(parsing: #"{"answer": 42}"#) }
        #expect(throws: NarrativeParseError.noNarrative(keys: ["findings"])) { try NarrativeDraft(parsing: #"{"findings": []}"#) }
        // Free prose, the old narrative's shape, holds no item.
        let prose = #"{"summary": "S.", "findings": ["F1", "F2"], "recommendations": ["R1"], "risks": [{"risk": "A", "mitigation": "B"}]}"#
        #expect {
            try NarrativeDraft(parsing: prose)
        } throws: { error in
            if case .noNarrative = error as? NarrativeParseError { true } else { false }
        }
        #expect(throws: NarrativeParseError.noNarrative(keys: ["summary", "findings", "recommendations", "risks"])) {
            try NarrativeDraft(parsing: prose)
        }
        #expect(throws: NarrativeParseError.noNarrative(keys: [])) { try NarrativeDraft(parsing: "{}") }
        let error = NarrativeParseError.noNarrative(keys: ["answer"])
        #expect(error.description.contains("no items (kind, facts, note)") && error.description.contains("(keys: answer)"))
        #expect(!NarrativeParseError.noNarrative(keys: []).description.contains("keys:"))
    }

    @Test func deepNestingIsRefusedNotCrashedOn() {
        let deep = String(repeating: "[", count: 10_000)
        #expect(throws: NarrativeParseError.self) { try NarrativeDraft(parsing: "{\"findings\": " + deep) }
    }
}
