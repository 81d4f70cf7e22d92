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
