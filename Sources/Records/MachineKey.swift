/// Whether an environment key names the machine a benchmark ran on: its CPU,
/// GPU, host or node (`cpu_info`, `gpu_name`, `hostname`). Ingest takes such
/// keys from files that describe the machine; analysis lets a session's own
/// file name its machine before its folder's neighbours do.
package enum MachineKey {
    package static let words = ["cpu", "gpu", "host", "node", "machine", "processor"]

    package static func names(_ key: String) -> Bool {
        let lower = key.lowercased()
        return words.contains { lower.contains($0) }
    }

    /// Whether a run table's column of this name holding `value` says which
    /// machine ran (`hostname=lab-2`, `gpu_name=RTX 4090`, `cpu_model`),
    /// rather than a setting that only mentions one (`num_gpu=1`,
    /// `use_gpu=true`, `gpu_layers=all`, `cpu_offload=yes`): the name is the
    /// machine's word alone or with `name`, `model`, `info`, `brand` or
    /// `type`, and the value is a name, not a number or a switch.
    package static func identifies(_ key: String, value: String) -> Bool {
        let parts = CodeUnderTestKey.words(key)
        let named =
            parts.count == 1
            ? identityKeys.contains(parts[0])
            : parts.count == 2 && words.contains(parts[0]) && ["name", "model", "info", "brand", "type"].contains(parts[1])
        return named && Double(value) == nil && !switchValues.contains(value.lowercased())
    }

    private static let identityKeys: Set<String> = ["host", "hostname", "node", "nodename", "machine", "gpu", "cpu", "processor"]
    private static let switchValues: Set<String> = ["true", "false", "yes", "no", "on", "off", "all", "none", "auto", "default", ""]
}
