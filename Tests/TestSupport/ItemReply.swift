import Foundation

/// A model's reply in items, built from the choices the narrative prompt
/// lists (`findings item 2: fastest Gk3f9 | compare Gk3f9 Gx2b1; Gk3f9 Gq7d0`):
/// what a scripted model (a fake backend, or a fake server reading the
/// request's body) answers when a test needs the IDs of the prompt chimerad sent.
public struct ItemReply {
    /// One choice of one item's slot, as the prompt lists it.
    public struct Choice: Equatable {
        public var section: String
        /// 1 for the section's first item.
        public var slot: Int
        public var kind: String
        public var rows: [String]
        /// For a risk: the mitigations the prompt allows, in order.
        public var mitigations: [String]
    }

    /// What the prompt offered, in its order.
    public var choices: [Choice]

    /// The choices listed in a prompt's user text; empty when it lists none.
    public init(prompt user: String) {
        choices = []
        guard let start = user.range(of: "Choices (kind IDs):\n") else { return }
        for line in user[start.upperBound...].split(separator: "\n") {
            guard let match = line.wholeMatch(of: /(summary|findings|recommendations|risks) item (\d+): (.+)/),
                let slot = Int(match.output.2)
            else { continue }
            for part in match.output.3.split(separator: " | ") {
                var rest = part.drop { $0 != " " }.drop { $0 == " " }
                let kind = String(part.prefix { $0 != " " })
                var mitigations: [String] = []
                if rest.hasPrefix("(mitigation: "), let close = rest.firstIndex(of: ")") {
                    mitigations = rest[rest.index(rest.startIndex, offsetBy: 13)..<close].components(separatedBy: " or ")
                    rest = rest[rest.index(after: close)...].drop { $0 == " " }
                }
                for rows in rest.split(separator: "; ") {
                    choices.append(
                        Choice(
                            section: String(match.output.1), slot: slot, kind: kind, rows: rows.split(separator: " ").map(String.init),
                            mitigations: mitigations))
                }
            }
        }
    }

    /// The choices of the prompt in a chat completion request's body (its user message).
    public init(chatBody body: String) {
        let json = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        let messages = json?["messages"] as? [[String: Any]] ?? []
        self.init(prompt: messages.first { $0["role"] as? String == "user" }?["content"] as? String ?? "")
    }

    /// The first choice of every slot: one item per item asked, each true.
    public var firstPerSlot: [Choice] {
        var seen: Set<String> = []
        return choices.filter { seen.insert($0.section + " \($0.slot)").inserted }
    }

    /// A plain note that passes the note checks: it speaks of its item by its
    /// kind's own words (`This fastest item ...`), a different sentence per
    /// index, so notes of one reply never repeat each other.
    public static func note(for choice: Choice, _ index: Int) -> String {
        let endings = [
            "rests on the measurements shown", "is what later reports compare against", "holds across the nights read so far",
            "deserves a second look after the next session", "is drawn from the table's own figures", "comes from facts chimerad computed",
        ]
        return "This \(choice.kind.replacingOccurrences(of: "_", with: " ")) item \(endings[index % endings.count])."
    }

    /// One item of the reply: `{"kind", "facts", "note"}`, a risk with its first mitigation.
    public static func item(_ choice: Choice, note: String, facts: [String]? = nil, kind: String? = nil) -> [String: Any] {
        var item: [String: Any] = ["kind": kind ?? choice.kind, "facts": facts ?? choice.rows, "note": note]
        if let mitigation = choice.mitigations.first { item["mitigation"] = mitigation }
        return item
    }

    /// The reply as JSON: per section its items, in the order given.
    public static func json(_ sections: [String: [[String: Any]]]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: sections, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// A reply choosing the first choice of every slot, each with its own note.
    public var grounded: String {
        var sections: [String: [[String: Any]]] = [:]
        for (index, choice) in firstPerSlot.enumerated() {
            sections[choice.section, default: []].append(ItemReply.item(choice, note: ItemReply.note(for: choice, index)))
        }
        return ItemReply.json(sections)
    }
}
