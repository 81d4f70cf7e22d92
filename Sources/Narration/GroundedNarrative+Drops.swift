extension GroundedNarrative.DropReason {
    /// The kind of reason without its detail. Reports count dropped sentences
    /// by kind and never quote them: a dropped sentence's number is exactly
    /// what must not reach a report.
    package var kind: String {
        switch self {
        case .ungroundedNumber: "number not in the facts"
        case .unknownModel: "model not in the data"
        case .unknownFile: "file not in the data"
        case .unknownName: "name not in the data"
        case .echoesPrompt: "repeats the prompt"
        case .duplicate: "repeats an earlier sentence"
        case .offTopic: "not about the benchmarks"
        case .namesNothingOfTheData: "names nothing of the data"
        case .notASentence: "not a sentence"
        case .unfinished: "unfinished"
        }
    }
}

extension GroundedNarrative {
    /// Dropped sentences counted by kind, most frequent first (then by name).
    package var dropCounts: [(kind: String, count: Int)] {
        var counts: [String: Int] = [:]
        for item in dropped { counts[item.reason.kind, default: 0] += 1 }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// `4 number not in the facts, 1 repeats the prompt`; empty when none was dropped.
    package var dropSummary: String {
        dropCounts.map { "\($0.count) \($0.kind)" }.joined(separator: ", ")
    }
}
