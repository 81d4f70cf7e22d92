import Configuration
import Foundation
import Yams

extension Settings {
    /// The built-in default of every key that has one.
    static func defaults(environment: [String: String]) -> [Key: ConfigContent] {
        defaults(stateDirectory: defaultStateDirectory(environment))
    }

    /// The same, those under the state folder (`<state>/inbox`,
    /// `<state>/reports`) under `state`.
    static func defaults(stateDirectory state: String) -> [Key: ConfigContent] {
        // `state/` names the folder `state` does: its inbox is `state/inbox`, not `state//inbox`.
        var state = state
        while state.count > 1, state.hasSuffix("/") { state.removeLast() }
        var values: [Key: ConfigContent] = [:]
        for key in Key.allCases {
            values[key] = key.definition.defaultContent(state)
        }
        return values
    }

    /// `$STATE_DIRECTORY` under systemd, `/var/lib/chimerad` for root, else the XDG state folder.
    static func defaultStateDirectory(_ environment: [String: String], user: uid_t = getuid()) -> String {
        if let systemd = environment["STATE_DIRECTORY"]?.split(separator: ":").first { return String(systemd) }
        if user == 0 { return "/var/lib/chimerad" }
        // The XDG spec has a relative value ignored; without $HOME (`env -i`), the account's home,
        // never the working folder.
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") { return xdg + "/chimerad" }
        // No home at all: no default (a shared /tmp path could be taken first); state.directory says so.
        guard let home = environment["HOME"].flatMap({ $0.hasPrefix("/") ? $0 : nil }) ?? accountHome(user) else { return "" }
        return (home == "/" ? "" : home) + "/.local/state/chimerad"
    }

    /// The home folder the password database gives `user`.
    private static func accountHome(_ user: uid_t) -> String? {
        guard let entry = getpwuid(user), let directory = entry.pointee.pw_dir else { return nil }
        let home = String(cString: directory)
        return home.hasPrefix("/") ? home : nil
    }

    /// The config file used when none is named: `$CHIMERAD_CONFIG`, else
    /// `/etc/chimerad/chimerad.yaml` when it exists.
    package static func defaultConfigFile(environment: [String: String]) -> String? {
        if let named = environment["CHIMERAD_CONFIG"], !named.isEmpty { return named }
        let system = "/etc/chimerad/chimerad.yaml"
        return FileManager.default.fileExists(atPath: system) ? system : nil
    }

    /// What a command does with its settings.
    package enum Use: Sendable {
        /// Reports, watches, narrates, publishes: every value is checked.
        case running
        /// Reads or edits the state store only (`status`, `regressions`,
        /// `baseline`): the files other keys name (a GGUF, a token file, a CA
        /// file) are not looked at, as the command never opens them. A model
        /// file moved away stopped the daemon, and `status` with it.
        case stateOnly
    }

    /// Loads the layers (defaults, then the file, then the flags), reads every
    /// key into its field, checks every value (`use` says which), and fails on
    /// the first problem.
    ///
    /// `reloading`: the file is read again (a SIGHUP), so a pipe that gives
    /// nothing fails the reload instead of reloading the defaults, and a FIFO
    /// gets `configRereadSeconds`, not the start's `configStreamSeconds`.
    package static func load(
        file: String?, overrides: Overrides = Overrides(),
        environment: [String: String] = ProcessInfo.processInfo.environment, use: Use = .running, reloading: Bool = false
    ) async throws(SettingsError) -> Settings {
        var given: [Key: ConfigContent] = [:]
        if let file {
            given = try fileValues(file, streams: reloading ? .reread(seconds: configRereadSeconds) : .allowed(seconds: configStreamSeconds))
        }
        given.merge(overrides.values) { _, fromFlag in fromFlag }
        // A state folder the file or a flag names holds the inbox and the
        // reports that are not named either: they were left under the
        // built-in state folder (`/var/lib/chimerad/reports`, written outside
        // the tree you gave chimerad).
        var values = defaults(environment: environment)
        if case .success(let state) = String.decode(given[.stateDirectory]), !state.isEmpty {
            values = defaults(stateDirectory: state)
        }
        values.merge(given) { _, given in given }
        var settings = Settings()
        settings.configFile = file
        for key in Key.allCases {
            if let reason = key.definition.assign(values[key], &settings) {
                throw SettingsError(file: file, key: key.rawValue, option: overrides.options[key], reason: reason)
            }
        }
        // Checked once all are read: some checks look at other keys.
        for key in Key.allCases where use == .running || !key.namesAFileOutsideTheState {
            if let reason = key.definition.problem(settings) {
                throw SettingsError(file: file, key: key.rawValue, option: overrides.options[key], reason: reason)
            }
        }
        return settings
    }

    /// The most a config file may hold: a config is a page, and `--config /dev/zero` must not read forever.
    static let configByteLimit = 1 << 20

    /// How long a pipe given as the config (`--config <(...)`) may take to
    /// end: a FIFO nothing writes to fails the load instead of hanging it.
    static let configStreamSeconds = 10

    /// The same on a reload: a FIFO's writer that serves the config on
    /// every open is already waiting in its `open`, and a pipe nothing
    /// writes to any more must not hold the daemon's loop for long.
    static let configRereadSeconds = 2

