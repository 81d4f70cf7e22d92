import Configuration
import Foundation
import SystemPackage
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
            "output.directory": .string(state + "/reports"),
            "output.retain": .int(50),
            "state.directory": .string(state),
            "ingest.max_file_bytes": .int(256 * 1024 * 1024),
            "model.backend": .string("none"),
            "model.url": .string(""),
            "model.name": .string(""),
            "model.timeout_seconds": .double(60),
            "report.persona": .string(""),
            "log.target": .string("auto"),
            "log.level": .string("info"),
        ]
    }

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
                values: Dictionary(uniqueKeysWithValues: overrides.values.map {
                    (AbsoluteConfigKey($0.key.split(separator: ".").map(String.init)), ConfigValue($0.value, isSecret: false))
                }))
        ]
        if let file {
            try checkFile(file, knownKeys: Set(defaults.keys))
            do {
                providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(file)))
            } catch {
                throw SettingsError(file: file, key: nil, reason: "cannot be read: \(error)")
            }
        }
        providers.append(
            InMemoryProvider(
                name: "defaults",
                values: Dictionary(uniqueKeysWithValues: defaults.map {
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
        outputDirectory = try wrap("output.directory", "a folder path") { try reader.requiredString(forKey: key("output.directory")) }
        retainReports = try wrap("output.retain", "a whole number of reports") { try reader.requiredInt(forKey: key("output.retain")) }
        stateDirectory = try wrap("state.directory", "a folder path") { try reader.requiredString(forKey: key("state.directory")) }
        maxFileBytes = Int64(try wrap("ingest.max_file_bytes", "a whole number of bytes") {
            try reader.requiredInt(forKey: key("ingest.max_file_bytes"))
        })
        let backend = try wrap("model.backend", "one of none, auto, ollama, openai") { try reader.requiredString(forKey: key("model.backend")) }
        guard let parsedBackend = ModelBackend(rawValue: backend) else {
            throw SettingsError(file: file, key: "model.backend", reason: "'\(backend)' is not one of none, auto, ollama, openai")
        }
        modelBackend = parsedBackend
        modelURL = try wrap("model.url", "a URL") { try reader.requiredString(forKey: key("model.url")) }
        modelName = try wrap("model.name", "a model name") { try reader.requiredString(forKey: key("model.name")) }
        modelTimeoutSeconds = try wrap("model.timeout_seconds", "a number of seconds") {
            try reader.requiredDouble(forKey: key("model.timeout_seconds"))
        }
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
        guard (0...600_000).contains(settleMilliseconds) else { throw fail("watch.settle_ms", "must be between 0 and 600000, got \(settleMilliseconds)") }
        guard retainReports >= 0 else { throw fail("output.retain", "must be 0 (keep all) or more, got \(retainReports)") }
        guard !outputDirectory.isEmpty else { throw fail("output.directory", "must not be empty") }
        guard !stateDirectory.isEmpty else { throw fail("state.directory", "must not be empty") }
        guard maxFileBytes > 0 else { throw fail("ingest.max_file_bytes", "must be positive, got \(maxFileBytes)") }
        guard modelTimeoutSeconds > 0 else { throw fail("model.timeout_seconds", "must be positive, got \(modelTimeoutSeconds)") }
        if !modelURL.isEmpty {
            guard let url = URL(string: modelURL), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw fail("model.url", "'\(modelURL)' is not an http(s) URL such as http://127.0.0.1:11434")
            }
        }
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        guard levels.contains(logLevel) else { throw fail("log.level", "'\(logLevel)' is not one of \(levels.joined(separator: ", "))") }
    }

    /// Catches what the typed reader cannot: YAML syntax errors with their line,
    /// and unknown keys (a typo would otherwise be silently ignored).
    private static func checkFile(_ file: String, knownKeys: Set<String>) throws(SettingsError) {
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
        guard let node else { return }
        guard case .mapping(let top) = node else {
            throw SettingsError(file: file, key: nil, reason: "must be a mapping of sections (watch:, output:, ...)")
        }
        var found: [String] = []
        func walk(_ mapping: Node.Mapping, _ prefix: String) {
            for (keyNode, value) in mapping {
                let name = prefix.isEmpty ? (keyNode.string ?? "?") : prefix + "." + (keyNode.string ?? "?")
                if case .mapping(let inner) = value, !knownKeys.contains(name) {
                    walk(inner, name)
                } else {
                    found.append(name)
                }
            }
        }
        walk(top, "")
        for key in found where !knownKeys.contains(key) {
            let suggestion = knownKeys.min { distance($0, key) < distance($1, key) }
            let hint = suggestion.map { distance($0, key) <= 3 ? " (did you mean '\($0)'?)" : "" } ?? ""
            throw SettingsError(file: file, key: key, reason: "unknown key\(hint)")
        }
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
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        let personaBlock = persona.isEmpty
            ? " \"\"  # built-in InsightAgent persona"
            : " |\n" + persona.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
        return """
            # effective configuration\(configFile.map { " (from \($0), flags and defaults)" } ?? " (defaults and flags)")
            watch:
              paths:\(list(watchPaths))
              settle_ms: \(settleMilliseconds)
              ignore:\(list(ignorePatterns))
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
            report:
              persona:\(personaBlock)
            log:
              target: \(logTarget.rawValue)
              level: \(logLevel)

            """
    }
}
