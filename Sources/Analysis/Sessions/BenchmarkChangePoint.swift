import Records

/// A lasting change in the session history of a benchmark other than a run
/// group (a hyperfine command, a pytest-benchmark test, a Google Benchmark):
/// where the level of its sessions' figures moved and stayed moved, as
/// `GroupChangePoint` finds it for run groups, so a nightly slide of 1% that
/// no session-to-sessions test flags is still said.
package struct BenchmarkChangePoint: Sendable, Equatable {
    package var tool: String
    package var name: String
    package var parameters: [Parameter]
    /// The unit of a rate; times are in seconds.
    package var unit: String?
    /// The change: `session` is its position among the benchmark's
    /// sessions in the order they were measured.
    package var point: GroupChangePoint
    /// The first session of the new level.
    package var source: String
    package var startedAt: Double?
    package var measuredAt: Double
    /// The figure of the benchmark's latest session: where it is now.
    package var latest: Double? = nil

    package init(
        tool: String, name: String, parameters: [Parameter], unit: String?, point: GroupChangePoint, source: String, startedAt: Double?,
        measuredAt: Double
    ) {
        self.tool = tool
        self.name = name
        self.parameters = parameters
        self.unit = unit
        self.point = point
        self.source = source
        self.startedAt = startedAt
        self.measuredAt = measuredAt
    }

    package var label: String {
        let name = Regression.name(tool: tool, model: name)
        return parameters.isEmpty ? name : "\(name) (\(parameters.rendered))"
    }
}
