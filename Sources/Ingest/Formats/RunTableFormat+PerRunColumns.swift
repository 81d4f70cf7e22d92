import Records

/// Columns that name each run rather than a setting: what a run was asked
/// (`question`, `input`), what it answered, a request id or a run counter
/// (`trial`, `sample`), under names `identityColumns` does not know. Read
/// as settings, they would make every run a group of its own, and no
/// session would ever have enough runs to be tested.
extension RunTableFormat {
    /// The columns of `header` that hold a value of their own for every run
    /// of each model: text (with a blank in it, or long: a question, an id)
    /// or a count that goes up by one a run. Short words (`cuda`, `q4_0`) and
    /// other numbers (batch sizes 1, 2, 4, 8) stay settings even when each
    /// has one run: a sweep of one run a configuration. Sweep parameters are
    /// never taken.
    static func perRunColumns(of sets: [RunSet], header: [String]) -> [String] {
        let columns = Set(header)
        var values: [String: [String: [String]]] = [:]  // column → model → values, a set each
        var runs = 0
        for set in sets {
            runs += set.columns.count
            for parameter in set.configuration where columns.contains(parameter.name) {
                values[parameter.name, default: [:]][set.model ?? "", default: []].append(parameter.value)
            }
        }
        guard runs >= 4 else { return [] }
        var found: [String] = []
        for name in header where !sweepParameters.contains(name.lowercased()) {
            guard let byModel = values[name] else { continue }
            // Each set holds one run, and each value is its model's once.
            let ownValues = byModel.values.allSatisfy { Set($0).count == $0.count && $0.count >= 2 }
            let taken = byModel.values.reduce(0) { $0 + $1.count }
            guard ownValues, taken == sets.filter({ set in set.configuration.contains { $0.name == name } }).count,
                sets.allSatisfy({ set in !set.configuration.contains { $0.name == name } || set.columns.count == 1 }),
                taken >= 4
            else { continue }
            if byModel.values.allSatisfy({ isRunCounter($0) }) || byModel.values.joined().allSatisfy(isFreeText) {
                found.append(name)
            }
        }
        return found
    }

    /// Whole numbers that go up by one a run (in any order): 0...n-1, 1...n.
    private static func isRunCounter(_ values: [String]) -> Bool {
        let numbers = values.compactMap { Int($0) }
        guard numbers.count == values.count, let low = numbers.min(), let high = numbers.max() else { return false }
        return high - low + 1 == numbers.count
    }

    /// Text no setting is spelled as: with a blank inside, or of 16 bytes or more (an id).
    private static func isFreeText(_ value: String) -> Bool {
        guard Double(value) == nil else { return false }
        return value.utf8.count >= 16 || value.utf8.contains(UInt8(ascii: " "))
    }

    /// `the question column holds a value of its own for every run: read as
    /// the runs' identity, not as a setting that makes each run a group`.
    static func perRunNote(_ names: [String]) -> String {
        let listed = names.map { "\($0)" }.joined(separator: ", ")
        return names.count == 1
            ? "the \(listed) column holds a value of its own for every run: read as the runs' identity, not as a setting that makes each run a group"
            : "the \(listed) columns hold a value of their own for every run: read as the runs' identity, not as settings that make each run a group"
    }
}
