import Records
import Testing

@testable import Ingest

/// `ollama run MODEL --verbose` kept as text: each reply's timings are a run
/// (it was skipped as "no benchmark data", and its figures lost).
@Suite struct OllamaVerboseTests {
    private let twoReplies = """
        $ ollama run llama3.1:8b --verbose
        >>> Why is the sky blue?
        The sky appears blue because of Rayleigh scattering.

        total duration:       5.160235286s
        load duration:        20.117865ms
        prompt eval count:    26 token(s)
        prompt eval duration: 147.392ms
        prompt eval rate:     176.40 tokens/s
        eval count:           247 token(s)
        eval duration:        4.99061s
        eval rate:            49.49 tokens/s
        >>> Write a haiku about GPUs.
        Silicon rivers

        total duration:       1m2.5s
        load duration:        850µs
        prompt eval count:    18 token(s)
        prompt eval duration: 41.228ms
        eval count:           26 token(s)
        eval duration:        530ms
        >>> And another?
        Error: model runner has unexpectedly stopped, this may be due to resource limitations
        >>> /bye

        """

    @Test func eachReplysTimingsAreARun() throws {
        let e = try ParsedText.extract(twoReplies, "chat.txt")
        #expect(e.shape == .ollamaVerbose)
        let set = try #require(e.runSets.first)
        #expect(e.runSets.count == 1 && set.model == "llama3.1:8b")
        let runs = set.runs
        #expect(runs.count == 3)
        // The printed rate; without one, the count over the duration.
        #expect(runs[0].tokensPerSecond == 49.49)
        #expect(runs[1].tokensPerSecond == 26 / 0.53)
        #expect(runs[0].loadSeconds == 0.020117865 && runs[1].loadSeconds == 0.00085)
        #expect(runs[0].evalSeconds == 4.99061 && runs[0].promptEvalSeconds == 0.147392)
        #expect(runs[0].promptEvalCount == 26 && runs[0].evalCount == 247)
        // No time to first token is printed, so none is made up.
        #expect(runs.allSatisfy { $0.ttftSeconds == nil })
        #expect(runs[2].error == "model runner has unexpectedly stopped, this may be due to resource limitations")
        #expect(e.notes.isEmpty, "\(e.notes)")
        // Each prompt is known by its text.
        #expect(Set(runs.map(\.promptKey)).count == 3)
    }

    @Test func withoutACommandLineTheModelIsTheFiles() throws {
        let e = try ParsedText.extract(String(twoReplies.drop { $0 != "\n" }.dropFirst()), "llama3.1-8b.txt")
        #expect(e.runSets.first?.model == nil && e.runSets.first?.runs.count == 3)
        #expect(e.notes == ["no `ollama run MODEL` line names the model: its runs are named after the file"])
    }

    /// `Error:` inside a reply (a program's output quoted) is the reply's, not
    /// a failed run; a flag's value is no model, nor a line that mentions the command.
    @Test func repliesAndCommandLinesAreReadForWhatTheyAre() throws {
        let text = """
            $ ollama run --keepalive 30m llama3.1:8b --verbose
            >>> What does this Go program print?
            It prints:

            Error: runtime error: integer divide by zero

            total duration:       2.1s
            eval count:           40 token(s)
            eval duration:        800ms
            eval rate:            50.00 tokens/s
            >>> Try ollama run phi3:mini instead?
            Sure.

            total duration:       1.1s
            eval count:           20 token(s)
            eval duration:        400ms
            eval rate:            50.00 tokens/s

            """
        let e = try ParsedText.extract(text, "chat.txt")
        #expect(e.runSets.map(\.model) == ["llama3.1:8b"], "\(e.runSets.map(\.model))")
        #expect(e.runSets.first?.runs.count == 2 && e.runSets.first?.runs.allSatisfy { $0.error == nil } == true)
        #expect(OllamaVerboseFormat.runCommandModel("ollama run --format json qwen2.5:7b") == "qwen2.5:7b")
        #expect(OllamaVerboseFormat.runCommandModel("# try: see ollama run x") == nil)
        // The prompt a command passes, its flags and their values left out.
        let command = OllamaVerboseFormat.runCommand("+ ollama run m --keepalive 30m 'hi there' --verbose")
        #expect(command?.model == "m" && command?.prompt == "hi there", "\(String(describing: command))")
    }

    /// A script's loop under `set -x`: each run's command traced with `+ `,
    /// its prompt an argument, and a run that failed says `Error:` right
    /// after its command. The model went unnamed (phi3's run pooled into the
    /// file's one group) and the failed run was lost (campaign s33).
    @Test func aScriptsTracedRunsNameTheirModelsAndTheirFailures() throws {
        func block(_ rate: String) -> String {
            "reply\n\ntotal duration:       1.2s\nload duration:        900ms\neval count:           10 token(s)\n"
                + "eval duration:        150ms\neval rate:            \(rate) tokens/s\n"
        }
        let text =
            "+ ollama run qwen2.5:7b --verbose 'Summarize Hamlet.'\n" + block("51.96")
            + "+ ollama run qwen2.5:7b --verbose 'List three primes.'\n" + block("52.85")
            + "+ ollama run qwen2.5:7b --verbose 'What is 2+2?'\n"
            + "Error: model requires more system memory (5.6 GiB) than is available (3.1 GiB)\n"
            + "++ ollama run phi3:mini --verbose 'List three primes.'\n" + block("66.67")
        let e = try ParsedText.extract(text, "qwen-batch.log")
        #expect(e.runSets.map(\.model) == ["qwen2.5:7b", "phi3:mini"], "\(e.runSets.map(\.model))")
        let qwen = try #require(e.runSets.first).runs
        #expect(qwen.count == 3 && qwen.filter { $0.error != nil }.count == 1)
        #expect(qwen.last?.error?.hasPrefix("model requires more system memory") == true, "\(qwen.map(\.error))")
        #expect(e.runSets.last?.runs.count == 1 && e.notes.allSatisfy { !$0.contains("names the model") }, "\(e.notes)")
        // The same with a `$ ` prompt before each command: the failure after the command is counted too.
        let prompted = try ParsedText.extract(
            text.replacingOccurrences(of: "+ ollama", with: "$ ollama").replacingOccurrences(of: "+$ ", with: "$ "), "p.log")
        #expect(prompted.runSets.first?.runs.filter { $0.error != nil }.count == 1)
        // A reply that quotes an error is the reply's, as after a `>>>` prompt.
        let quoted = try ParsedText.extract("+ ollama run m 'x'\nThe log said:\nError: nothing\n" + block("50"), "q.log")
        #expect(quoted.runSets.first?.runs.allSatisfy { $0.error == nil } == true)
    }

    @Test(arguments: [
        ("5.160235286s", 5.160235286), ("20.117865ms", 0.020117865), ("1m2.5s", 62.5), ("850µs", 0.00085), ("1h0m3s", 3603),
        ("12ns", 1.2e-8),
    ])
    func goDurationsAreSeconds(_ text: String, _ seconds: Double) {
        #expect(GoDuration.seconds(text).map { abs($0 - seconds) < 1e-12 } == true, "\(text)")
    }

    @Test func otherTextIsNoRun() {
        #expect(GoDuration.seconds("5 seconds") == nil && GoDuration.seconds("") == nil)
        #expect(OllamaVerboseFormat.extract(console: ArraySlice("eval rate of the team: high\n".utf8)) == nil)
    }
}
