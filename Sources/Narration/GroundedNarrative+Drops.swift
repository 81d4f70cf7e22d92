extension GroundedNarrative {
    /// Dropped items counted by kind of reason, most frequent first (then by name).
    package var dropCounts: [(kind: String, count: Int)] {
        GroundedNarrative.counted(dropped.map(\.reason.kind))
    }

    /// Dropped notes counted by kind of reason. Notes are counted, never
    /// quoted: a dropped note's words are exactly what must not reach a report.
    package var noteDropCounts: [(kind: String, count: Int)] {
        GroundedNarrative.counted(droppedNotes.map(\.reason.kind))
    }

    /// `4 facts do not support the kind, 1 repeats an earlier item`; empty when none was dropped.
    package var dropSummary: String {
        dropCounts.map { "\($0.count) \($0.kind)" }.joined(separator: ", ")
    }

    private static func counted(_ kinds: [String]) -> [(kind: String, count: Int)] {
        var counts: [String: Int] = [:]
        for kind in kinds { counts[kind, default: 0] += 1 }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

extension GroundedNarrative.DropReason {
    /// The kind of reason without its detail.
    package var kind: String {
        switch self {
        case .holdsDigits: "holds a digit"
        case .ungroundedNumber: "number not in the facts"
        case .unknownModel: "model not in the data"
        case .unknownFile: "file not in the data"
        case .unknownName: "name not in the data"
        case .echoesPrompt: "repeats the prompt"
        case .duplicate: "repeats an earlier note"
        case .offTopic: "not about the benchmarks"
        case .notAboutItsItem: "not about its item"
        case .namesNothingOfTheData: "names nothing of the data"
        case .notASentence: "not a sentence"
        case .unfinished: "unfinished"
        case .quotesRowID: "quotes a row ID"
        case .contradictsFacts: "contradicts the facts"
        case .unsupportedCause: "gives a cause the facts do not hold"
        case .unsupportedClaim: "claims what its item does not hold"
        }
    }
}
