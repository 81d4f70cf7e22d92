import Records

/// Names the model of runs whose file does not say: from a twin (same folder and
/// stem, e.g. the JSON beside a baseline CSV), else from a sibling sharing the
/// file's prefix (`gemma3_param_tuning.csv` beside `gemma3_baseline.json`), else
/// from the file name itself.
struct ModelAttribution {
    struct Entry {
        var path: String
        var modelHint: String?
    }

    /// Suffixes benchmark scripts append to a model prefix.
    static let suffixes = [
        "_summary", "_param_tuning", "_parameter_sweep", "_sweep", "_tuning", "_baseline", "_benchmark_runs",
        "_benchmark", "_runs", "_bench", "_results", "_quant", "-summary", "-baseline", "-runs", "-results",
    ]

    private var entries: [Entry]
    private var built = false
    private var hintsByStem: [String: (path: String, model: String)] = [:]
    private var hintsByPrefix: [String: (path: String, model: String)] = [:]
    /// Bare Ollama names with their `:latest` form, where the data writes both.
    private let latestTags: [String: String]

    /// Ollama's tag when a name has none: `ollama run llama3.2` runs `llama3.2:latest`.
    static let defaultTag = ":latest"

    /// The maps are built on the first file that needs a name: most files name
    /// their model, and a large tree should not pay for the index.
    /// - Parameter models: every model the analysed files name (their runs'
    ///   and their hints), so that `llama3.2` and `llama3.2:latest` are one.
    init(_ entries: [Entry], models: some Sequence<String> = [String]()) {
        self.entries = entries
        var tags: [String: String] = [:]
        for model in Array(models) + entries.compactMap(\.modelHint) {
            // A bare name only (`a` of `a:latest`; not `a:latest` of `a:latest:latest`).
            guard model.hasSuffix(ModelAttribution.defaultTag) else { continue }
            let bare = model.dropLast(ModelAttribution.defaultTag.count)
            if !bare.isEmpty, !bare.contains(":") { tags[String(bare)] = model }
        }
        latestTags = tags
    }

    /// The model as reports name it: a bare name the data also writes with
    /// Ollama's default tag is that model (`llama3.2` is `llama3.2:latest`:
    /// two harnesses, or a script changed to name the tag, are one history).
    func canonical(_ model: String) -> String {
        latestTags.isEmpty ? model : latestTags[model] ?? model
    }

    /// The model of runs that name `given` (or none: `resolve`), as reports name it.
    mutating func model(_ given: String?, of path: String) -> (model: String, source: String) {
        guard let given else { return resolve(path) }
        return (canonical(given), "data")
    }

    private mutating func build() {
        built = true
        for entry in entries.sorted(by: { $0.path < $1.path }) {
            guard let model = entry.modelHint else { continue }
            let (folder, stem) = ModelAttribution.split(entry.path)
            hintsByStem[folder + "/" + stem] = hintsByStem[folder + "/" + stem] ?? (entry.path, model)
            let prefix = ModelAttribution.prefix(of: stem)
            hintsByPrefix[folder + "/" + prefix] = hintsByPrefix[folder + "/" + prefix] ?? (entry.path, model)
        }
    }

    /// The model for runs in `path` that name none, and where the name came from.
    mutating func resolve(_ path: String) -> (model: String, source: String) {
        if !built { build() }
        let (folder, stem) = ModelAttribution.split(path)
        if let twin = hintsByStem[folder + "/" + stem], twin.path != path {
            return (canonical(twin.model), "twin \(twin.path)")
        }
        let prefix = ModelAttribution.prefix(of: stem)
        if let sibling = hintsByPrefix[folder + "/" + prefix], sibling.path != path {
            return (canonical(sibling.model), "sibling \(sibling.path)")
        }
        return (canonical(prefix.isEmpty ? stem : prefix), "file name")
    }

    /// Works on UTF-8 bytes (`/` and `.` are single bytes that never occur
    /// inside a multi-byte character): it runs for every file of every report.
    static func split(_ path: String) -> (folder: String, stem: String) {
        let bytes = path.utf8
        let slash = bytes.lastIndex(of: UInt8(ascii: "/"))
        let folder = slash.map { String(Substring(bytes[..<$0])) } ?? ""
        let name = slash.map { bytes[bytes.index(after: $0)...] } ?? bytes[...]
        return (folder, ContentParserStem.stem(name))
    }

    static func prefix(of stem: String) -> String {
        var current = Substring(stem)
        var lower = Substring(stem.lowercased())
        var stripped = true
        while stripped {
            stripped = false
            for suffix in suffixes where lower.count > suffix.count && lower.hasSuffix(suffix) {
                current = current.dropLast(suffix.count)
                lower = lower.dropLast(suffix.count)
                stripped = true
            }
        }
        return String(current)
    }
}

/// File stems, the same way ingest computes them (kept here: analysis does not import ingest).
enum ContentParserStem {
    static func stem(_ name: String) -> String {
        stem(name.utf8[...])
    }

    static func stem(_ name: Substring.UTF8View) -> String {
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot != name.startIndex else { return String(Substring(name)) }
        return String(Substring(name[..<dot]))
    }

    static func isTwinCandidate(_ shape: Shape) -> Bool {
        switch shape {
        case .baselineCSV, .baselineJSON, .ollamaRuns, .parameterSweep: true
        default: false
        }
    }
}
