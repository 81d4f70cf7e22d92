import Configuration
import Foundation
import Yams

extension Settings {
    /// Values given on the command line, by config key (`watch.paths`, `model.url`).
    public struct Overrides: Sendable {
        public var values: [String: ConfigContent] = [:]

        public init() {}

        public mutating func set(_ key: String, _ value: String?) {
            if let value { values[key] = .string(value) }
        }

        public mutating func set(_ key: String, _ value: Int?) {
            if let value { values[key] = .int(value) }
        }

        public mutating func set(_ key: String, _ value: Double?) {
            if let value { values[key] = .double(value) }
        }

        public mutating func set(_ key: String, _ value: Bool?) {
            if let value { values[key] = .bool(value) }
        }

        public mutating func set(_ key: String, _ value: [String]) {
            if !value.isEmpty { values[key] = .stringArray(value) }
        }
    }

    /// Every key the config file may hold, with its built-in default.
    static func defaults(environment: [String: String]) -> [String: ConfigContent] {
        let state = defaultStateDirectory(environment)
        return [
            "watch.paths": .stringArray([state + "/inbox"]),
            "watch.settle_ms": .int(300),
            "watch.ignore": .stringArray(["*.swp", "*.swx", "*~", ".#*", "*.tmp", "*.part", "*.crdownload"]),
            "watch.follow_external_links": .bool(false),
            "watch.rescan_seconds": .int(60),
            "report.min_interval_ms": .int(1000),
            "output.directory": .string(state + "/reports"),
            "output.retain": .int(50),
            "state.directory": .string(state),
            "ingest.max_file_bytes": .int(256 * 1024 * 1024),
            "model.backend": .string("auto"),
            "model.url": .string(""),
            "model.name": .string(""),
            "model.timeout_seconds": .double(30),
            "model.keep_alive": .string("30m"),
            "model.venv": .string(""),
            // Room for a prompt of up to 1,500 tokens and the reply.
            "model.options.num_ctx": .int(4096),
            "model.options.num_predict": .int(512),
            // Low: a narrative restates facts, it does not invent.
            "model.options.temperature": .double(0.2),
            // Small models loop; this lifted SmolLM2's sentences passing the
            // checks from 7% to over half on the shared corpus (scripts/bench-model).
            "model.options.repeat_penalty": .double(1.15),
            "report.persona": .string(""),
            "log.target": .string("auto"),
            "log.level": .string("info"),
        ]
    }

    /// Keys that may be set but have no default (the server's own applies),
    /// with a value of the type they take.
    static let optionalKeys: [String: ConfigContent] = [
        "model.options.top_p": .double(0),
        "model.options.top_k": .int(0),
        "model.options.seed": .int(0),
        "model.options.num_gpu": .int(0),
    ]

    /// `$STATE_DIRECTORY` under systemd, `/var/lib/chimerad` for root, else the XDG state folder.
    static func defaultStateDirectory(_ environment: [String: String]) -> String {
        if let systemd = environment["STATE_DIRECTORY"]?.split(separator: ":").first { return String(systemd) }
        if getuid() == 0 { return "/var/lib/chimerad" }
        if let xdg = environment["XDG_STATE_HOME"], !xdg.isEmpty { return xdg + "/chimerad" }
        return (environment["HOME"] ?? ".") + "/.local/state/chimerad"
    }

    /// The config file used when none is named: `$CHIMERAD_CONFIG`, else
    /// `/etc/chimerad/chimerad.yaml` when it exists.
    public static func defaultConfigFile(environment: [String: String]) -> String? {
        if let named = environment["CHIMERAD_CONFIG"], !named.isEmpty { return named }
        let system = "/etc/chimerad/chimerad.yaml"
        return FileManager.default.fileExists(atPath: system) ? system : nil
    }

