import Foundation
import TestSupport
import Testing

/// Every number the narrative states is chimerad's and can be found elsewhere
/// in the same report (a finding, the leaderboard, What Changed): a model
/// that cites facts adds no figure of its own, not even one computed from two.
@Suite("Every number of the narrative is in the report outside it", .serialized)
struct NarrativeNumbersTests {
    /// The numbers of `text` as written (`68.43`, `15.9`, `5`), signs and units left off.
    static func numbers(in text: String) -> [String] {
        text.matches(of: /\d+(?:\.\d+)?/).map { String($0.output) }
    }

    /// Whether `number` stands in `text` as a whole number (`5` is not found in `15` or `0.5`).
    static func contains(_ text: String, number: String) -> Bool {
        let escaped = NSRegularExpression.escapedPattern(for: number)
        return text.range(of: #"(?<![\d.])"# + escaped + #"(?!\.?\d)"#, options: .regularExpression) != nil
    }

    /// The Markdown without its Model Narrative section (from its heading to the next heading).
    static func outsideNarrative(_ markdown: String) -> String {
        var inside = false
        var kept: [Substring] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "### Model Narrative" {
                inside = true
            } else if inside && line.hasPrefix("#") {
                inside = false
            }
            if !inside { kept.append(line) }
        }
        return kept.joined(separator: "\n")
    }

    /// A server choosing, in every slot, the choice at `pick` (wrapping round the slot's choices).
    static func server(pick: Int) throws -> LoopbackServer {
        try ModelFaultTests.itemServer { body in
            let reply = ItemReply(chatBody: body)
            var bySlot: [String: [ItemReply.Choice]] = [:]
            var order: [String] = []
            for choice in reply.choices {
                let slot = choice.section + " \(choice.slot)"
                if bySlot[slot] == nil { order.append(slot) }
                bySlot[slot, default: []].append(choice)
            }
            var sections: [String: [[String: Any]]] = [:]
            for (index, slot) in order.enumerated() {
                guard let choices = bySlot[slot], !choices.isEmpty else { continue }
                let choice = choices[pick % choices.count]
                sections[choice.section, default: []].append(ItemReply.item(choice, note: ItemReply.note(for: choice, index)))
            }
            return ItemReply.json(sections)
        }
    }

    static var inputs: [(name: String, path: () throws -> String)] {
        var inputs: [(name: String, path: () throws -> String)] = [
            ("the bundled examples", { Chimerad.repository.appendingPathComponent("examples/results").path }),
            ("two models", { try ModelFaultTests.twoModels() }),
        ]
        if Chimerad.hasSharedCorpus { inputs.append(("the shared corpus", { Chimerad.sharedCorpus.path })) }
        return inputs
    }

    @Test("for each input and three different picks per slot, each number of each kept item stands elsewhere in the report")
    func everyNarrativeNumberIsFoundOutsideIt() async throws {
        var checked = 0
        for input in Self.inputs {
            let path = try input.path()
            for pick in 0..<3 {
                let server = try Self.server(pick: pick)
                defer { server.stop() }
                let run = try await ModelFaultTests.report(url: server.url, timeoutSeconds: 30, input: path)
                let items = run.json.object("narrative")["items"] as? [[String: Any]] ?? []
                #expect(!items.isEmpty, "\(input.name), pick \(pick): no item kept: \(run.json.object("narrative"))")
                let elsewhere = Self.outsideNarrative(run.markdown)
                #expect(elsewhere.count < run.markdown.count, "\(input.name): the report has no narrative section")
                for item in items {
                    let text = (item["text"] as? String ?? "") + " " + (item["mitigation"] as? String ?? "")
                    for number in Self.numbers(in: text) {
                        checked += 1
                        #expect(
                            Self.contains(elsewhere, number: number),
                            "\(input.name), pick \(pick): \(number) of \"\(text)\" is nowhere else in the report")
                    }
                }
            }
        }
        #expect(checked > 20, "too few numbers stated to show anything: \(checked)")
    }
}
