import Foundation
import Testing

@testable import Settings

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh folder under the system temporary folder, removed when the body ends.
private func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-settings-" + UUID().uuidString)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// Writes `text` as a config file in `directory` and returns its path.
private func writeConfig(_ text: String, in directory: URL, name: String = "chimerad.yaml") throws -> String {
    let url = directory.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}

/// The environment every test passes, so no result depends on the machine's.
private let home = ["HOME": "/home/u"]

/// The state folder the defaults use for `home`: root gets the system folder.
private let expectedState = getuid() == 0 ? "/var/lib/chimerad" : "/home/u/.local/state/chimerad"

private let shippedIgnore = ["*.swp", "*.swx", "*~", ".#*", "*.tmp", "*.part", "*.crdownload", ".*.??????"]

/// The repository's `etc/chimerad/chimerad.yaml`, found from this file's path.
private let shippedConfig = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("etc/chimerad/chimerad.yaml").path

/// Loads `yaml` from a temporary file and returns the error it must fail with.
private func loadError(
    _ yaml: String, sourceLocation: SourceLocation = #_sourceLocation
) async throws -> (error: SettingsError, file: String) {
    try await withTemporaryDirectory { directory in
        let file = try writeConfig(yaml, in: directory)
        let error = try await #require(throws: SettingsError.self, sourceLocation: sourceLocation) {
            try await Settings.load(file: file, environment: home)
        }
        return (error, file)
    }
}

@Suite("Settings")
struct SettingsTests {
    // MARK: Defaults

    /// The built-in defaults, with the state folder they are made from.
    private func expectDefaults(_ settings: Settings, state: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(settings.watch.paths == [state + "/inbox"], sourceLocation: sourceLocation)
        #expect(settings.watch.settleMilliseconds == 300, sourceLocation: sourceLocation)
        #expect(settings.watch.ignorePatterns == shippedIgnore, sourceLocation: sourceLocation)
        #expect(settings.output.directory == state + "/reports", sourceLocation: sourceLocation)
        #expect(settings.output.retain == 50, sourceLocation: sourceLocation)
        #expect(settings.state.directory == state, sourceLocation: sourceLocation)
        #expect(settings.ingest.maxFileBytes == 268_435_456, sourceLocation: sourceLocation)
        #expect(settings.model.backend == .auto, sourceLocation: sourceLocation)
        #expect(settings.model.url == "", sourceLocation: sourceLocation)
        #expect(settings.model.name == "", sourceLocation: sourceLocation)
        #expect(settings.model.timeoutSeconds == 0, sourceLocation: sourceLocation)
        #expect(settings.report.persona == "", sourceLocation: sourceLocation)
        #expect(settings.log.target == .auto, sourceLocation: sourceLocation)
        #expect(settings.log.level == .info, sourceLocation: sourceLocation)
    }

    @Test("defaults load with no file")
    func defaultsWithoutFile() async throws {
        let settings = try await Settings.load(file: nil, environment: home)
        #expect(settings.configFile == nil)
        expectDefaults(settings, state: expectedState)
    }

    @Test("STATE_DIRECTORY pins the state folder (first entry of a list)")
    func stateDirectoryFromSystemd() async throws {
        let settings = try await Settings.load(
            file: nil, environment: ["HOME": "/home/u", "STATE_DIRECTORY": "/srv/state:/srv/other"])
        #expect(settings.state.directory == "/srv/state")
        #expect(settings.watch.paths == ["/srv/state/inbox"])
        #expect(settings.output.directory == "/srv/state/reports")
    }

    @Test("the default state folder follows root, XDG_STATE_HOME and HOME")
    func defaultStateDirectoryRules() {
        if getuid() == 0 {
            #expect(Settings.defaultStateDirectory(["HOME": "/home/u"]) == "/var/lib/chimerad")
            #expect(Settings.defaultStateDirectory(["XDG_STATE_HOME": "/x/state"]) == "/var/lib/chimerad")
        } else {
            #expect(Settings.defaultStateDirectory(["HOME": "/home/u"]) == "/home/u/.local/state/chimerad")
            #expect(Settings.defaultStateDirectory(["HOME": "/home/u", "XDG_STATE_HOME": "/x/state"]) == "/x/state/chimerad")
            #expect(Settings.defaultStateDirectory(["HOME": "/home/u", "XDG_STATE_HOME": ""]) == "/home/u/.local/state/chimerad")
        }
        // A relative XDG_STATE_HOME is ignored (the XDG spec), and no HOME is the account's home, never
        // the working folder (`env -i chimerad check-config` made ./.local/state/chimerad).
        let nobody = getpwnam("nobody").map { $0.pointee.pw_uid } ?? 65534
        #expect(Settings.defaultStateDirectory(["HOME": "/home/u", "XDG_STATE_HOME": "rel"], user: nobody) == "/home/u/.local/state/chimerad")
        // The account's home as the password database gives it (Debian's /nonexistent, another's /), else no default.
        let home = getpwuid(nobody).flatMap { $0.pointee.pw_dir.map { String(cString: $0) } }
        let expected = home.map { ($0 == "/" ? "" : $0) + "/.local/state/chimerad" } ?? ""
        #expect(Settings.defaultStateDirectory([:], user: nobody) == expected)
        #expect(Settings.defaultStateDirectory(["HOME": "rel"], user: nobody) == expected)
        // A user the password database does not know, without HOME: no default, not a shared /tmp path.
        #expect(Settings.defaultStateDirectory([:], user: 4_000_000_000) == "")
        #expect(Settings.defaultStateDirectory(["STATE_DIRECTORY": "/run/s", "HOME": "/home/u"]) == "/run/s")
    }

