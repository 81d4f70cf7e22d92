import Narration

/// A narrative prompt over a small fact table (two models, one faster), for
/// the backends' requests: its schema is what chimerad sends as the reply's
/// format (kinds as constants, row IDs as enums), and a real server
/// constrained to it answers with items.
enum NarrativeFixture {
    static let sheet = FactSheet(
        rows: [
            row("Gaa01", "gemma3:270m", tps: (55.2, "55.20"), ttft: (0.180, "0.180"), runs: 12),
            row("Gbb02", "smollm2:135m", tps: (88.4, "88.40"), ttft: (0.095, "0.095"), runs: 12),
        ],
        models: ["gemma3:270m", "smollm2:135m"], files: [], configurationValues: [], vocabulary: [])

    /// Its `outputSchema` is the reply's JSON schema, as `ModelRequest(prompt:)` sends it.
    static let prompt = NarrativePrompt(factSheet: sheet, persona: "You are a benchmark analyst. Be brief.")

    private static func row(
        _ id: String, _ model: String, tps: (value: Double, shown: String), ttft: (value: Double, shown: String), runs: Int
    ) -> FactSheet.Row {
        FactSheet.Row(
            id: id, subject: model,
            facts: [
                Fact(id: id + ".ok", key: "ok", shown: "\(runs)", value: Double(runs), unit: "runs", priority: 0),
                Fact(id: id + ".failed", key: "failed", shown: "0", value: 0, unit: "runs", priority: 0),
                Fact(id: id + ".tps.median", key: "tps.median", shown: tps.shown, value: tps.value, unit: "tok/s", family: "tps.median", priority: 0),
                Fact(id: id + ".ttft.median", key: "ttft.median", shown: ttft.shown, value: ttft.value, unit: "s", family: "ttft", priority: 1),
            ])
    }
}
