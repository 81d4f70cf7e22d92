/// A measured column of a table of no known shape that dates its rows
/// (`timestamp,build_s`, a line appended each night): each value with its
/// row's time, and how the column is judged, so its nights are sessions of a
/// benchmark and a slower one is tested as hyperfine's would be.
///
/// It lives between the parser and the file's digest only: the digest cuts
/// it into sessions with the session gap (`FileDigest`), each a
/// `Measurement` of `tool` `table`, and stores those. It is never stored.
package struct DatedSeries: Sendable, Equatable {
    /// The tool name its sessions are tested under.
    package static let tool = "table"

    /// What its sessions are tested as: the file's path under its input,
    /// each run of digits as `*`, and the column (`runs/*/builds.csv ›
    /// build_s`), so one column is one benchmark night after night, whether
    /// the nights are appended to one file or written a file or a folder each.
    package var benchmark: String
    /// The settings its rows were measured under (`compiler=gcc`), when the
    /// table splits by them.
    package var parameters: [Parameter]
    /// A time unit (`s`, `ms`, ...) for a time, the column's own rate unit for a rate.
    package var unit: String
    package var higherIsBetter: Bool
    package var values: [Double]
    /// Each value's time, seconds since 1970 UTC.
    package var times: [Double]

    package init(benchmark: String, parameters: [Parameter], unit: String, higherIsBetter: Bool, values: [Double], times: [Double]) {
        self.benchmark = benchmark
        self.parameters = parameters.sorted()
        self.unit = unit
        self.higherIsBetter = higherIsBetter
        self.values = values
        self.times = times
    }
}