    @Test("CHIMERAD_CONFIG names the default config file")
    func defaultConfigFile() {
        #expect(Settings.defaultConfigFile(environment: ["CHIMERAD_CONFIG": "/tmp/c.yaml"]) == "/tmp/c.yaml")
        let system = FileManager.default.fileExists(atPath: "/etc/chimerad/chimerad.yaml") ? "/etc/chimerad/chimerad.yaml" : nil
        #expect(Settings.defaultConfigFile(environment: ["CHIMERAD_CONFIG": ""]) == system)
        #expect(Settings.defaultConfigFile(environment: [:]) == system)
    }

    // MARK: The shipped file

    @Test("the shipped etc/chimerad/chimerad.yaml loads and documents the defaults")
    func shippedConfigMatchesDefaults() async throws {
        #expect(FileManager.default.fileExists(atPath: shippedConfig))
        // Pinned to the systemd layout the file documents.
        let environment = ["HOME": "/home/u", "STATE_DIRECTORY": "/var/lib/chimerad"]
        let settings = try await Settings.load(file: shippedConfig, environment: environment)
        #expect(settings.configFile == shippedConfig)
        expectDefaults(settings, state: "/var/lib/chimerad")

        // Every value it sets is the built-in default.
        var defaults = try await Settings.load(file: nil, environment: environment)
        defaults.configFile = shippedConfig
        #expect(settings == defaults)
    }

    @Test("the shipped file sets every key the daemon knows, and shows the optional ones commented out")
    func shippedConfigCoversEveryKey() throws {
        let text = try String(contentsOfFile: shippedConfig, encoding: .utf8)
        // (indent, name) of the sections enclosing the current line.
        var sections: [(Int, String)] = []
        var keys: Set<String> = []
        var commented: Set<String> = []
        // Keys with nothing after the colon: a section when keys follow, else a list (`paths:` then `- ...`).
        var bare: Set<String> = []
        var parents: Set<String> = []
        for line in text.split(separator: "\n") {
            let indent = line.prefix { $0 == " " }.count
            var body = line.drop { $0 == " " }
            let isComment = body.hasPrefix("# ")
            if isComment { body = body.dropFirst(2) }
            guard let colon = body.firstIndex(of: ":"), !body.hasPrefix("-") else { continue }
            let name = String(body[..<colon])
            guard name.allSatisfy({ $0.isLetter || $0 == "_" }) else { continue }
            while let last = sections.last, last.0 >= indent { sections.removeLast() }
            if !isComment, !sections.isEmpty { parents.insert(sections.map(\.1).joined(separator: ".")) }
            let key = (sections.map(\.1) + [name]).joined(separator: ".")
            let value = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if isComment {
                commented.insert(key)
            } else if value.isEmpty {
                sections.append((indent, name))
                bare.insert(key)
            } else {
                keys.insert(key)
            }
        }
        keys.formUnion(bare.subtracting(parents))
        let withDefault = Set(Settings.defaults(environment: home).keys.map(\.rawValue))
        #expect(keys == withDefault)
        #expect(Set(Settings.Key.allCases.map(\.rawValue)).subtracting(withDefault).isSubset(of: commented))
    }

    // MARK: Precedence

    @Test("the file overrides the defaults; keys it leaves out keep them")
    func fileOverridesDefaults() async throws {
        try await withTemporaryDirectory { directory in
            let file = try writeConfig(
                """
                watch:
                  paths: [/data/a, /data/b]
                  settle_ms: 1500
                output:
                  directory: /data/reports
                  retain: 0
                ingest:
                  max_file_bytes: 1024
                model:
                  backend: ollama
                  url: http://127.0.0.1:11434
                  name: gemma3:270m
                  timeout_seconds: 2.5
                report:
                  persona: |
                    Be terse.
                    Cite numbers.
                log:
                  target: console
                  level: debug
                """, in: directory)
            let settings = try await Settings.load(file: file, environment: home)
            #expect(settings.configFile == file)
            #expect(settings.watch.paths == ["/data/a", "/data/b"])
            #expect(settings.watch.settleMilliseconds == 1500)
            #expect(settings.output.directory == "/data/reports")
            #expect(settings.output.retain == 0)
            #expect(settings.ingest.maxFileBytes == 1024)
            #expect(settings.model.backend == .ollama)
            #expect(settings.model.url == "http://127.0.0.1:11434")
            #expect(settings.model.name == "gemma3:270m")
            #expect(settings.model.timeoutSeconds == 2.5)
            #expect(settings.report.persona == "Be terse.\nCite numbers.\n")
            #expect(settings.log.target == .console)
            #expect(settings.log.level == .debug)
            // Not in the file: the defaults.
            #expect(settings.watch.ignorePatterns == shippedIgnore)
            #expect(settings.state.directory == expectedState)
        }
    }

