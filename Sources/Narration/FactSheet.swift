import ModelInterface

/// The computed facts a narrative may draw on, as a compact plain-text table
/// with stable IDs: what the prompt shows the model and what grounding checks
/// the model's text against. Not raw files, not file names.
public struct FactSheet: Sendable, Equatable {
    /// One subject (a run group, a sweep, a failure, ...) and its figures: one
    /// line of the table.
    public struct Row: Sendable, Equatable {
        /// `Gk3f9`: the kind's letter and a short hash of the subject's identity.
        public var id: String
        /// What the row is about: `gemma3:270m [tag=q4_0]`, `failure`.
        public var subject: String
        public var facts: [Fact]

        public init(id: String, subject: String, facts: [Fact]) {
            self.id = id
            self.subject = subject
            self.facts = facts
        }

        /// `Gk3f9 gemma3:270m: ok=5 failed=0 tps.median=294.96`
        public var line: String {
            ([id + " " + subject + ":"] + facts.map(\.rendered)).joined(separator: " ")
        }
    }

    /// Explains the keys once, so the rows can stay terse.
    public static let legend =
        "Keys: tps = decode tokens/s; ttft = time to first token; s = seconds; ms = milliseconds; ok/failed = runs; cold = first run that loaded the model."

    public var rows: [Row]
    /// Names the data holds: a narrative naming another model or file is not
    /// about this data. Kept with the sheet (not rendered) for grounding.
    public var models: [String]
    /// Source paths of the facts, relative to their input roots (not rendered).
    public var files: [String]
    /// Parameter values of the configurations (`1024`, `0.4`): a narrative may
    /// quote a configuration without it being a measured figure.
    public var configurationValues: [String]
    /// Names of things measured besides models: backends, parameters, tools.
    public var vocabulary: [String]

    public init(
        rows: [Row], models: [String], files: [String], configurationValues: [String], vocabulary: [String]
    ) {
        self.rows = rows
        self.models = models
        self.files = files
        self.configurationValues = configurationValues
        self.vocabulary = vocabulary
    }

    /// Every fact of every row, in table order.
    public var facts: [Fact] { rows.flatMap(\.facts) }

    /// The table as the prompt shows it: the legend, then one line per row.
    public var text: String {
        ([FactSheet.legend] + rows.map(\.line)).joined(separator: "\n")
    }

    /// Estimated prompt tokens of `text` (see `TokenEstimate`).
    public var estimatedTokens: Int { TokenEstimate.tokens(in: text) }
}
