import Records
import Store
import Testing

@testable import Pipeline

/// How a report's values become the fleet's columns (the whole path, from
/// files to PostgreSQL rows, is tested in IntegrationTests' FleetPublishTests).
@Suite struct FleetPublicationTests {
    @Test func environmentColumnsComeFromTheFirstKeyNamingEach() {
        let environment = FleetPublication.environment([
            ("gpu_info", "NVIDIA H100 80GB"), ("backends", "CUDA"), ("build_commit", "b4521"), ("build_number", "4521"),
            ("nvidia_driver", "550.54"),
        ])
        #expect(environment == .init(gpu: "NVIDIA H100 80GB", driver: "550.54", backend: "CUDA", build: "b4521"))
        #expect(FleetPublication.environment([("ollama_host", "localhost")]).isEmpty)
    }

    @Test func equalConfigurationsAreEqualText() {
        let one = FleetPublication.canonical([Parameter("num_ctx", "4096"), Parameter("num_gpu", "99")])
        let other = FleetPublication.canonical([Parameter("num_gpu", "99"), Parameter("num_ctx", "4096")])
        #expect(one == other && one == #"{"num_ctx":"4096","num_gpu":"99"}"#)
        #expect(FleetPublication.canonical([]) == "{}")
    }

    @Test func aRegressionKeepsOnlyTheResolutionsTheFleetKnows() {
        var row = Store.RegressionRow(
            id: 3, scope: "s", model: "m", configuration: [Parameter("num_ctx", "2048")], metric: "tokens_per_second", baselineMedian: 100,
            baselineCount: 20, baselineSessions: 2, currentMedian: 80, currentCount: 10, currentSources: ["a.csv"], changePercent: -20,
            intervalLow: -25, intervalHigh: -15, pValue: 0.001, qValue: 0.002, openedAt: "2026-12-01T00:00:00Z",
            resolvedAt: "2026-12-02T00:00:00Z", resolution: "recovered")
        row.environment = [Parameter("build_commit", "b1")]
        let published = FleetPublication.regression(row)
        #expect(published.localID == 3 && published.resolution == "recovered" && published.build == "b1")
        #expect(published.configuration == #"{"num_ctx":"2048"}"# && published.environment == #"[["build_commit","b1"]]"#)
        row.resolution = "something else"
        #expect(FleetPublication.regression(row).resolution == nil)
    }
}
