import Testing

@testable import Narration

/// What chimerad states for an item: the cited rows' names and figures,
/// exactly as the table shows them, and no other number.
@Suite struct ItemStatementTests {
    /// Every run of digits (with its decimal point or thousands separators) in `text`.
    private func numbers(_ text: String) -> [String] {
        text.matches(of: /\d+(?:[.,]\d+)*/).map { String($0.output) }
    }

    private func statement(_ sheet: FactSheet, _ kind: ItemKind, _ rows: [String]) -> String {
        ItemStatement(sheet).statement(ItemChoice(kind: kind, rows: rows))
    }

    @Test func everyNumberOfAStatementIsInACitedRowsLine() throws {
        var stated = 0
        for (name, sheet) in try HandSheet.all() {
            let choices = ItemChoices(sheet: sheet)
            let statement = ItemStatement(sheet)
            for section in GroundedNarrative.Section.allCases {
                for choice in choices.in(section) {
                    let text = statement.statement(choice)
                    let lines = choice.rows.compactMap { id in sheet.rows.first { $0.id == id }?.line }
                    #expect(lines.count == choice.rows.count)
                    let shown = Set(lines.flatMap(numbers))
                    for number in numbers(text) {
                        #expect(shown.contains(number), "\(name): \(number) of “\(text)” is in none of \(lines)")
                    }
                    // The module's own reading of figures agrees.
                    for claim in NumberClaim.claims(in: text) {
                        #expect(lines.contains { $0.contains(claim.digits) }, "\(name): \(claim.text) of “\(text)”")
                    }
                    // Every figure the statement asks for is in the table.
                    #expect(!text.contains("?"), "\(name): “\(text)” misses a figure")
                    #expect(text.hasSuffix("."), "\(name): “\(text)”")
                    stated += 1
                }
            }
        }
        #expect(stated > 20)
    }

    @Test func statementsNameTheGroupsTheyCite() throws {
        for (name, sheet) in try HandSheet.all() {
            let choices = ItemChoices(sheet: sheet)
            for choice in choices.in(.findings) where [.fastest, .slowest, .compare, .throughput].contains(choice.kind) {
                let text = ItemStatement(sheet).statement(choice)
                for id in choice.rows {
                    let row = try #require(sheet.rows.first { $0.id == id })
                    #expect(text.contains(row.subject), "\(name): “\(text)”")
                    #expect(text.contains(try #require(row.facts.first { $0.key == "tps.median" }).shown + " tok/s"), "\(name): “\(text)”")
                    #expect(!text.contains(id), "\(name): “\(text)” shows an ID")
                }
            }
        }
    }

    @Test func figuresAreStatedExactlyAsTheTableShowsThem() {
        let sheet = HandSheet.everything()
        #expect(statement(sheet, .fastest, ["Gaaa1"]) == "gemma3:1b is the fastest at 80.02 tok/s median.")
        #expect(statement(sheet, .slowest, ["Gddd4"]) == "phi4-mini:3.8b is the slowest at 12.75 tok/s median.")
        #expect(
            statement(sheet, .compare, ["Gaaa1", "Gccc3"])
                == "gemma3:1b (80.02 tok/s) is faster than qwen3:4b [num_ctx=1024] (49.9 tok/s).")
        #expect(statement(sheet, .throughput, ["Gaaa1"]) == "gemma3:1b: 80.02 tok/s median over 30 runs, TTFT 0.051 s.")
        #expect(
            statement(sheet, .regression, ["Mreg1"])
                == "gemma3:1b: median tok/s went from 95.10 tok/s to 80.02 tok/s (-15.9%), a regression the session test confirms (p = 0.002).")
        #expect(
            statement(sheet, .inconclusive, ["Minc3"])
                == "qwen3:4b [num_ctx=1024]: median tok/s moved from 51.00 tok/s to 49.90 tok/s (-2.2%), which the session test does not confirm (not significant)."
        )
        #expect(
            statement(sheet, .coldStart, ["Gaaa1"]) == "gemma3:1b: the first run took 1.204 s to its first token, against 0.051 s median.")
        #expect(
            statement(sheet, .useConfig, ["Sswp7"])
                == "Use num_ctx=2048 temperature=0.2 for gemma3:1b: it gave the sweep's best throughput, 83.40 tok/s.")
    }

    @Test func oneOfAUnitIsSingular() {
        let sheet = HandSheet.everything()
        #expect(
            statement(sheet, .harnessFailure, ["Hall5"])
                == "1 session recorded no successful run (1 run): harness failures, kept out of the models' failure rates.")
        #expect(
            statement(sheet, .harnessFailure, ["Hcon6"])
                == "1 session ran nothing (connection refused; 3 runs): the harness's failure, not the models'.")
        #expect(statement(sheet, .throughput, ["Gbbb2"]).contains("over 1 run,"))
        #expect(statement(sheet, .fewRuns, ["Gbbb2"]).contains("rest on 1 run,"))
        #expect(statement(sheet, .failures, ["Fer14"]) == "1 run failed with “HTTP 500 from /api/generate”.")
        #expect(statement(sheet, .fewRuns, ["Gccc3"]).contains("rest on 12 runs,"))
        for kind in ItemKind.allCases {
            for choice in ItemChoices(sheet: sheet).in(kind.sections[0]) where choice.kind == kind {
                let text = ItemStatement(sheet).statement(choice)
                #expect(!text.contains("1 runs") && !text.contains("1 sessions"), "“\(text)”")
            }
        }
    }

    /// A sweep whose best configuration does not beat the noise (its
    /// interval holds zero) may still lead by more than the noise's sd: the
    /// statement must not say the noise is larger then.
    @Test func aNoisySweepsStatementAgreesWithItsFigures() throws {
        let sweep = HandSheet.row(
            "Snoi1", "gemma3:1b sweep",
            [
                ("best.tps", "187.18", 187.18, "tok/s"), ("best.tps.config", "num_ctx=1024", nil, ""), ("best.margin", "1.7%", 1.7, "%"),
                ("noise.sd", "0.9%", 0.9, "%"), ("best.beats_noise", "no", nil, ""),
            ])
        var sheets = [HandSheet.sheet([sweep], models: ["gemma3:1b"])]
        sheets += try HandSheet.all().map(\.sheet)
        var stated = 0
        for sheet in sheets {
            for choice in ItemChoices(sheet: sheet).in(.findings) where choice.kind == .noisy {
                let text = ItemStatement(sheet).statement(choice)
                let facts = sheet.rows.first { $0.id == choice.rows[0] }?.facts ?? []
                let beats = facts.first { $0.key == "best.beats_noise" }?.shown
                // "Beats it" only when the sweep says so; never a comparison of the noise with the lead.
                #expect(text.contains("beats it") == (beats == "yes"), "\(text)")
                #expect(!text.contains("lead"), "\(text)")
                stated += 1
            }
        }
        #expect(stated > 0)
    }

    @Test func mitigationsAreWordsOnly() {
        for kind in ItemKind.allCases {
            for mitigation in kind.mitigations {
                let text = ItemStatement.mitigation(mitigation)
                #expect(!text.contains(where: \.isNumber) && text.hasSuffix("."), "\(mitigation): \(text)")
                #expect(text != ItemStatement.mitigation(.fastest), "\(mitigation) has no words of its own")
            }
        }
    }
}
