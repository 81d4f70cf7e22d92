import Analysis
import Testing

@testable import Narration

@Suite struct PromptTests {
    @Test func thePromptHoldsThePersonaInstructionsAndFacts() {
        let prompt = NarrationFixtures.prompt()
        #expect(prompt.system == NarrativePrompt.defaultPersona)
        #expect(prompt.user.hasPrefix(NarrativePrompt.instructions))
        #expect(prompt.user.hasSuffix(prompt.factSheet.text))
        #expect(prompt.text.contains("tps.median=68.43"))
        #expect(prompt.estimatedTokens < 600)
        let custom = NarrativePrompt(facts: NarrationFixtures.twoModels(), persona: "  You are terse.  ")
        #expect(custom.system == "You are terse.")
    }

    @Test func theSchemaAsksForEverySection() throws {
        let schema = NarrativePrompt.outputSchema
        #expect(schema[loose: "required"] == .array(["summary", "findings", "recommendations", "risks"].map { .string($0) }))
        let properties = try #require(schema[loose: "properties"])
        #expect(properties[loose: "recommendations"]?[loose: "minItems"] == .number(3))
        #expect(properties[loose: "risks"]?[loose: "minItems"] == .number(2))
        #expect(properties[loose: "risks"]?[loose: "items"]?[loose: "required"] == .array([.string("risk"), .string("mitigation")]))
        // The text form is JSON the lenient parser reads back unchanged.
        var parser = LenientJSONParser(Substring(schema.text))
        #expect(parser.parseValue() == schema)
        #expect(schema.text.hasPrefix(#"{"type":"object","properties":{"summary":{"type":"string"}"#))
    }
}