    /// The file's text: read to its end, at most `configByteLimit` bytes, as
    /// strict UTF-8. `/dev/null` (an empty config, a common way to say
    /// "none") and a pipe read like a file; what cannot be read says why.
    static func configText(_ file: String, streams: SettingFile.Streams) throws(SettingsError) -> String {
        switch SettingFile.contents(of: file, limit: configByteLimit, streams: streams) {
        case .success(let bytes):
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw SettingsError(file: file, key: nil, reason: "is not UTF-8 text")
            }
            return text
        case .failure(.tooLarge):
            throw SettingsError(file: file, key: nil, reason: "is larger than \(configByteLimit / 1024) KiB: not a config file")
        case .failure(let problem):
            throw SettingsError(file: file, key: nil, reason: problem.reason)
        }
    }

    /// Reads the YAML file into typed values, key by key, with the kind the key
    /// table gives each key. Unknown keys (a typo would otherwise be silently
    /// ignored), wrong types and syntax errors stop here with the key and line.
    /// An empty file, or a section whose keys are all commented out, sets nothing.
    private static func fileValues(_ file: String, streams: SettingFile.Streams) throws(SettingsError) -> [Key: ConfigContent] {
        let text = try configText(file, streams: streams)
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw SettingsError(file: file, key: nil, reason: "is not valid YAML: \(oneLine(error))")
        }
        guard let node, !isNull(node) else { return [:] }
        guard case .mapping(let top) = node else {
            throw SettingsError(file: file, key: nil, reason: "must be a mapping of sections (watch:, output:, ...)")
        }
        let names = Key.allCases.map(\.rawValue)
        var values: [Key: ConfigContent] = [:]
        var failure: SettingsError? = nil
        func walk(_ mapping: Node.Mapping, _ prefix: String) {
            for (keyNode, value) in mapping where failure == nil {
                let name = prefix.isEmpty ? (keyNode.string ?? "?") : prefix + "." + (keyNode.string ?? "?")
                if let key = Key(rawValue: name) {
                    if isNull(value) { continue }  // `key:` with nothing after it keeps the default
                    switch convert(value, as: key.definition.kind) {
                    case .success(let content): values[key] = content
                    case .failure(let reason): failure = SettingsError(file: file, key: name, reason: reason.text)
                    }
                } else if case .mapping(let inner) = value {
                    walk(inner, name)
                } else if isNull(value), names.contains(where: { $0.hasPrefix(name + ".") }) {
                    continue  // a section whose keys are all commented out
                } else if names.contains(where: { $0.hasPrefix(name + ".") }) {
                    // A section written as one value (`model: none`): the keys it holds say what it takes.
                    let inner = names.filter { $0.hasPrefix(name + ".") }.map { String($0.dropFirst(name.count + 1)) }
                    let listed = inner.prefix(4).map { $0 + ":" }.joined(separator: ", ") + (inner.count > 4 ? ", ..." : "")
                    let line = value.mark.map { " (line \($0.line))" } ?? ""
                    failure = SettingsError(
                        file: file, key: name, reason: "is a section: expected its keys (\(listed)) on the lines under it\(line)")
                } else {
                    let suggestion = names.min { distance($0, name) < distance($1, name) }
                    let hint = suggestion.map { distance($0, name) <= 3 ? " (did you mean '\($0)'?)" : "" } ?? ""
                    failure = SettingsError(file: file, key: name, reason: "unknown key\(hint)")
                }
            }
        }
        walk(top, "")
        if let failure { throw failure }
        return values
    }

    /// The YAML parser's message on one line, and short: it quotes the
    /// text around the fault, and a 100,000-character key made a 200 KB line
    /// on stderr and in the journal.
    static func oneLine(_ error: any Error, limit: Int = 400) -> String {
        let words = "\(error)".split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        let text = words.filter { !$0.isEmpty }.joined(separator: " | ")
        return text.count > limit ? String(text.prefix(limit)) + "..." : text
    }

    private static func isNull(_ node: Node) -> Bool {
        // YAML's null: nothing after the colon, `~` or `null`, unquoted.
        if case .scalar(let scalar) = node, scalar.style == .plain {
            return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
        }
        return false
    }

    /// A YAML value as a value of the key's kind, or why it is not one.
    private static func convert(_ node: Node, as kind: ValueKind) -> Result<ConfigContent, ReasonText> {
        let line = node.mark.map { " (line \($0.line))" } ?? ""
        switch kind {
        case .integer:
            guard let text = node.string, let value = Int(text) else {
                return .failure(ReasonText("expected a whole number\(line), got \(describe(node))"))
            }
            return .success(.int(value))
        case .number:
            guard let text = node.string, let value = Double(text), value.isFinite else {
                return .failure(ReasonText("expected a number\(line), got \(describe(node))"))
            }
            return .success(.double(value))
        case .boolean:
            guard let value = node.bool else { return .failure(ReasonText("expected true or false\(line), got \(describe(node))")) }
            return .success(.bool(value))
        case .textList:
            guard case .sequence(let items) = node else {
                // One path where a list was wanted: show both ways of writing it.
                let hint = node.scalar.map { ": write [\($0.string)], or '- \($0.string)' on the line below" } ?? ""
                return .failure(ReasonText("expected a list\(line), got \(describe(node))\(hint)"))
            }
            var strings: [String] = []
            for (index, item) in items.enumerated() {
                let itemLine = item.mark.map { " (line \($0.line))" } ?? line
                // `- ` with nothing after it, `~` or `null` would be read as a path named "null".
                if isNull(item) {
                    let tilde = item.string == "~" ? ", as YAML reads '~' (chimerad does not expand it either: write the full path)" : ""
                    return .failure(ReasonText("item \(index + 1) of the list is empty\(itemLine)\(tilde)"))
                }
                guard let text = item.string, case .scalar = item else { return .failure(ReasonText("expected a list of text items\(line)")) }
                strings.append(text)
            }
            return .success(.stringArray(strings))
        case .text, .choice:
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

    /// Levenshtein distance, for "did you mean" (a key here, a command's name in `chimerad`).
    package static func distance(_ a: String, _ b: String) -> Int {
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
}
