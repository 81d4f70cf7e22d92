/// Everything chimerad took from one file.
///
/// Ingest produces it, the store keeps it (see `Extraction+Binary.swift`), and
/// analysis reads it back; nothing downstream re-reads the file.
package struct Extraction: Sendable, Equatable {
    package var shape: Shape
    /// A model the file names at top level (a baseline JSON's `"model"`): used to
    /// name the runs of a twin or sibling file that does not say.
    package var modelHint: String?
    /// The environment the file records (GPU, backend, build commit, ...).
    package var environment: [Parameter]
    package var runSets: [RunSet]
    package var aggregates: [AggregateRow]
    package var compilation: [CompilationResult]
    package var llamaBench: [LlamaBenchResult]
    package var measurements: [Measurement]
    package var series: [Series]
    /// Measured columns of a table that dates its rows, not yet cut into
    /// sessions: the file's digest makes them `measurements` (never stored).
    package var datedSeries: [DatedSeries] = []
    /// Things worth telling the user about the file that did not stop it
    /// (rows with the wrong column count, values that were not numbers).
    package var notes: [String]
    /// When the file's tool says its results were measured (pytest-benchmark's
    /// `datetime`, Google Benchmark's `context.date`, vLLM's `date`), seconds
    /// since 1970 UTC: what orders a benchmark's sessions when files lost
    /// their modification times (a clone, a copy).
    package var measuredAt: Double? = nil

    package init(
        shape: Shape,
        modelHint: String? = nil,
        environment: [Parameter] = [],
        runSets: [RunSet] = [],
        aggregates: [AggregateRow] = [],
        compilation: [CompilationResult] = [],
        llamaBench: [LlamaBenchResult] = [],
        measurements: [Measurement] = [],
        series: [Series] = [],
        notes: [String] = []
    ) {
        self.shape = shape
        self.modelHint = modelHint
        self.environment = environment.sorted()
        self.runSets = runSets
        self.aggregates = aggregates
        self.compilation = compilation
        self.llamaBench = llamaBench
        self.measurements = measurements
        self.series = series
        self.notes = notes
    }

    /// Whether the file held anything a report can use.
    package var isEmpty: Bool {
        runSets.allSatisfy { $0.columns.count == 0 } && aggregates.isEmpty && compilation.isEmpty
            && llamaBench.isEmpty && measurements.isEmpty && series.isEmpty && datedSeries.isEmpty
    }
}
