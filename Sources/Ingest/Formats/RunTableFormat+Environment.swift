import Records

/// Columns that record where and what ran rather than how it was asked: the
/// code under test (`ollama_version`, `commit`, `build_number`,
/// `CodeUnderTestKey`) and the machine (`hostname`, `gpu_name`,
/// `MachineKey`). Read as settings, they made each new version or host a
/// group of its own, so a night run 20% slower on a new Ollama was never
/// compared with the nights before it. Holding one value on every run of the
/// file, they are its environment instead: a new version is what sessions
/// compare, another host is another environment (the session test says so).
///
/// A column that takes two values or more in one file (two builds or two
/// machines side by side) stays a setting, so the file's own comparison
/// between them is kept.
extension RunTableFormat {
    /// The environment a run table's columns record, as `name=value`: the
    /// columns of `header` (neither sweep parameters nor `perRun`) that name
    /// the code, the machine or the version of what it runs on
    /// (`driver_version`, `cuda_version`) and hold one value in every run
    /// set. A machine's column must hold a name: `num_gpu=1` is a setting.
    static func environment(of sets: [RunSet], header: [String], perRun: Set<String>) -> [Parameter] {
        var found: [Parameter] = []
        for name in header where !perRun.contains(ColumnName.canonical(name)) && !sweepParameters.contains(name.lowercased()) {
            let code = CodeUnderTestKey.names(name)
            let platform = CodeUnderTestKey.namesPlatformVersion(name) || name.lowercased().contains("driver")
            guard code || platform || namesMachine(name) else { continue }
            var value: String? = nil
            let constant = sets.allSatisfy { set in
                guard let taken = set.configuration.first(where: { $0.name == name })?.value else { return false }
                if value == nil { value = taken }
                return taken == value
            }
            guard constant, let value, code || platform || Double(value) == nil else { continue }
            found.append(Parameter(name, value))
        }
        return found
    }

    /// A machine's key (`gpu_name`, `hostname`, `cpu_model`), not the
    /// address of the server a run asked (`ollama_host`, a URL: a setting).
    private static func namesMachine(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower != "ollama_host" && !lower.hasSuffix("_url") && MachineKey.names(lower)
    }
}
