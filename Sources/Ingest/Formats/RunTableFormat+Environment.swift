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
/// time to one file writes them: the value changes only across a pause of
/// `successiveVersionGap` or more (a night on a new version, the next back on
/// the old one after a rollback). Each value is the version its night ran,
/// not a setting: as settings, every new version began a group with no
/// history, and a night 20% slower on a new Ollama, appended to the file the
/// nights before it were in, was never tested (one file per night was); and
/// a rollback made the file's groups change under an open regression. Two
/// values side by side, or changing within the hour (an A/B comparison),
/// stay settings.
extension RunTableFormat {
    /// How far apart in time two versions' runs must be to be successive.
    static let successiveVersionGap = 3_600.0

    /// The columns of `header`, neither `perRun` nor `environment`, that name
    /// the code under test and hold successive versions in `sets` (read with
    /// every column a setting), each with its values in the order they first ran.
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

    /// The values `name` takes in `sets`, in the order they first ran, when
    /// it changes at least once and, within each run group the column would
    /// leave (the model and the other settings: one host's nights are its
    /// own, beside another's at the same hour), only across a pause of
    /// `successiveVersionGap` or more (a night on a new version, the next
    /// back on the old one); nil otherwise (a set lacking it, a change within
    /// the hour). A run without a time cannot be placed, and contradicts nothing.
    private static func successiveValues(of name: String, in sets: [RunSet]) -> [String]? {
        var groups: [[String]: [(time: Double, value: String)]] = [:]
        var firstRan: [String: Double] = [:]
        var values: Set<String> = []
        for set in sets {
            guard let value = set.configuration.first(where: { $0.name == name })?.value else { return nil }
            values.insert(value)
            let others = [set.model ?? ""] + set.configuration.filter { $0.name != name }.flatMap { [$0.name, $0.value] }
            for run in set.runs {
                guard let time = run.timestamp, time.isFinite else { continue }
                groups[others, default: []].append((time, value))
                firstRan[value] = min(firstRan[value] ?? time, time)
            }
        }
        var changed = false
        for var runs in groups.values {
            runs.sort { $0.time < $1.time }
            for (before, after) in zip(runs, runs.dropFirst()) where after.value != before.value {
                guard after.time - before.time >= successiveVersionGap else { return nil }
                changed = true
            }
        }
        // A change nights apart; or one dated value, and another only on
        // undated runs, which contradict nothing.
        guard changed || (firstRan.count == 1 && values.count >= 2) else { return nil }
        let undated = values.subtracting(firstRan.keys).sorted()
        return firstRan.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map(\.key) + undated
    }

    /// What the report says of such a column.
    static func successiveVersionNote(_ column: (name: String, values: [String])) -> String {
        let shown = column.values.count <= 4 ? column.values : Array(column.values.prefix(2)) + ["..."] + [column.values.last ?? ""]
        return
            "'\(column.name)' took \(column.values.count) values, changing only nights apart (\(shown.joined(separator: ", "))): "
            + "read as the version each night ran, not a setting that splits groups, so a new version's night is compared with the nights before it"
    }
}
