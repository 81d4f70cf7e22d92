/// Words that name a model or a file. A narrative naming a model or file the
/// data does not hold is about something else (or invented), and is dropped.
struct KnownNames: Sendable {
    /// Families of local models, matched at the start of a word followed by
    /// nothing, a digit, or `-`, `:`, `.`, `_` (so `phi3` counts, `physics` not).
    static let families = [
        "llama", "gemma", "qwen", "mistral", "mixtral", "phi", "gpt", "deepseek", "tinyllama", "smollm", "falcon",
        "vicuna", "codellama", "starcoder", "claude", "granite", "olmo", "yi", "orca", "stablelm", "command-r",
        "nemotron", "internlm", "baichuan", "chatglm", "solar", "zephyr", "openchat", "dolphin", "llava",
    ]

    /// Tools and servers whose names start like a model family (`llama-bench`,
    /// `llama.cpp`): naming one is not naming a model.
    static let tools: Set<String> = [
        "llama-bench", "llama.cpp", "llama-cpp", "llama-server", "llama-cli", "llama-perplexity", "llamafile",
        "llama-batched-bench", "gpt4all",
    ]

    static let fileExtensions: Set<String> = [
        "csv", "tsv", "json", "jsonl", "md", "markdown", "txt", "log", "yaml", "yml", "gguf", "py", "parquet", "xlsx",
        "html", "xml", "bin", "safetensors",
    ]

    private let models: Set<String>
    /// Known models' names and their parts: `gemma3:270m` gives `gemma3`, `270m`, `gemma`.
    private let modelParts: Set<String>
    private let files: Set<String>
    private let fileNames: Set<String>

    init(models: [String], files: [String]) {
        let lowered = models.map { $0.lowercased() }
        self.models = Set(lowered)
        var parts = Set<String>()
        for model in lowered {
            parts.insert(model)
            for piece in model.split(whereSeparator: { ":-_/ ".contains($0) }) { parts.insert(String(piece)) }
            if let family = KnownNames.family(of: model) { parts.insert(family) }
            if let colon = model.firstIndex(of: ":") { parts.insert(String(model[..<colon])) }
        }
        modelParts = parts
        self.files = Set(files.map { $0.lowercased() })
        fileNames = Set(files.map { KnownNames.baseName($0).lowercased() })
    }

    /// The first word of `words` that names a model the data does not hold.
    func unknownModel(in words: [String]) -> String? {
        words.first { word in
            let lower = word.lowercased()
            // A file name that starts like a model (`gemma3_runs.csv`) is judged as a file.
            guard KnownNames.isModelLike(lower), !KnownNames.isFileLike(lower), !KnownNames.tools.contains(lower) else { return false }
            return !models.contains(lower) && !modelParts.contains(lower) && !isKnownTaggedName(lower)
        }
    }

    /// The first word that names a file the data does not hold (`*.csv` included).
    func unknownFile(in words: [String]) -> String? {
        words.first { word in
            let lower = word.lowercased()
            guard KnownNames.isFileLike(lower) else { return false }
            return !files.contains(lower) && !fileNames.contains(KnownNames.baseName(lower))
        }
    }

    /// `gemma3:270m`-style words: `name:tag` with a letter first; or a family
    /// word (`llama3`, `Gemma`, `gpt-4`).
    static func isModelLike(_ word: String) -> Bool {
        if word.contains("//") || word.contains("=") { return false }
        if let colon = word.firstIndex(of: ":"), colon != word.startIndex, word.first?.isLetter == true {
            let tag = word[word.index(after: colon)...]
            if !tag.isEmpty && tag.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) { return true }
        }
        return family(of: word) != nil
    }

    static func isFamilyWord(_ word: String) -> Bool {
        family(of: word) == word.lowercased()
    }

    static func family(of word: String) -> String? {
        let lower = word.lowercased()
        for family in families where lower.hasPrefix(family) {
            let after = lower.dropFirst(family.count)
            guard let next = after.first else { return family }
            if next.isNumber || "-:._".contains(next) { return family }
        }
        return nil
    }

    /// `results.csv`, `runs/a.json`, and globs such as `*.csv`.
    static func isFileLike(_ word: String) -> Bool {
        guard let dot = word.lastIndex(of: "."), dot != word.startIndex || word.hasPrefix("*") else { return false }
        return fileExtensions.contains(String(word[word.index(after: dot)...]))
    }

    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// A known model written with a different tag separator (`gemma3-270m`).
    private func isKnownTaggedName(_ word: String) -> Bool {
        let normalized = word.replacingAll("-", with: ":")
        return models.contains(normalized) || models.contains { $0.replacingAll("-", with: ":") == normalized }
    }
}
