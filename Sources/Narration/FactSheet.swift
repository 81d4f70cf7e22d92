import ModelInterface

/// The computed facts a narrative may draw on, as a compact plain-text table
/// with stable IDs: what the prompt shows the model and what grounding checks
/// the model's text against. Not raw files, not file names.
package struct FactSheet: Sendable, Equatable {
    /// One subject (a run group, a sweep, a failure, ...) and its figures: one
    /// line of the table.
    package struct Row: Sendable, Equatable {
        /// `Gk3f9`: the kind's letter and a short hash of the subject's identity.
        package var id: String
        /// What the row is about: `gemma3:270m [tag=q4_0]`, `failure`.
        package var subject: String
        package var facts: [Fact]

        package init(id: String, subject: String, facts: [Fact]) {
            self.id = id
            self.subject = subject
            self.facts = facts
        }

        /// `Gk3f9 gemma3:270m: ok=5 failed=0 tps.median=294.96`
        package var line: String {
            ([id + " " + subject + ":"] + facts.map(\.rendered)).joined(separator: " ")
        }
    }

    /// Explains the keys once, so the rows can stay terse.
    package static let legend =
        "Keys: tps = decode tokens/s; ttft = time to first token; s = seconds; ms = milliseconds; ok/failed = runs; cold = first run that loaded the model."

    package var rows: [Row]
    /// Names the data holds: a narrative naming another model or file is not
    /// about this data. Kept with the sheet (not rendered) for grounding.
    package var models: [String]
    /// Source paths of the facts, relative to their input roots (not rendered).
    package var files: [String]
    /// Parameter values of the configurations (`1024`, `0.4`): a narrative may
    /// quote a configuration without it being a measured figure.
    package var configurationValues: [String]
    /// Names of things measured besides models: backends, parameters, tools.
    package var vocabulary: [String]

    package init(
        rows: [Row], models: [String], files: [String], configurationValues: [String], vocabulary: [String]
    ) {
        self.rows = rows
        self.models = models
        self.files = files
        self.configurationValues = configurationValues
        self.vocabulary = vocabulary
    }

    /// Every fact of every row, in table order.
    package var facts: [Fact] { rows.flatMap(\.facts) }

    /// The table as the prompt shows it: the legend, then one line per row.
    package var text: String {
        ([FactSheet.legend] + rows.map(\.line)).joined(separator: "\n")
    }

    /// Estimated prompt tokens of `text` (see `TokenEstimate`).
    package var estimatedTokens: Int { TokenEstimate.tokens(in: text) }
}
