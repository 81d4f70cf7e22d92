import Records

/// Columns that record where and what ran rather than how it was asked: the
/// code under test (`ollama_version`, `commit`, `build_number`:
/// `CodeUnderTestKey`), the machine (`hostname`, `gpu_name`:
/// `MachineKey.identifies`) and the version of what it runs on
/// (`driver_version`, `cuda_version`). Read as settings, they made each new
/// version or host a group of its own, so a night run 20% slower on a new
/// Ollama was never compared with the nights before it. Holding one value on
/// every run of the file, they are its environment instead: a new version is
/// what sessions compare, another host or driver is another environment (the
/// session test says so).
///
/// A column that takes two values or more in one file (two builds or two
/// machines side by side) stays a setting, so the file's own comparison
/// between them is kept.
extension RunTableFormat {
    /// The columns of `header` (neither sweep parameters nor `perRun`) that
    /// are the file's environment: of a role above, with one value in every
    /// run set (`sets`, read with every column a setting).
    static func environmentColumns(of sets: [RunSet], header: [String], perRun: Set<String>) -> [String] {
        header.filter { name in
            guard !perRun.contains(ColumnName.canonical(name)), !sweepParameters.contains(name.lowercased()),
                let value = constantValue(of: name, in: sets)
            else { return false }
            return CodeUnderTestKey.names(name) || CodeUnderTestKey.namesPlatformVersion(name) || MachineKey.identifies(name, value: value)
        }
    }

    /// The value a setting has in every set; nil when a set lacks it or has another.
    private static func constantValue(of name: String, in sets: [RunSet]) -> String? {
        var value: String? = nil
        for set in sets {
            guard let taken = set.configuration.first(where: { $0.name == name })?.value, value == nil || taken == value else { return nil }
            value = taken
        }
        return value
    }
}

/// Columns naming the code under test (`ollama_version`, `commit`) whose
/// values follow one another in time, as a harness appending a night at a
/// time to one file writes them: each value's runs all begin at least
/// `successiveVersionGap` after the previous value's last run. Each value is
/// the version its night ran, not a setting: as settings, every new version
/// began a group with no history, and a night 20% slower on a new Ollama,
/// appended to the file the nights before it were in, was never tested
/// (one file per night was). Two values side by side, interleaved, or run
/// within the hour (an A/B comparison) stay settings.
extension RunTableFormat {
    /// How far apart in time two versions' runs must be to be successive.
    static let successiveVersionGap = 3_600.0

    /// The columns of `header`, neither `perRun` nor `environment`, that name
    /// the code under test and hold successive versions in `sets` (read with
    /// every column a setting), each with its values in the order they ran.
    static func successiveVersionColumns(
        of sets: [RunSet], header: [String], perRun: Set<String>, environment: Set<String>
    ) -> [(name: String, values: [String])] {
        header.compactMap { name in
            let canonical = ColumnName.canonical(name)
            guard CodeUnderTestKey.names(name), !perRun.contains(canonical), !environment.contains(canonical),
                !sweepParameters.contains(name.lowercased()),
                let values = successiveValues(of: name, in: sets)
            else { return nil }
            return (name, values)
        }
    }

    /// The values `name` takes in `sets`, in the order they ran, when there
    /// are two or more and each began `successiveVersionGap` after the one
    /// before ended; nil otherwise (a set lacking it, a run without a time).
    private static func successiveValues(of name: String, in sets: [RunSet]) -> [String]? {
        var spans: [String: ClosedRange<Double>] = [:]
        for set in sets {
            guard let value = set.configuration.first(where: { $0.name == name })?.value else { return nil }
            for run in set.runs {
                guard let time = run.timestamp, time.isFinite else { return nil }
                let span = spans[value].map { min($0.lowerBound, time)...max($0.upperBound, time) } ?? time...time
                spans[value] = span
            }
        }
        guard spans.count >= 2 else { return nil }
        let ordered = spans.sorted { $0.value.lowerBound < $1.value.lowerBound }
        for (before, after) in zip(ordered, ordered.dropFirst()) where after.value.lowerBound - before.value.upperBound < successiveVersionGap {
            return nil
        }
        return ordered.map(\.key)
    }

    /// What the report says of such a column.
    static func successiveVersionNote(_ column: (name: String, values: [String])) -> String {
        let shown = column.values.count <= 4 ? column.values : Array(column.values.prefix(2)) + ["..."] + [column.values.last ?? ""]
        return "'\(column.name)' took \(column.values.count) values one after another in time (\(shown.joined(separator: ", "))): "
            + "read as the version each night ran, not a setting that splits groups, so a new version's night is compared with the nights before it"
    }
}
