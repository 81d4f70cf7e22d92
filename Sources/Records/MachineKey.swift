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
}
