import Records

/// `ollama run MODEL --verbose` as people keep it (`| tee run.txt`, a
/// terminal's log): after each reply, Ollama's timings of it.
///
///     >>> Why is the sky blue?
///     The sky appears blue because ...
///
///     total duration:       5.160235286s
///     load duration:        20.117865ms
///     prompt eval count:    26 token(s)
///     prompt eval duration: 147.392ms
///     prompt eval rate:     176.40 tokens/s
///     eval count:           247 token(s)
///     eval duration:        4.99061s
///     eval rate:            49.49 tokens/s
///
/// Each block is a run: its decode rate (`eval rate`, else the count over
/// the duration), load, prompt and generation times and token counts. The
/// model is the one an `ollama run MODEL` line before it names, else the
/// file's (its name); an `Error:` line after a prompt, or after the command
/// line of a run given its prompt (`ollama run MODEL 'prompt'`, as scripts
/// and their `set -x` traces show it), is a failed run. The
/// output gives no time to first token, so none is made up, and no time of
/// day: the file's modification time dates the session.
enum OllamaVerboseFormat {
    /// The runs, or nil when the text holds no `eval rate:` or `eval duration:` line.
    static func extract(console text: ArraySlice<UInt8>) -> Extraction? {
        guard ByteSearch.contains(text, "eval duration:") || ByteSearch.contains(text, "eval rate:") else { return nil }
        var sets: [RunSet] = []
        var setOfModel: [String: Int] = [:]
        var model: String? = nil
        var prompt: UInt64 = 0
        var block = Block()
        var ordinal = 0
        var budget = RecordBudget()
        var errorTexts: [String: String] = [:]
        func finish() {
            guard let run = block.run(ordinal: ordinal, prompt: prompt) else { return }
            let key = model ?? ""
            let index: Int
            if let known = setOfModel[key] {
                index = known
            } else {
                index = sets.count
                setOfModel[key] = index
                sets.append(RunSet(model: model, configuration: []))
                budget.spend(entries: 1)
                budget.spend(text: key)
            }
            sets[index].columns.append(run)
            budget.spend(numbers: 9)
            ordinal += 1
            block = Block()
        }
        // Ollama's `Error:` comes right after the prompt, in place of a reply;
        // one inside a reply (a program's output quoted) is the reply's.
        var awaitingReply = false
        for line in ConsoleLines(text) {
            guard budget.admits("line \(ordinal + 1)") else { break }
            let afterPrompt = awaitingReply
            if !line.isEmpty { awaitingReply = false }
            if let command = runCommand(line) {
                finish()
                model = command.model
                // `ollama run MODEL 'prompt'`, as scripts run it: the reply, or
                // an `Error:` in its place, comes next, as after a `>>>` prompt.
                if let asked = command.prompt { prompt = Fingerprint.of(asked) }
                awaitingReply = true
                continue
            } else if line.hasPrefix(">>>") {
                finish()
                prompt = Fingerprint.of(String(line.dropFirst(3)).trimmingBlanks())
                awaitingReply = true
                continue
            } else if afterPrompt, line.hasPrefix("Error:") {
                finish()
                // One String per distinct error: a log of a million failures holds few texts.
                let cause = TextCuts.text(ErrorText.cause(String(line.dropFirst(6)).trimmingBlanks()))
                if let known = errorTexts[cause] {
                    block.error = known
                } else {
                    errorTexts[cause] = cause
                    budget.spend(text: cause)
                    block.error = cause
                }
                finish()
            } else if let colon = line.firstIndex(of: ":") {
                let key = String(line[..<colon]).trimmingBlanks().lowercased()
                let value = String(line[line.index(after: colon)...]).trimmingBlanks()
                // A new block's first figure ends the one before (a reply with no `eval rate:`).
                if key == "total duration", block.hasFigures { finish() }
                block.read(key, value)
                if key == "eval rate" { finish() }
            }
        }
        finish()
        guard !sets.isEmpty, sets.contains(where: { $0.columns.tokensPerSecond.contains { !$0.isNaN } }) else { return nil }
        var notes = budget.note.map { [$0] } ?? []
        if sets.contains(where: { $0.model == nil }) {
            notes.append("no `ollama run MODEL` line names the model: its runs are named after the file")
        }
        return Extraction(shape: .ollamaVerbose, runSets: sets, notes: notes)
    }

    /// The model an `ollama run MODEL [flags]` command line names.
    static func runCommandModel(_ line: String) -> String? {
        runCommand(line)?.model
    }

