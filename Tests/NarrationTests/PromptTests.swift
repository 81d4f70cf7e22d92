import Analysis
import Records
import Testing

@testable import Narration

@Suite struct PromptTests {
    @Test func thePromptHoldsThePersonaInstructionsFactsAndChoices() {
        let prompt = NarrationFixtures.prompt()
        #expect(prompt.system == NarrativePrompt.defaultPersona)
        #expect(
            prompt.user == NarrativePrompt.instructions + "\n\nFacts:\n" + prompt.factSheet.text + "\n\nChoices (kind IDs):\n" + prompt.choices.text)
        #expect(prompt.text.contains("tps.median=68.43"))
        #expect(prompt.text == prompt.system + "\n\n" + prompt.user)
        #expect(prompt.estimatedTokens < 800)
        #expect(prompt.choices.sheet == prompt.factSheet)
        let custom = NarrativePrompt(facts: NarrationFixtures.twoModels(), persona: "  You are terse.  ")
        #expect(custom.system == "You are terse.")
    }

    /// `findings item 2: fastest Gk3f9 | compare Gk3f9 Gx2b1; Gk3f9 Gq7d0`:
    /// one line per slot, every kind of the vocabulary, every ID a row.
    @Test func theChoicesTextListsEachSlotsKindsAndIDs() throws {
        for (name, sheet) in try HandSheet.all() {
            let choices = ItemChoices(sheet: sheet)
            let lines = choices.text.split(separator: "\n").map(String.init)
            #expect(lines.count == choices.itemsAsked, "\(name)")
            let ids = Set(sheet.rows.map(\.id))
            var index = 0
            for section in GroundedNarrative.Section.allCases {
                for (number, slot) in choices.slots(section).enumerated() {
                    let line = lines[index]
                    index += 1
                    let head = "\(section.rawValue) item \(number + 1): "
                    #expect(line.hasPrefix(head), "\(name): \(line)")
                    let words = line.dropFirst(head.count).split { " |;()".contains($0) }.map(String.init)
                    // Each word is a kind, an ID, or the mitigation's wording.
                    for word in words where !["mitigation:", "or"].contains(word) {
                        #expect(ItemKind(rawValue: word) != nil || ids.contains(word), "\(name): \(word) in \(line)")
                    }
                    for choice in slot {
                        #expect(line.contains(choice.kind.rawValue) && line.contains(choice.rows.joined(separator: " ")), "\(name): \(line)")
                    }
                    if section == .risks {
                        for choice in slot {
                            #expect(line.contains("(mitigation: " + choice.kind.mitigations.map(\.rawValue).joined(separator: " or ") + ")"))
                        }
                    }
                }
            }
        }
    }

    @Test func theOutputSchemaIsTheChoicesSchema() throws {
        let prompt = NarrationFixtures.prompt()
        let schema = prompt.outputSchema
        #expect(schema == prompt.choices.schema)
        // Two models, a failure and few runs: every section has something to say.
        #expect(schema[loose: "required"] == .array(["summary", "findings", "recommendations", "risks"].map { .string($0) }))
        #expect(schema.text.hasPrefix(#"{"type":"object","properties":{"summary":{"type":"array","prefixItems":[{"anyOf":["#))
        // The text form is JSON the lenient parser reads back unchanged.
        var parser = LenientJSONParser(Substring(schema.text))
        #expect(parser.parseValue() == schema)
        #expect(NarrativePrompt.outputSchemaName == "chimerad_narrative")
    }

    /// `Narrator.factBudget` sizes the fact table so that the prompt and the
    /// reply fit the model's context window.
    @Test func aPromptBudgetedForAContextWindowLeavesRoomForTheReply() throws {
        let contextSize = 2_048
        let reply = 400
        let budget = Narrator.factBudget(contextSize: contextSize, replyTokens: reply, persona: NarrativePrompt.defaultPersona)
        let small = NarrativePrompt(facts: NarrationFixtures.twoModels(), factBudget: budget)
        #expect(small.estimatedTokens + reply <= contextSize)
        guard let facts = try CorpusFacts.facts() else { return }
        let corpus = NarrativePrompt(facts: facts, factBudget: budget)
        #expect(corpus.factSheet.estimatedTokens <= budget)
        #expect(corpus.estimatedTokens + reply <= contextSize)
    }

    /// The instructions say what the schema enforces, and show no example a
    /// small model could copy.
    @Test func theInstructionsAskForItemsNotProse() {
        let text = NarrativePrompt.instructions
        for word in ["summary", "findings", "recommendations", "risks", "\"kind\"", "\"facts\"", "\"note\"", "\"mitigation\"", "no digits"] {
            #expect(text.contains(word), "\(word)")
        }
        #expect(!text.contains("..."))
        #expect(!text.contains { $0.isNumber })
    }
}
