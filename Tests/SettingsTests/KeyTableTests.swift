import Foundation
import Testing

@testable import Settings

/// The key table is the one description of every setting; these tests walk
/// it, so a key added to it is tested without touching them.
@Suite("Settings key table")
struct KeyTableTests {
    private static let environment = ["HOME": "/home/u"]

    private static func defaults() async throws -> Settings {
        try await Settings.load(file: nil, environment: environment)
    }

    /// The defaults with `key` set to its example value, through a flag.
    private static func withExample(_ key: Settings.Key) async throws -> Settings {
        var overrides = Settings.Overrides()
        overrides.values[key] = key.definition.example
        return try await Settings.load(file: nil, overrides: overrides, environment: environment)
    }

    /// A config file that sets only `key`, to `value` (already YAML).
    private static func yaml(_ key: Settings.Key, value: String) -> String {
        let path = key.rawValue.split(separator: ".")
        var lines: [String] = []
        for (depth, section) in path.dropLast().enumerated() {
            lines.append(String(repeating: "  ", count: depth) + section + ":")
        }
        lines.append(String(repeating: "  ", count: path.count - 1) + (path.last.map(String.init) ?? "") + ":" + value)
        return lines.joined(separator: "\n") + "\n"
    }

    /// Runs `body` with a config file holding `text`, removed afterwards.
    private static func withFile<T>(_ text: String, _ body: (String) async throws -> T) async throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-keys-\(UUID().uuidString).yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(url.path)
    }

    /// The keys a file setting `key` alone changes: the key, and for the
    /// state folder the defaults under it (`<state>/inbox`, `<state>/reports`).
    static func changedWith(_ key: Settings.Key) -> [Settings.Key] {
        guard key == .stateDirectory else { return [key] }
        return Settings.Key.allCases.filter { $0.definition.defaultContent("/one") != $0.definition.defaultContent("/two") }
    }

    @Test("every key has a default, or is an option the model server decides")
    func everyKeyHasADefault() async throws {
        let defaults = try await Self.defaults()
        let state = Settings.defaultStateDirectory(Self.environment)
        for key in Settings.Key.allCases {
            let definition = key.definition
            #expect(definition.content(defaults) == definition.defaultContent(state), "\(key.rawValue)")
        }
        let unset = Settings.Key.allCases.filter { $0.definition.defaultContent(state) == nil }
        #expect(unset == [.modelTopP, .modelTopK, .modelSeed, .modelGPULayers])
    }

    @Test("every key's example differs from its default and is valid on its own", arguments: Settings.Key.allCases)
    func exampleIsValid(key: Settings.Key) async throws {
        let defaults = try await Self.defaults()
        let changed = try await Self.withExample(key)
        #expect(key.definition.content(changed) == key.definition.example)
        #expect(key.definition.content(defaults) != key.definition.example)
    }

    /// The test that proves no key is forgotten on reload: change each key
    /// alone, and the comparison names exactly that key.
    @Test("the reload comparison notices a change in every key, and only that key", arguments: Settings.Key.allCases)
    func reloadNoticesEveryKey(key: Settings.Key) async throws {
        let defaults = try await Self.defaults()
        let changed = try await Self.withExample(key)
        #expect(defaults != changed)
        #expect(defaults.changedKeys(to: changed) == Self.changedWith(key))
        #expect(changed.changedKeys(to: defaults) == Self.changedWith(key))
        #expect(Settings.ReloadEffect(of: defaults.changedKeys(to: changed)) == key.reloadEffect)
        #expect(defaults.changedKeys(to: defaults).isEmpty)
    }

    /// What each key restarts on reload, as the daemon has always done it. A
    /// new key must be added here too: its effect is a decision, not a default.
    @Test("reload effects: watching, model, the next report, or a restart", arguments: Settings.Key.allCases)
    func reloadEffects(key: Settings.Key) {
        let watching: Set<Settings.Key> = [
            .watchPaths, .watchSettle, .watchIgnore, .watchFollowExternalLinks, .watchRescan, .outputDirectory, .stateDirectory,
            .ingestMaxFileBytes, .regressionsSessionGap,
        ]
        let model: Set<Settings.Key> = [
            .modelBackend, .modelURL, .modelName, .modelGGUF, .modelTimeout, .modelKeepAlive, .modelVenv, .modelPriority, .modelContextSize,
            .modelReplyTokens,
            .modelTemperature, .modelTopP, .modelTopK, .modelRepeatPenalty, .modelSeed, .modelGPULayers, .reportPersona, .stateDirectory,
        ]
        let nextReport: Set<Settings.Key> = [
            .outputRetain, .reportMinInterval, .logTarget, .logLevel, .regressionsBaselineSessions, .regressionsMinimumEffect,
            .regressionsFalseDiscoveryRate,
            // The delivery service is configured again at every reload (the headers file read again).
            .notifyWebhookURL, .notifyHeadersFile, .notifyOnReport, .notifyFormat, .notifyTimeout,
            // The publisher is configured again at every reload (the password file read at each connection);
            // the outbox's bound applies from the next report.
            .fleetPostgresURL, .fleetPasswordFile, .fleetHostID, .fleetOutboxLimit,
            // Read by each fleet report.
            .fleetStoppedAfter,
        ]
        // Bound once at start: a reload logs that the change waits for a restart.
        let restart: Set<Settings.Key> = [.httpListen]
        #expect(
            watching.union(model).union(nextReport).union(restart).contains(key), "decide what a reload of \(key.rawValue) restarts")
        #expect(key.reloadEffect.contains(.needsRestart) == restart.contains(key), "\(key.rawValue)")
        #expect(key.reloadEffect.contains(.restartsWatching) == watching.contains(key), "\(key.rawValue)")
        #expect(key.reloadEffect.contains(.restartsModel) == model.contains(key), "\(key.rawValue)")
    }

    @Test("every key's value parses from a file that sets only it, as rendered", arguments: Settings.Key.allCases)
    func parsesFromFile(key: Settings.Key) async throws {
        let changed = try await Self.withExample(key)
        let path = key.rawValue.split(separator: ".")
        let line = key.definition.rendered(changed, name: path.last.map(String.init) ?? "", depth: path.count - 1)
        let text = Self.yaml(key, value: String(line.drop { $0 != ":" }.dropFirst()))
        try await Self.withFile(text) { file in
            let loaded = try await Settings.load(file: file, environment: Self.environment)
            #expect(key.definition.content(loaded) == key.definition.example, "\(text)")
            let defaults = try await Self.defaults()
            #expect(defaults.changedKeys(to: loaded) == Self.changedWith(key), "\(text)")
        }
    }

    @Test("every key round-trips through the rendered configuration", arguments: Settings.Key.allCases)
    func roundTrips(key: Settings.Key) async throws {
        let changed = try await Self.withExample(key)
        let rendered = changed.renderedYAML()
        #expect(rendered.contains(key.rawValue.split(separator: ".").last.map { "\($0):" } ?? "?"))
        try await Self.withFile(rendered) { file in
            var loaded = try await Settings.load(file: file, environment: ["HOME": "/elsewhere"])
            loaded.configFile = nil
            #expect(loaded == changed, "\(rendered)")
        }
    }

    /// A value of another kind than the key's, as YAML.
    private static func wrongValue(for kind: Settings.ValueKind) -> String {
        switch kind {
        case .integer, .number: " soon"
        case .boolean: " maybe"
        case .text, .choice: " [a, b]"
        case .textList: " {a: 1}"
        }
    }

    @Test("a value of the wrong kind in the file fails naming the key and what it expected", arguments: Settings.Key.allCases)
    func wrongKindInFile(key: Settings.Key) async throws {
        try await Self.withFile(Self.yaml(key, value: Self.wrongValue(for: key.definition.kind))) { file in
            let error = try await #require(throws: SettingsError.self) {
                try await Settings.load(file: file, environment: Self.environment)
            }
            #expect(error.file == file)
            #expect(error.key == key.rawValue)
            #expect(error.reason.hasPrefix("expected "), "\(error)")
            #expect(error.description.hasPrefix("config \(file): key '\(key.rawValue)': "))
        }
    }

    @Test("a flag value of the wrong kind fails naming the key", arguments: Settings.Key.allCases)
    func wrongKindFromFlag(key: Settings.Key) async throws {
        var overrides = Settings.Overrides()
        // A list is no value of any other kind, and a boolean is no list.
        overrides.values[key] = key.definition.kind == .textList ? .bool(true) : .stringArray(["x"])
        let error = try await #require(throws: SettingsError.self) {
            try await Settings.load(file: nil, overrides: overrides, environment: Self.environment)
        }
        #expect(error.key == key.rawValue)
        #expect(error.reason == "expected \(key.definition.expected)")
        #expect(error.description.hasPrefix("configuration: key '\(key.rawValue)': expected "))
    }

    @Test("a word that is not one of a choice's words is named with the choices")
    func badChoice() async throws {
        for key in Settings.Key.allCases {
            guard case .choice(let words) = key.definition.kind else { continue }
            try await Self.withFile(Self.yaml(key, value: " bogus")) { file in
                let error = try await #require(throws: SettingsError.self) {
                    try await Settings.load(file: file, environment: Self.environment)
                }
                #expect(error.key == key.rawValue)
                #expect(error.reason == "'bogus' is not one of \(words.joined(separator: ", "))")
            }
        }
    }

    @Test("the table's names are unique, dotted, and the file's own spelling")
    func keyNames() {
        let names = Settings.Key.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
        for name in names {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            #expect(parts.count >= 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isLowercase || $0 == "_" } }, "\(name)")
            // A key is never also a section of other keys.
            #expect(!names.contains { $0.hasPrefix(name + ".") }, "\(name)")
        }
    }

    @Test(
        "awkward text survives rendering and loading back",
        arguments: [
            "  starts indented\nsecond line", "carriage\r\nreturn", "tab\there", "bell\u{7}", "\n\nleading breaks", "trailing\n\n\n",
            "quote \" and \\ backslash", "single line", "#not a comment", "key: value", "- not a list", "\u{1F600} emoji",
        ])
    func awkwardText(persona: String) async throws {
        var overrides = Settings.Overrides()
        overrides.set(.reportPersona, persona)
        overrides.set(.modelName, persona)
        let original = try await Settings.load(file: nil, overrides: overrides, environment: Self.environment)
        try await Self.withFile(original.renderedYAML()) { file in
            let loaded = try await Settings.load(file: file, environment: Self.environment)
            #expect(loaded.report.persona == persona, "\(original.renderedYAML())")
            #expect(loaded.model.name == persona)
        }
    }
}