    /// The model an `ollama run MODEL [flags] [PROMPT]` command line
    /// names, and the prompt it passes, if any. The line is the command
    /// (after a prompt's `$ `, `> `, `# ` or `% `, or the `+ ` of a shell's
    /// `set -x` trace); a flag's value (`--keepalive 30m`, `--format json`)
    /// is no model.
    static func runCommand(_ line: String) -> (model: String, prompt: String?)? {
        var command = Substring(line)
        for prompt in ["$ ", "> ", "# ", "% "] where command.hasPrefix(prompt) { command = command.dropFirst(prompt.count) }
        // `set -x` writes `+ `, one `+` more per nested shell.
        if command.first == "+" {
            let traced = command.drop { $0 == "+" }
            if traced.first == " " { command = traced.dropFirst() }
        }
        guard command.hasPrefix("ollama run ") else { return nil }
        var words = command.dropFirst("ollama run ".count).split(separator: " ")[...]
        while let word = words.first, word.hasPrefix("-") {
            words = words.dropFirst()
            if valueFlags.contains(String(word)) { words = words.dropFirst() }
        }
        guard let model = words.first, !model.isEmpty else { return nil }
        // The prompt: what follows the model, its flags (and their values) left out.
        var prompt: [Substring] = []
        var rest = words.dropFirst()
        while let word = rest.first {
            rest = rest.dropFirst()
            if word.hasPrefix("--") {
                if valueFlags.contains(String(word)) { rest = rest.dropFirst() }
                continue
            }
            prompt.append(word)
        }
        let text = prompt.joined(separator: " ").trimmingCharacters(in: ["'", "\""])
        return (TextCuts.text(String(model)), text.isEmpty ? nil : text)
    }

    /// `ollama run`'s flags that take a value as the next word.
    private static let valueFlags: Set<String> = ["--format", "--keepalive", "--dimensions"]

    /// One reply's timings as they are read.
    private struct Block {
        var load: Double?
        var promptEvalCount: Double?
        var promptEval: Double?
        var evalCount: Double?
        var eval: Double?
        var rate: Double?
        var error: String?

        var hasFigures: Bool { load != nil || promptEval != nil || eval != nil || rate != nil || evalCount != nil }

        mutating func read(_ key: String, _ value: String) {
            switch key {
            case "load duration": load = GoDuration.seconds(value)
            case "prompt eval count": promptEvalCount = count(value)
            case "prompt eval duration": promptEval = GoDuration.seconds(value)
            case "eval count": evalCount = count(value)
            case "eval duration": eval = GoDuration.seconds(value)
            case "eval rate": rate = tokenRate(value)
            default: break
            }
        }

        func run(ordinal: Int, prompt: UInt64) -> LLMRun? {
            if let error { return LLMRun(ordinal: ordinal, promptKey: prompt, error: error) }
            guard hasFigures else { return nil }
            var tokensPerSecond = rate
            if tokensPerSecond == nil, let evalCount, let eval, eval > 0 { tokensPerSecond = evalCount / eval }
            return LLMRun(
                ordinal: ordinal, promptKey: prompt, tokensPerSecond: tokensPerSecond, loadSeconds: load, promptEvalSeconds: promptEval,
                evalSeconds: eval, promptEvalCount: promptEvalCount, evalCount: evalCount)
        }

        /// `247 token(s)`.
        private func count(_ value: String) -> Double? {
            value.split(separator: " ").first.flatMap { Double($0) }.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
        }

        /// `49.49 tokens/s`.
        private func tokenRate(_ value: String) -> Double? {
            let parts = value.split(separator: " ")
            guard let number = parts.first.flatMap({ Double($0) }), number.isFinite, number >= 0,
                parts.count == 1 || parts[1].hasPrefix("token")
            else { return nil }
            return number
        }
    }
}

/// A duration as Go prints one (`5.160235286s`, `20.117865ms`, `1m2.5s`,
/// `850µs`, `1h0m3s`), in seconds.
enum GoDuration {
    static func seconds(_ text: String) -> Double? {
        var total = 0.0
        var rest = Substring(text.trimmingBlanks())
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !digits.isEmpty, let number = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            rest = rest.dropFirst(unit.count)
            let scale: Double
            switch unit {
            case "h": scale = 3600
            case "m": scale = 60
            case "s": scale = 1
            case "ms": scale = 1e-3
            case "µs", "μs", "us": scale = 1e-6
            case "ns": scale = 1e-9
            default: return nil
            }
            total += number * scale
        }
        return total.isFinite ? total : nil
    }
}
