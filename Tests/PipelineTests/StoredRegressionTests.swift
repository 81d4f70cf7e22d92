import Analysis
import Records
import Store
import Testing

@testable import Pipeline

/// Regressions a store kept from an older chimerad, read back as this one
/// keys its groups, so an open one still meets its group's new sessions.
@Suite struct StoredRegressionTests {
    private func row(tool: String?, configuration: [Parameter]) -> Store.RegressionRow {
        var row = Store.RegressionRow(
            id: 1, scope: "s", model: "llama 8B Q4_K - Medium tg128", configuration: configuration, metric: "throughput",
            baselineMedian: 127.5, baselineCount: 35, baselineSessions: 7, currentMedian: 102, currentCount: 5, currentSources: ["night-17.json"],
            changePercent: -20, intervalLow: -22, intervalHigh: -18, pValue: 0.001, qValue: 0.002, openedAt: "2026-11-17T03:00:00Z")
        row.tool = tool
        return row
    }

    /// An older chimerad keyed llama-bench tests on every setting of their
    /// row; this one leaves out those at zero, false, `auto` or blank.
    @Test func aLlamaBenchRegressionStoredWithSettingsAtZeroIsKeyedWithoutThem() throws {
        let stored = [
            Parameter("flash_attn", "0"), Parameter("main_gpu", "0"), Parameter("n_gpu_layers", "99"), Parameter("n_threads", "16"),
            Parameter("no_kv_offload", "false"), Parameter("type_k", "f16"),
        ]
        let regression = try #require(Regression(row: row(tool: "llama-bench", configuration: stored)))
        let current = [Parameter("n_gpu_layers", "99"), Parameter("n_threads", "16"), Parameter("type_k", "f16")]
        #expect(regression.configuration == current)
        #expect(regression.groupKey == Regression.groupKey(tool: "llama-bench", model: "llama 8B Q4_K - Medium tg128", configuration: current))
        // A run group's settings are its own, zeros and all (`num_gpu=0` is CPU only).
        let runs = [Parameter("num_gpu", "0"), Parameter("temperature", "0.3")]
        #expect(try #require(Regression(row: row(tool: nil, configuration: runs))).configuration == runs)
    }
}