    @Test("command-line overrides win over the file")
    func overridesWinOverFile() async throws {
        try await withTemporaryDirectory { directory in
            let file = try writeConfig(
                """
                watch:
                  paths: [/from/file]
                  settle_ms: 1500
                output:
                  directory: /file/reports
                model:
                  backend: ollama
                  name: from-file
                """, in: directory)
            var overrides = Settings.Overrides()
            overrides.set(.watchPaths, ["/flag/one", "/flag/two"], option: "--watch")
            overrides.set(.outputDirectory, "/flag/reports", option: "--output")
            overrides.set(.modelBackend, "openai", option: "--model")
            overrides.set(.modelURL, "http://127.0.0.1:8080", option: "--model-url")
            overrides.set(.outputRetain, 7, option: "--retain")
            // Absent flags change nothing.
            overrides.set(.modelName, nil as String?, option: "--model-name")
            overrides.set(.watchSettle, nil as Int?, option: "--settle")
            overrides.set(.watchIgnore, [String](), option: "--ignore")
            #expect(overrides.values.count == 5)

            let settings = try await Settings.load(file: file, overrides: overrides, environment: home)
            #expect(settings.watch.paths == ["/flag/one", "/flag/two"])
            #expect(settings.output.directory == "/flag/reports")
            #expect(settings.model.backend == .openai)
            #expect(settings.output.retain == 7)
            #expect(settings.model.name == "from-file")
            #expect(settings.watch.settleMilliseconds == 1500)
            #expect(settings.watch.ignorePatterns == shippedIgnore)
        }
    }