    /// Loads the layers, checks every key and value, and fails on the first problem.
    public static func load(
        file: String?, overrides: Overrides = Overrides(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws(SettingsError) -> Settings {
        let defaults = defaults(environment: environment)
        var providers: [any ConfigProvider] = [
            InMemoryProvider(
                name: "command line",
                values: Dictionary(
                    uniqueKeysWithValues: overrides.values.map {
                        (AbsoluteConfigKey($0.key.split(separator: ".").map(String.init)), ConfigValue($0.value, isSecret: false))
                    }))
        ]
        if let file {
            let values = try fileValues(file, known: defaults.merging(optionalKeys) { first, _ in first })
            providers.append(
                InMemoryProvider(
                    name: file,
                    values: Dictionary(
                        uniqueKeysWithValues: values.map {
                            (AbsoluteConfigKey($0.key.split(separator: ".").map(String.init)), ConfigValue($0.value, isSecret: false))
                        })))
        }
        providers.append(
            InMemoryProvider(
                name: "defaults",
                values: Dictionary(
                    uniqueKeysWithValues: defaults.map {
                        (AbsoluteConfigKey($0.key.split(separator: ".").map(String.init)), ConfigValue($0.value, isSecret: false))
                    })))
        let reader = ConfigReader(providers: providers)
        let settings = try Settings(reader: reader, file: file)
        try settings.validate()
        return settings
    }

    private init(reader: ConfigReader, file: String?) throws(SettingsError) {
        func wrap<T>(_ key: String, _ expected: String, _ read: () throws -> T) throws(SettingsError) -> T {
            do {
                return try read()
            } catch {
                throw SettingsError(file: file, key: key, reason: "expected \(expected)")
            }
        }
        func key(_ name: String) -> ConfigKey { ConfigKey(name.split(separator: ".").map(String.init)) }
        watchPaths = try wrap("watch.paths", "a list of folder paths") { try reader.requiredStringArray(forKey: key("watch.paths")) }
        settleMilliseconds = try wrap("watch.settle_ms", "a whole number of milliseconds") {
            try reader.requiredInt(forKey: key("watch.settle_ms"))
        }
        ignorePatterns = try wrap("watch.ignore", "a list of file-name patterns") { try reader.requiredStringArray(forKey: key("watch.ignore")) }
        followExternalLinks = try wrap("watch.follow_external_links", "true or false") {
            try reader.requiredBool(forKey: key("watch.follow_external_links"))
        }
        rescanSeconds = try wrap("watch.rescan_seconds", "a whole number of seconds") {
            try reader.requiredInt(forKey: key("watch.rescan_seconds"))
        }
        minReportIntervalMilliseconds = try wrap("report.min_interval_ms", "a whole number of milliseconds") {
            try reader.requiredInt(forKey: key("report.min_interval_ms"))
        }
        outputDirectory = try wrap("output.directory", "a folder path") { try reader.requiredString(forKey: key("output.directory")) }
        retainReports = try wrap("output.retain", "a whole number of reports") { try reader.requiredInt(forKey: key("output.retain")) }
        stateDirectory = try wrap("state.directory", "a folder path") { try reader.requiredString(forKey: key("state.directory")) }
        maxFileBytes = Int64(
            try wrap("ingest.max_file_bytes", "a whole number of bytes") {
                try reader.requiredInt(forKey: key("ingest.max_file_bytes"))
            })
        let backends = ModelBackend.allCases.map(\.rawValue).joined(separator: ", ")
        let backend = try wrap("model.backend", "one of \(backends)") { try reader.requiredString(forKey: key("model.backend")) }
        guard let parsedBackend = ModelBackend(rawValue: backend) else {
            throw SettingsError(file: file, key: "model.backend", reason: "'\(backend)' is not one of \(backends)")
        }
        modelBackend = parsedBackend
        modelURL = try wrap("model.url", "a URL") { try reader.requiredString(forKey: key("model.url")) }
        modelName = try wrap("model.name", "a model name") { try reader.requiredString(forKey: key("model.name")) }
        modelTimeoutSeconds = try wrap("model.timeout_seconds", "a number of seconds") {
            try reader.requiredDouble(forKey: key("model.timeout_seconds"))
        }
        modelKeepAlive = try wrap("model.keep_alive", "a duration such as 30m") { try reader.requiredString(forKey: key("model.keep_alive")) }
        modelVenv = try wrap("model.venv", "a folder path") { try reader.requiredString(forKey: key("model.venv")) }
        modelOptions = ModelOptionValues(
            numCtx: try wrap("model.options.num_ctx", "a whole number of tokens") { try reader.requiredInt(forKey: key("model.options.num_ctx")) },
            numPredict: try wrap("model.options.num_predict", "a whole number of tokens") {
                try reader.requiredInt(forKey: key("model.options.num_predict"))
            },
            temperature: try wrap("model.options.temperature", "a number") { try reader.requiredDouble(forKey: key("model.options.temperature")) },
            topP: reader.double(forKey: key("model.options.top_p")),
            topK: reader.int(forKey: key("model.options.top_k")),
            repeatPenalty: reader.double(forKey: key("model.options.repeat_penalty")),
            seed: reader.int(forKey: key("model.options.seed")),
            // Optional keys: the file's values were type-checked on reading.
            numGPU: reader.int(forKey: key("model.options.num_gpu")))
        persona = try wrap("report.persona", "text") { try reader.requiredString(forKey: key("report.persona")) }
        let target = try wrap("log.target", "one of auto, journal, console") { try reader.requiredString(forKey: key("log.target")) }
        guard let parsedTarget = LogTarget(rawValue: target) else {
            throw SettingsError(file: file, key: "log.target", reason: "'\(target)' is not one of auto, journal, console")
        }
        logTarget = parsedTarget
        logLevel = try wrap("log.level", "a log level") { try reader.requiredString(forKey: key("log.level")) }
        configFile = file
    }

    private func validate() throws(SettingsError) {
        func fail(_ key: String, _ reason: String) -> SettingsError {
            SettingsError(file: configFile, key: key, reason: reason)
        }
        if watchPaths.isEmpty || watchPaths.contains(where: \.isEmpty) { throw fail("watch.paths", "must list at least one non-empty path") }
        guard (0...600_000).contains(settleMilliseconds) else {
            throw fail("watch.settle_ms", "must be between 0 and 600000, got \(settleMilliseconds)")
        }
        guard (1...86_400).contains(rescanSeconds) else { throw fail("watch.rescan_seconds", "must be between 1 and 86400, got \(rescanSeconds)") }
        guard (0...3_600_000).contains(minReportIntervalMilliseconds) else {
            throw fail("report.min_interval_ms", "must be between 0 and 3600000, got \(minReportIntervalMilliseconds)")
        }
        guard retainReports >= 0 else { throw fail("output.retain", "must be 0 (keep all) or more, got \(retainReports)") }
        guard !outputDirectory.isEmpty else { throw fail("output.directory", "must not be empty") }
        guard !stateDirectory.isEmpty else { throw fail("state.directory", "must not be empty") }
        guard maxFileBytes > 0 else { throw fail("ingest.max_file_bytes", "must be positive, got \(maxFileBytes)") }
        guard modelTimeoutSeconds > 0 else { throw fail("model.timeout_seconds", "must be positive, got \(modelTimeoutSeconds)") }
        if modelBackend == .openai && modelURL.isEmpty {
            throw fail("model.url", "must name the server when model.backend is openai, e.g. http://127.0.0.1:8080")
        }
        let options = modelOptions
        guard (256...1_048_576).contains(options.numCtx) else {
            throw fail("model.options.num_ctx", "must be between 256 and 1048576 tokens, got \(options.numCtx)")
        }
        guard options.numPredict > 0, options.numPredict < options.numCtx else {
            throw fail("model.options.num_predict", "must be positive and below num_ctx (\(options.numCtx)), got \(options.numPredict)")
        }
        if let temperature = options.temperature, !(0...2).contains(temperature) {
            throw fail("model.options.temperature", "must be between 0 and 2, got \(temperature)")
        }
        if let topP = options.topP, !(0...1).contains(topP) { throw fail("model.options.top_p", "must be between 0 and 1, got \(topP)") }
        if let topK = options.topK, topK < 0 { throw fail("model.options.top_k", "must be 0 or more, got \(topK)") }
        if let penalty = options.repeatPenalty, penalty <= 0 { throw fail("model.options.repeat_penalty", "must be positive, got \(penalty)") }
        if let layers = options.numGPU, layers < 0 { throw fail("model.options.num_gpu", "must be 0 or more, got \(layers)") }
        if !modelURL.isEmpty {
            guard let url = URL(string: modelURL), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw fail("model.url", "'\(modelURL)' is not an http(s) URL such as http://127.0.0.1:11434")
            }
        }
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        guard levels.contains(logLevel) else { throw fail("log.level", "'\(logLevel)' is not one of \(levels.joined(separator: ", "))") }
    }

    /// Reads the YAML file into typed values, key by key, with the type each
    /// key's default has. Unknown keys (a typo would otherwise be silently
    /// ignored), wrong types and syntax errors stop here with the key and line.
    /// An empty file, or a section whose keys are all commented out, sets nothing.
    private static func fileValues(
        _ file: String, known defaults: [String: ConfigContent]
    ) throws(SettingsError)
        -> [String: ConfigContent]
    {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: file) ? "cannot be read as UTF-8 text" : "does not exist"
            throw SettingsError(file: file, key: nil, reason: reason)
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw SettingsError(file: file, key: nil, reason: "is not valid YAML: \(error)")
        }
        guard let node, !isNull(node) else { return [:] }
        guard case .mapping(let top) = node else {
            throw SettingsError(file: file, key: nil, reason: "must be a mapping of sections (watch:, output:, ...)")
        }
        var values: [String: ConfigContent] = [:]
        var failure: SettingsError? = nil
        func walk(_ mapping: Node.Mapping, _ prefix: String) {
            for (keyNode, value) in mapping where failure == nil {
                let name = prefix.isEmpty ? (keyNode.string ?? "?") : prefix + "." + (keyNode.string ?? "?")
                if let expected = defaults[name] {
                    if isNull(value) { continue }  // `key:` with nothing after it keeps the default
                    switch convert(value, like: expected) {
                    case .success(let content): values[name] = content
                    case .failure(let reason): failure = SettingsError(file: file, key: name, reason: reason.text)
                    }
                } else if case .mapping(let inner) = value {
                    walk(inner, name)
                } else if isNull(value), defaults.keys.contains(where: { $0.hasPrefix(name + ".") }) {
                    continue  // a section whose keys are all commented out
                } else {
                    let suggestion = defaults.keys.min { distance($0, name) < distance($1, name) }
                    let hint = suggestion.map { distance($0, name) <= 3 ? " (did you mean '\($0)'?)" : "" } ?? ""
                    failure = SettingsError(file: file, key: name, reason: "unknown key\(hint)")
                }
            }
        }
        walk(top, "")
        if let failure { throw failure }
        return values
    }

    private static func isNull(_ node: Node) -> Bool {
        // YAML's null: nothing after the colon, `~` or `null`, unquoted.
        if case .scalar(let scalar) = node, scalar.style == .plain {
            return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
        }
        return false
    }

    /// A YAML value as the type of the key's default, or why it is not one.
    private static func convert(_ node: Node, like expected: ConfigContent) -> Result<ConfigContent, ReasonText> {
        let line = node.mark.map { " (line \($0.line))" } ?? ""
        switch expected {
        case .int:
            guard let text = node.string, let value = Int(text) else {
                return .failure(ReasonText("expected a whole number\(line), got \(describe(node))"))
            }
            return .success(.int(value))
        case .double:
            guard let text = node.string, let value = Double(text), value.isFinite else {
                return .failure(ReasonText("expected a number\(line), got \(describe(node))"))
            }
            return .success(.double(value))
        case .bool:
            guard let value = node.bool else { return .failure(ReasonText("expected true or false\(line), got \(describe(node))")) }
            return .success(.bool(value))
        case .stringArray:
            guard case .sequence(let items) = node else { return .failure(ReasonText("expected a list\(line), got \(describe(node))")) }
            var strings: [String] = []
            for item in items {
                guard let text = item.string, case .scalar = item else { return .failure(ReasonText("expected a list of text items\(line)")) }
                strings.append(text)
            }
            return .success(.stringArray(strings))
        default:
            guard case .scalar(let scalar) = node else { return .failure(ReasonText("expected text\(line), got \(describe(node))")) }
            return .success(.string(scalar.string))
        }
    }

    private static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    struct ReasonText: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }

    /// Levenshtein distance, for "did you mean".
    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The effective configuration as YAML, for `chimerad check-config`.
    public func renderedYAML() -> String {
        func list(_ values: [String]) -> String {
            values.isEmpty ? " []" : "\n" + values.map { "    - \(quoted($0))" }.joined(separator: "\n")
        }
        // An unset option is shown commented out: the server's default applies.
        func optional<T>(_ name: String, _ value: T?) -> String {
            value.map { "    \(name): \($0)" } ?? "    # \(name): (server default)"
        }
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        // Block chomping keeps the text exact: `|-` when it has no final line
        // break, `|` for one, `|+` for more.
        let trailingBreaks = persona.reversed().prefix { $0 == "\n" }.count
        let chomping = trailingBreaks == 0 ? "|-" : trailingBreaks == 1 ? "|" : "|+"
        let body = trailingBreaks > 0 ? String(persona.dropLast(trailingBreaks)) : persona
        let personaBlock =
            persona.isEmpty
            ? " \"\"  # built-in InsightAgent persona"
            : " \(chomping)\n" + body.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
                + String(repeating: "\n", count: max(0, trailingBreaks - 1))
        return """
            # effective configuration\(configFile.map { " (from \($0), flags and defaults)" } ?? " (defaults and flags)")
            watch:
              paths:\(list(watchPaths))
              settle_ms: \(settleMilliseconds)
              ignore:\(list(ignorePatterns))
              follow_external_links: \(followExternalLinks)
              rescan_seconds: \(rescanSeconds)
            output:
              directory: \(quoted(outputDirectory))
              retain: \(retainReports)
            state:
              directory: \(quoted(stateDirectory))
            ingest:
              max_file_bytes: \(maxFileBytes)
            model:
              backend: \(modelBackend.rawValue)
              url: \(quoted(modelURL))
              name: \(quoted(modelName))
              timeout_seconds: \(modelTimeoutSeconds)
              keep_alive: \(quoted(modelKeepAlive))
              venv: \(quoted(modelVenv))\(modelVenv.isEmpty ? "  # look in the usual places" : "")
              options:
                num_ctx: \(modelOptions.numCtx)
                num_predict: \(modelOptions.numPredict)
            \(optional("temperature", modelOptions.temperature))
            \(optional("top_p", modelOptions.topP))
            \(optional("top_k", modelOptions.topK))
            \(optional("repeat_penalty", modelOptions.repeatPenalty))
            \(optional("seed", modelOptions.seed))
            \(optional("num_gpu", modelOptions.numGPU))
            report:
              min_interval_ms: \(minReportIntervalMilliseconds)
              persona:\(personaBlock)
            log:
              target: \(logTarget.rawValue)
              level: \(logLevel)

            """
    }
}