    @Test func aValueFromAnOptionIsNamedByTheOptionAndAStateFolderWithASlashKeepsOneSlash() async throws {
        try await withTemporaryDirectory { directory in
            let file = try writeConfig("output:\n  retain: -1\n", in: directory)
            var overrides = Settings.Overrides()
            overrides.set(.outputDirectory, "", option: "--output")
            await #expect(throws: SettingsError(file: file, key: "output.directory", option: "--output", reason: "must not be empty")) {
                try await Settings.load(file: file, overrides: overrides, environment: [:])
            }
            // The file's own problem is still the file's.
            overrides = Settings.Overrides()
            overrides.set(.outputDirectory, directory.path + "/out", option: "--output")
            do {
                _ = try await Settings.load(file: file, overrides: overrides, environment: [:])
                Issue.record("a negative retain was accepted")
            } catch {
                #expect("\(error)" == "config \(file): key 'output.retain': must be 0 (keep all) or more, got -1")
            }
            overrides = Settings.Overrides()
            overrides.set(.stateDirectory, directory.path + "/state/", option: "--state")
            let settings = try await Settings.load(file: nil, overrides: overrides, environment: [:])
            #expect(settings.watch.paths == [directory.path + "/state/inbox"])
            #expect(settings.output.directory == directory.path + "/state/reports")
        }
    }

    @Test("overrides apply without a file too")
    func overridesWithoutFile() async throws {
        var overrides = Settings.Overrides()
        overrides.set(.stateDirectory, "/flag/state")
        overrides.set(.modelBackend, "auto")
        let settings = try await Settings.load(file: nil, overrides: overrides, environment: home)
        #expect(settings.state.directory == "/flag/state")
        #expect(settings.model.backend == .auto)
        // The inbox and the reports are under the state folder given, as the
        // README's defaults say: they were under the built-in one.
        #expect(settings.output.directory == "/flag/state/reports")
        #expect(settings.watch.paths == ["/flag/state/inbox"])
    }

    @Test("a state folder the file names holds the inbox and the reports it does not name; those it names stay")
    func stateFolderFromTheFileHoldsTheDerivedDefaults() async throws {
        try await withTemporaryDirectory { directory in
            let file = try writeConfig("state:\n  directory: /srv/chimerad\n", in: directory)
            let settings = try await Settings.load(file: file, environment: home)
            #expect(settings.watch.paths == ["/srv/chimerad/inbox"] && settings.output.directory == "/srv/chimerad/reports")
            let named = try writeConfig(
                "state:\n  directory: /srv/chimerad\noutput:\n  directory: /srv/reports\n", in: directory, name: "named.yaml")
            let kept = try await Settings.load(file: named, environment: home)
            #expect(kept.output.directory == "/srv/reports" && kept.watch.paths == ["/srv/chimerad/inbox"])
            // A flag's state folder wins over the file's, for the derived defaults too.
            var overrides = Settings.Overrides()
            overrides.set(.stateDirectory, "/flag/state")
            let flagged = try await Settings.load(file: file, overrides: overrides, environment: home)
            #expect(flagged.output.directory == "/flag/state/reports")
        }
    }

    @Test("a bad override is reported by its key, with no file named")
    func badOverride() async throws {
        var overrides = Settings.Overrides()
        overrides.set(.modelBackend, "gpt")
        let error = try await #require(throws: SettingsError.self) {
            try await Settings.load(file: nil, overrides: overrides, environment: home)
        }
        #expect(error.file == nil)
        #expect(error.key == "model.backend")
        #expect(error.description.hasPrefix("configuration: key 'model.backend': "))
    }

    /// Every key is optional (the shipped file says so), so a file with nothing
    /// set, or a section whose keys are all commented out, means the defaults.
    @Test(
        "a file that sets nothing loads the defaults",
        arguments: ["# nothing set\n", "", "log:\n  # level: debug\n"])
    func fileSettingNothing(yaml: String) async throws {
        try await withTemporaryDirectory { directory in
            let file = try writeConfig(yaml, in: directory)
            let defaults = try await Settings.load(file: nil, environment: home)
            var settings = try await Settings.load(file: file, environment: home)
            #expect(settings.configFile == file)
            settings.configFile = nil
            #expect(settings == defaults)
        }
    }

    // MARK: Errors

    /// A state or output folder that is a file fails at load with its key,
    /// as every other bad value does; it failed at start with a raw
    /// Foundation error naming no key ("Code=516 A file with the same name
    /// already exists"). Reports in the state folder itself are refused too.
    @Test("a state or output folder that is a file, or reports in the state folder itself, fail at load with the key")
    func foldersThatCannotBeFolders() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("plain").path
            try "x".write(toFile: file, atomically: true, encoding: .utf8)
            for (yaml, key) in [
                ("state:\n  directory: \(file)\n", "state.directory"),
                ("output:\n  directory: \(file)\n", "output.directory"),
                ("state:\n  directory: /srv/s\noutput:\n  directory: /srv/s/\nwatch:\n  paths: [/srv/in]\n", "output.directory"),
            ] {
                let config = try writeConfig(yaml, in: directory)
                let error = try await #require(throws: SettingsError.self) { try await Settings.load(file: config, environment: home) }
                #expect(error.key == key, "\(yaml): \(error)")
                #expect(error.reason.contains("is not a folder") || error.reason.contains("is the state folder"), "\(error.reason)")
            }
            // A folder that is not there yet is made when it is needed.
            let missing = try writeConfig("state:\n  directory: \(directory.path)/new/state\n", in: directory)
            #expect(try await Settings.load(file: missing, environment: home).state.directory.hasSuffix("/new/state"))
        }
    }

    @Test("an unknown key is named, with the key it was probably meant to be")
    func unknownKeyWithSuggestion() async throws {
        let (error, file) = try await loadError("watch:\n  setle_ms: 5\n")
        #expect(error.file == file)
        #expect(error.key == "watch.setle_ms")
        #expect(error.reason.contains("unknown key"))
        #expect(error.reason.contains("did you mean 'watch.settle_ms'"))
        #expect(error.description.contains(file))
        #expect(error.description.contains("watch.setle_ms"))
    }

    /// `model.keep_alive` is checked at load as Ollama reads it (Go's
    /// durations), where `forever` passed and Ollama refused it only when the
    /// narrative was asked for.
    @Test("model.keep_alive must be a duration Ollama reads")
    func keepAliveIsADuration() async throws {
        for good in ["30m", "1h30m", "0", "-1m", "90s", "1.5h", "500ms", "300", "-1"] {
            #expect(durationProblem(good) == nil, "\(good)")
        }
        for bad in ["forever", "", "1h-2m", "m", "1.2.3s", "nan"] {
            let (error, _) = try await loadError("model:\n  keep_alive: \"\(bad)\"\n")
            #expect(error.key == "model.keep_alive" && error.reason.contains("is no duration Ollama reads"), "\(bad): \(error)")
        }
    }

    /// The YAML parser's message comes on one short line: with a 100,000-
    /// character key it was a 200 KB line, in the journal at every reload.
    @Test("a YAML syntax error is one short line")
    func aYAMLSyntaxErrorIsOneShortLine() async throws {
        let (error, _) = try await loadError(String(repeating: "a", count: 100_000) + ": [\n")
        #expect(error.description.utf8.count < 1_000 && !error.description.contains("\n"), "\(error.description.prefix(300))")
        #expect(error.reason.hasPrefix("is not valid YAML: "))
    }

    /// A section written as one value (`model: none`, `http: 127.0.0.1:9464`)
    /// says it is a section and what goes under it, where it said "unknown
    /// key" of a section the README documents.
    @Test("a section given a value says it is a section")
    func aSectionGivenAValueIsNamedASection() async throws {
        for (yaml, key, first) in [
            ("model: none\n", "model", "backend:"), ("http: \"127.0.0.1:9464\"\n", "http", "listen:"), ("watch: []\n", "watch", "paths:"),
            ("log: debug\n", "log", "target:"), ("model:\n  options: 4096\n", "model.options", "num_ctx:"),
        ] {
            let (error, _) = try await loadError(yaml)
            #expect(error.key == key && error.reason.hasPrefix("is a section: expected its keys (\(first)"), "\(yaml): \(error)")
        }
    }

    /// `~` is a shell's to expand: taken as written, `state.directory:
    /// ~/state` made a folder `~` in the working directory while the
    /// reports went to the home folder. Every path key refuses it.
    @Test("a path beginning with ~ is refused with its key")
    func tildePathsAreRefused() async throws {
        for (yaml, key) in [
            ("state:\n  directory: ~/state\n", "state.directory"), ("output:\n  directory: ~/reports\n", "output.directory"),
            ("watch:\n  paths: [/srv/bench, ~/bench]\n", "watch.paths"), ("model:\n  venv: ~/venv\n", "model.venv"),
            ("model:\n  gguf: ~/m.gguf\n", "model.gguf"), ("notify:\n  headers_file: ~/h\n", "notify.headers_file"),
            ("fleet:\n  password_file: \"~\"\n", "fleet.password_file"),
        ] {
            let (error, _) = try await loadError(yaml)
            #expect(error.key == key && error.reason.contains("begins with '~', which chimerad does not expand"), "\(yaml): \(error)")
        }
    }

    /// The output folder is never read: an input in it (or equal to it)
    /// would be read as nothing, silently. The output inside an input is
    /// the usual layout, and is fine.
    @Test("an input inside the output folder is refused, the output inside an input is not")
    func inputInsideOutput() async throws {
        for (watch, output) in [("/srv/bench/results", "/srv/bench"), ("/srv/bench", "/srv/bench/"), ("/srv/bench/./r/../x", "/srv/bench")] {
            let (error, _) = try await loadError("watch:\n  paths: [\(watch)]\noutput:\n  directory: \(output)\n")
            #expect(error.key == "watch.paths", "\(error)")
            #expect(error.reason.contains("\(watch) is the output folder") && error.reason.contains("never reads"), "\(error)")
        }
        try await withTemporaryDirectory { directory in
            let file = try writeConfig("watch:\n  paths: [/srv/bench, /srv/benchmarks]\noutput:\n  directory: /srv/bench/reports\n", in: directory)
            let settings = try await Settings.load(file: file, environment: home)
            #expect(settings.watch.paths == ["/srv/bench", "/srv/benchmarks"])
        }
    }

    @Test("a misspelt section is found through its keys")
    func unknownSection() async throws {
        let (error, _) = try await loadError("outptu:\n  directory: /x\n")
        #expect(error.key == "outptu.directory")
        #expect(error.reason.contains("did you mean 'output.directory'"))
    }

    @Test("an unknown key far from every known one gets no suggestion")
    func unknownKeyWithoutSuggestion() async throws {
        let (error, _) = try await loadError("watch:\n  colour: red\n")
        #expect(error.key == "watch.colour")
        #expect(error.reason == "unknown key")
    }

    @Test("a value of the wrong type names its key and what was expected")
    func wrongType() async throws {
        let (error, file) = try await loadError("watch:\n  settle_ms: soon\n")
        #expect(error.key == "watch.settle_ms")
        #expect(error.reason.contains("expected a whole number"))
        #expect(error.description.contains(file))
        #expect(error.description.contains("'watch.settle_ms'"))
    }

    @Test("an invalid backend names the key and the choices")
    func invalidBackend() async throws {
        let (error, file) = try await loadError("model: {backend: gpt}\n")
        #expect(error.key == "model.backend")
        #expect(error.reason.contains("'gpt'"))
        #expect(error.reason.contains("none, auto, managed, ollama, openai"))
        #expect(error.description.contains(file))
        #expect(error.description.contains("model.backend"))
    }

    @Test("an invalid log target names the key")
    func invalidLogTarget() async throws {
        let (error, _) = try await loadError("log:\n  target: syslog\n")
        #expect(error.key == "log.target")
        #expect(error.reason.contains("'syslog'"))
    }

    @Test(
        "out-of-range numbers name the key and the value",
        arguments: [
            ("watch:\n  settle_ms: -1\n", "watch.settle_ms", "got -1"),
            ("watch:\n  settle_ms: 600001\n", "watch.settle_ms", "got 600001"),
            ("output:\n  retain: -3\n", "output.retain", "got -3"),
            ("ingest:\n  max_file_bytes: 0\n", "ingest.max_file_bytes", "must be positive"),
            ("model:\n  timeout_seconds: -1\n", "model.timeout_seconds", "must be 0 (from the model's pace) or positive"),
            ("watch:\n  paths: []\n", "watch.paths", "at least one"),
            // A list item with nothing in it was read as a folder named "null".
            ("watch:\n  paths: [null, /srv/results]\n", "watch.paths", "item 1 of the list is empty (line 2)"),
            ("watch:\n  paths:\n    - /srv/results\n    -\n", "watch.paths", "item 2 of the list is empty (line 4)"),
            ("watch:\n  paths:\n    - ~\n", "watch.paths", "item 1 of the list is empty (line 3), as YAML reads '~'"),
            ("watch:\n  paths: [/srv/results, \"\"]\n", "watch.paths", "item 2 of the list is empty"),
            ("watch:\n  paths: /srv/results\n", "watch.paths", "got '/srv/results': write [/srv/results], or '- /srv/results'"),
            ("output:\n  directory: \"\"\n", "output.directory", "must not be empty"),
        ])
    func outOfRange(yaml: String, key: String, reason: String) async throws {
        let (error, file) = try await loadError(yaml)
        #expect(error.key == key)
        #expect(error.reason.contains(reason))
        #expect(error.description.contains(file))
        #expect(error.description.contains("'\(key)'"))
    }

    @Test("the limits themselves are accepted")
    func rangeLimits() async throws {
        try await withTemporaryDirectory { directory in
            let file = try writeConfig("watch:\n  settle_ms: 600000\noutput:\n  retain: 0\n", in: directory)
            let settings = try await Settings.load(file: file, environment: home)
            #expect(settings.watch.settleMilliseconds == 600_000)
            #expect(settings.output.retain == 0)
        }
    }

    @Test("a URL that is not http(s) with a host is refused", arguments: ["ftp://host/x", "not a url", "http://", "localhost:11434"])
    func badURL(url: String) async throws {
        let (error, file) = try await loadError("model:\n  url: \"\(url)\"\n")
        #expect(error.key == "model.url")
        #expect(error.reason.contains("is not an http(s) URL"))
        #expect(error.description.contains(file))
    }

    @Test(
        "a model URL with a user or password is refused: it would be printed in every report",
        arguments: [
            "http://user:pw@127.0.0.1:11434", "https://token@ollama.example.com",
        ])
    func modelURLWithCredentials(url: String) async throws {
        let (error, _) = try await loadError("model:\n  url: \"\(url)\"\n")
        #expect(error.key == "model.url")
        #expect(error.reason.hasPrefix("must not hold a user or password"))
        #expect(!error.description.contains("pw@") && !error.description.contains("token@"))
    }

    @Test(
        "a port outside 1-65535 is refused at load, not trapped on at the first request",
        arguments: ["http://127.0.0.1:99999", "http://h:65536/v1", "http://h:0"])
    func badPort(url: String) async throws {
        let (error, _) = try await loadError("model:\n  url: \"\(url)\"\n")
        #expect(error.key == "model.url")
        #expect(error.reason.contains("a port is a number from 1 to 65535"), "\(error)")
    }

    @Test("http and https URLs are accepted", arguments: ["http://127.0.0.1:11434", "https://api.example.com/v1", "http://h:65535"])
    func goodURL(url: String) async throws {
        try await withTemporaryDirectory { directory in
            let file = try writeConfig("model:\n  url: \"\(url)\"\n", in: directory)
            #expect(try await Settings.load(file: file, environment: home).model.url == url)
        }
    }

    // MARK: model.gguf

    @Test("model.gguf accepts a readable regular file, or a symlink to one")
    func ggufFile() async throws {
        try await withTemporaryDirectory { directory in
            let gguf = directory.appendingPathComponent("tiny-model.Q4_K_M.gguf").path
            try Data("GGUF".utf8).write(to: URL(fileURLWithPath: gguf))
            let file = try writeConfig("model:\n  gguf: \(gguf)\n", in: directory)
            let settings = try await Settings.load(file: file, environment: home)
            #expect(settings.model.gguf == gguf)

            let link = directory.appendingPathComponent("link.gguf").path
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: gguf)
            var overrides = Settings.Overrides()
            overrides.set(.modelGGUF, link)
            #expect(try await Settings.load(file: file, overrides: overrides, environment: home).model.gguf == link)
        }
    }

    @Test("model.gguf empty or left out is unset")
    func ggufUnset() async throws {
        try await withTemporaryDirectory { directory in
            let defaults = try await Settings.load(file: nil, environment: home)
            #expect(defaults.model.gguf == "")
            for yaml in ["model:\n  gguf: \"\"\n", "model:\n  gguf:\n", "model:\n  name: \"\"\n"] {
                let file = try writeConfig(yaml, in: directory)
                let settings = try await Settings.load(file: file, environment: home)
                #expect(settings.model.gguf == "", "\(yaml)")
                #expect(defaults.changedKeys(to: settings).isEmpty, "\(yaml)")
            }
        }
    }

    @Test("model.gguf that is missing, a folder or no regular file fails at load, naming the key and the path")
    func ggufProblems() async throws {
        try await withTemporaryDirectory { directory in
            let missing = directory.appendingPathComponent("missing.gguf").path
            let fifo = directory.appendingPathComponent("pipe.gguf").path
            #expect(mkfifo(fifo, 0o600) == 0)
            let cases = [
                (missing, "'\(missing)' does not exist"),
                (directory.appendingPathComponent("missing-folder/x.gguf").path, "does not exist"),
                (directory.path, "'\(directory.path)' is a folder, not a GGUF file"),
                (fifo, "'\(fifo)' is not a regular file"),
            ]
            for (path, reason) in cases {
                let file = try writeConfig("model:\n  gguf: \"\(path)\"\n", in: directory)
                let error = try await #require(throws: SettingsError.self) {
                    try await Settings.load(file: file, environment: home)
                }
                #expect(error.key == "model.gguf")
                #expect(error.reason.contains(reason), "\(error)")
                #expect(error.description.hasPrefix("config \(file): key 'model.gguf': "), "\(error)")
            }
        }
    }

    /// The files only a report opens (a GGUF, a token file, a CA file) stop
    /// neither a command that reads the store only (`status`, run to see why
    /// the daemon stopped) nor a report without a model; their values are
    /// still read, and a value of the wrong kind still fails.
    @Test("files a command never opens do not stop it")
    func filesOnlyAReportOpens() async throws {
        try await withTemporaryDirectory { directory in
            let missing = directory.appendingPathComponent("moved-away").path
            let yaml = """
                model:
                  gguf: \(missing).gguf
                notify:
                  webhook_url: https://hooks.example.com/x
                  headers_file: \(missing).headers
                fleet:
                  postgres_url: postgres://chimerad@db.example.com/bench?sslmode=verify-full&sslrootcert=\(missing).pem
                  password_file: \(missing).password

                """
            let file = try writeConfig(yaml, in: directory)
            let error = try await #require(throws: SettingsError.self) { try await Settings.load(file: file, environment: home) }
            #expect(error.key == "model.gguf", "\(error)")
            let settings = try await Settings.load(file: file, environment: home, use: .stateOnly)
            #expect(settings.model.gguf == missing + ".gguf" && settings.notify.headersFile == missing + ".headers")
            #expect(settings.fleet.passwordFile == missing + ".password")
            // Without a model the GGUF is never opened; the other files still are.
            var noModel = Settings.Overrides()
            noModel.set(.modelBackend, "none")
            let report = try await #require(throws: SettingsError.self) {
                try await Settings.load(file: file, overrides: noModel, environment: home)
            }
            #expect(report.key == "notify.headers_file", "\(report)")
            // A value of the wrong kind is an error whatever the command.
            let wrong = try writeConfig("model:\n  gguf: [1, 2]\n", in: directory)
            let kind = try await #require(throws: SettingsError.self) {
                try await Settings.load(file: wrong, environment: home, use: .stateOnly)
            }
            #expect(kind.key == "model.gguf")
        }
    }

    @Test("model.gguf that this user cannot read fails at load", .enabled(if: getuid() != 0, "root reads every file"))
    func ggufUnreadable() async throws {
        try await withTemporaryDirectory { directory in
            let gguf = directory.appendingPathComponent("locked.gguf").path
            #expect(FileManager.default.createFile(atPath: gguf, contents: Data("GGUF".utf8), attributes: [.posixPermissions: 0o200]))
            let (error, _) = try await loadError("model:\n  gguf: \(gguf)\n")
            #expect(error.key == "model.gguf")
            #expect(error.reason == "'\(gguf)' is not readable")
        }
    }

    @Test("an unknown log level names the key and the levels")
    func badLogLevel() async throws {
        let (error, file) = try await loadError("log:\n  level: loud\n")
        #expect(error.key == "log.level")
        #expect(error.reason.contains("'loud'"))
        #expect(error.reason.contains("trace, debug, info, notice, warning, error, critical"))
        #expect(error.description.contains(file))
    }

    @Test("invalid YAML is reported as such, with the file")
    func invalidYAML() async throws {
        let (error, file) = try await loadError("watch:\n  paths: [/a, /b\n  settle_ms: 3\n")
        #expect(error.file == file)
        #expect(error.key == nil)
        #expect(error.reason.contains("YAML"))
        #expect(error.description.hasPrefix("config \(file): "))
    }

    @Test("a missing file is reported as missing")
    func missingFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-missing-" + UUID().uuidString + ".yaml").path
        let error = try await #require(throws: SettingsError.self) {
            try await Settings.load(file: file, environment: home)
        }
        #expect(error.file == file)
        #expect(error.key == nil)
        #expect(error.reason == "does not exist")
        #expect(error.description == "config \(file): does not exist")
    }

    @Test("a file that is not UTF-8 is reported as unreadable text")
    func notUTF8() async throws {
        try await withTemporaryDirectory { directory in
            let url = directory.appendingPathComponent("binary.yaml")
            try Data([0xFF, 0xFE, 0x00, 0xC3, 0x28]).write(to: url)
            let error = try await #require(throws: SettingsError.self) {
                try await Settings.load(file: url.path, environment: home)
            }
            #expect(error.reason.contains("UTF-8"))
        }
    }

    @Test("/dev/null is an empty config (every default); /dev/zero and a huge file are refused, not read forever")
    func devicesAsConfig() async throws {
        let empty = try await Settings.load(file: "/dev/null", environment: home)
        #expect(empty.model.backend == Settings().model.backend && empty.watch.settleMilliseconds == 300)
        let endless = try await #require(throws: SettingsError.self) {
            try await Settings.load(file: "/dev/zero", environment: home)
        }
        #expect(endless.reason == "is larger than 1024 KiB: not a config file")
    }

    @Test("the top level must be a mapping", arguments: ["- /a\n- /b\n", "just text\n"])
    func topLevelNotMapping(yaml: String) async throws {
        let (error, file) = try await loadError(yaml)
        #expect(error.file == file)
        #expect(error.key == nil)
        #expect(error.reason.contains("must be a mapping"))
        #expect(error.description.contains(file))
    }

    @Test("descriptions name the file and key, or say configuration when there is no file")
    func errorDescriptions() {
        #expect(
            SettingsError(file: "/etc/c.yaml", key: "log.level", reason: "bad").description
                == "config /etc/c.yaml: key 'log.level': bad")
        #expect(SettingsError(file: "/etc/c.yaml", key: nil, reason: "bad").description == "config /etc/c.yaml: bad")
        #expect(SettingsError(file: nil, key: "log.level", reason: "bad").description == "configuration: key 'log.level': bad")
    }

    // MARK: Rendering

    @Test("renderedYAML of the defaults loads back to the same settings")
    func renderedDefaultsRoundTrip() async throws {
        let original = try await Settings.load(file: nil, environment: home)
        try await withTemporaryDirectory { directory in
            let rendered = original.renderedYAML()
            #expect(rendered.hasPrefix("# effective configuration (defaults and flags)\n"))
            let file = try writeConfig(rendered, in: directory, name: "rendered.yaml")
            var reloaded = try await Settings.load(file: file, environment: ["HOME": "/elsewhere"])
            #expect(reloaded.configFile == file)
            reloaded.configFile = original.configFile
            #expect(reloaded == original)
        }
    }

    @Test("renderedYAML of non-default settings loads back to the same settings")
    func renderedCustomRoundTrip() async throws {
        try await withTemporaryDirectory { directory in
            let source = try writeConfig(
                #"""
                watch:
                  paths: ["/data/with space", "/data/quote\"d", "C:\\odd\\path"]
                  settle_ms: 0
                  ignore: []
                output:
                  directory: /data/reports
                  retain: 3
                state:
                  directory: /data/state
                ingest:
                  max_file_bytes: 12345
                model:
                  backend: openai
                  url: https://api.example.com/v1
                  name: "gpt: mini"
                  timeout_seconds: 0.25
                report:
                  persona: |
                    You are terse.

                    Cite every figure: "like this".
                log:
                  target: journal
                  level: critical
                """#, in: directory, name: "source.yaml")
            let original = try await Settings.load(file: source, environment: home)
            #expect(original.watch.paths == ["/data/with space", "/data/quote\"d", "C:\\odd\\path"])
            #expect(original.watch.ignorePatterns == [])
            let rendered = original.renderedYAML()
            #expect(rendered.hasPrefix("# effective configuration (from \(source), flags and defaults)\n"))
            let file = try writeConfig(rendered, in: directory, name: "rendered.yaml")
            var reloaded = try await Settings.load(file: file, environment: home)
            reloaded.configFile = original.configFile
            #expect(reloaded == original)
        }
    }

    @Test("renderedYAML keeps a persona that does not end in a newline")
    func renderedPersonaWithoutTrailingNewline() async throws {
        try await withTemporaryDirectory { directory in
            let source = try writeConfig("report:\n  persona: \"Be terse.\"\n", in: directory, name: "source.yaml")
            let original = try await Settings.load(file: source, environment: home)
            #expect(original.report.persona == "Be terse.")
            let file = try writeConfig(original.renderedYAML(), in: directory, name: "rendered.yaml")
            let reloaded = try await Settings.load(file: file, environment: home)
            #expect(reloaded.report.persona == original.report.persona)
        }
    }
}
