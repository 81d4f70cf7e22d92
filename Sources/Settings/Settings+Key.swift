import Foundation

extension Settings {
    /// Every key the config file and the command line may set, in the order
    /// `chimerad check-config` shows them. The case's value is the key's name in
    /// the file (`watch.settle_ms` is `settle_ms:` under `watch:`).
    ///
    /// Adding a setting: a case here, its definition in `definition` (the
    /// compiler asks for it), and its field in a section.
    package enum Key: String, Sendable, CaseIterable {
        case watchPaths = "watch.paths"
        case watchSettle = "watch.settle_ms"
        case watchIgnore = "watch.ignore"
        case watchFollowExternalLinks = "watch.follow_external_links"
        case watchRescan = "watch.rescan_seconds"
        case outputDirectory = "output.directory"
        case outputRetain = "output.retain"
        case stateDirectory = "state.directory"
        case ingestMaxFileBytes = "ingest.max_file_bytes"
        case modelBackend = "model.backend"
        case modelURL = "model.url"
        case modelName = "model.name"
        case modelGGUF = "model.gguf"
        case modelTimeout = "model.timeout_seconds"
        case modelKeepAlive = "model.keep_alive"
        case modelVenv = "model.venv"
        case modelPriority = "model.priority"
        case modelContextSize = "model.options.num_ctx"
        case modelReplyTokens = "model.options.num_predict"
        case modelTemperature = "model.options.temperature"
        case modelTopP = "model.options.top_p"
        case modelTopK = "model.options.top_k"
        case modelRepeatPenalty = "model.options.repeat_penalty"
        case modelSeed = "model.options.seed"
        case modelGPULayers = "model.options.num_gpu"
        case reportMinInterval = "report.min_interval_ms"
        case reportPersona = "report.persona"
        case regressionsSessionGap = "regressions.session_gap_minutes"
        case regressionsBaselineSessions = "regressions.baseline_sessions"
        case regressionsMinimumEffect = "regressions.min_effect_percent"
        case regressionsFalseDiscoveryRate = "regressions.false_discovery_rate"
        case notifyWebhookURL = "notify.webhook_url"
        case notifyHeadersFile = "notify.headers_file"
        case notifyOnReport = "notify.on_report"
        case notifyFormat = "notify.format"
        case notifyTimeout = "notify.timeout_seconds"
        case fleetPostgresURL = "fleet.postgres_url"
        case fleetPasswordFile = "fleet.password_file"
        case fleetHostID = "fleet.host_id"
        case fleetOutboxLimit = "fleet.outbox_limit"
        case fleetStoppedAfter = "fleet.stopped_after_hours"
        case logTarget = "log.target"
        case logLevel = "log.level"
        case httpListen = "http.listen"
    }
}

extension Settings.Key {
    /// Whether the key's check opens a file it names, one only commands that
    /// report or publish use (see `Settings.Use.stateOnly`).
    var namesAFileOutsideTheState: Bool {
        [.modelGGUF, .notifyHeadersFile, .fleetPostgresURL, .fleetPasswordFile].contains(self)
    }

    /// The key table: each key's field, default, checks and reload effect.
    ///
    /// Reload effects keep what the daemon has always done: what decides which
    /// files are watched, excluded or skipped, or where the store is, restarts
    /// the watches; what the narrator is made from restarts the model; the rest
    /// (retention, report pace, logging) applies from the next report on.
    var definition: Settings.KeyDefinition {
        switch self {
        case .watchPaths:
            .init(
                \.watch.paths, stateDefault: { [$0 + "/inbox"] }, expected: "a list of folder paths", reload: .restartsWatching,
                example: ["/srv/results"],
                check: { paths, settings in
                    if paths.isEmpty { return "must list at least one path" }
                    if let empty = paths.firstIndex(where: \.isEmpty) { return "item \(empty + 1) of the list is empty" }
                    // A default made from a state folder with `~` is that key's problem.
                    if tildeProblem(settings.state.directory) == nil, let problem = paths.lazy.compactMap(tildeProblem).first {
                        return problem
                    }
                    // The output folder is never read: an input in it would be read as nothing.
                    // An empty one is its own key's problem (every path is "inside" it).
                    guard !settings.output.directory.isEmpty else { return nil }
                    let output = FolderPath(settings.output.directory)
                    guard let inside = paths.first(where: { FolderPath($0).isWithin(output) }) else { return nil }
                    return "\(inside) is the output folder (output.directory, \(settings.output.directory)) or inside it, which "
                        + "chimerad never reads, so none of its files would be: keep results and reports in separate folders "
                        + "(the output may be inside an input, not the other way round)"
                })
        case .watchSettle:
            .init(
                \.watch.settleMilliseconds, default: 300, expected: "a whole number of milliseconds", reload: .restartsWatching,
                example: 1500, check: { value, _ in outside(0...600_000, value) })
        case .watchIgnore:
            .init(
                \.watch.ignorePatterns, default: ["*.swp", "*.swx", "*~", ".#*", "*.tmp", "*.part", "*.crdownload", ".*.??????"],
                expected: "a list of file-name patterns", reload: .restartsWatching, example: ["*.bak"])
        case .watchFollowExternalLinks:
            .init(\.watch.followExternalLinks, default: false, reload: .restartsWatching, example: true)
        case .watchRescan:
            .init(
                \.watch.rescanSeconds, default: 60, expected: "a whole number of seconds", reload: .restartsWatching, example: 30,
                check: { value, _ in outside(1...86_400, value) })
        case .outputDirectory:
            // The output folder is excluded from the watches.
            .init(
                \.output.directory, stateDefault: { $0 + "/reports" }, expected: "a folder path", reload: .restartsWatching,
                example: "/srv/reports",
                check: { value, settings in
                    if value.isEmpty { return "must not be empty" }
                    if tildeProblem(settings.state.directory) == nil, let problem = tildeProblem(value) { return problem }
                    if FolderPath(value) == FolderPath(settings.state.directory) {
                        return
                            "is the state folder (state.directory): reports would sit among the store's files; give them a folder of their own (by default \(settings.state.directory)/reports)"
                    }
                    return notAFolderProblem(value)
                })
        case .outputRetain:
            .init(
                \.output.retain, default: 50, expected: "a whole number of reports", reload: [], example: 7,
                check: { value, _ in value < 0 ? "must be 0 (keep all) or more, got \(value)" : nil })
        case .stateDirectory:
            // The store moves, and the managed llama-server logs there.
            .init(
                \.state.directory, stateDefault: { $0 }, expected: "a folder path", reload: [.restartsWatching, .restartsModel],
                example: "/srv/state",
                check: { value, _ in
                    value.isEmpty
                        ? "must not be empty (with no $HOME and no home folder for this user there is no default: set it, or pass --state)"
                        : tildeProblem(value) ?? notAFolderProblem(value)
                })
        case .ingestMaxFileBytes:
            // Files skipped as too large (or no longer) are read again.
            .init(
                \.ingest.maxFileBytes, default: 256 * 1024 * 1024, expected: "a whole number of bytes", reload: .restartsWatching,
                example: 1024, check: { value, _ in value <= 0 ? "must be positive, got \(value)" : nil })
        case .modelBackend:
            .init(\.model.backend, default: .auto, reload: .restartsModel, example: .ollama)
        case .modelURL:
            .init(\.model.url, default: "", expected: "a URL", reload: .restartsModel, example: "http://127.0.0.1:8080", check: urlProblem)
        case .modelName:
            .init(\.model.name, default: "", expected: "a model name", reload: .restartsModel, example: "gemma3:270m")
        case .modelGGUF:
            // The example must exist wherever the table's tests run: any readable regular file passes the check.
            .init(
                \.model.gguf, default: "", expected: "a GGUF file path", reload: .restartsModel, example: "/etc/passwd",
                unsetNote: "the model model.name names",
                // Without a model (`model.backend: none`, `report --model none`) the file is never opened.
                check: { path, settings in settings.model.backend == .none ? nil : tildeProblem(path) ?? readableFileProblem(path) })
        case .modelTimeout:
            .init(
                \.model.timeoutSeconds, default: 0, expected: "a number of seconds", reload: .restartsModel, example: 2.5,
                unsetNote: "from the model's measured pace",
                check: { value, _ in value < 0 ? "must be 0 (from the model's pace) or positive, got \(value)" : nil })
        case .modelKeepAlive:
            .init(
                \.model.keepAlive, default: "30m", expected: "a duration such as 30m", reload: .restartsModel, example: "1h",
                check: { value, _ in durationProblem(value) })
        case .modelVenv:
            .init(
                \.model.venv, default: "", expected: "a folder path", reload: .restartsModel, example: "/opt/chimerad/venv",
                unsetNote: "look in the usual places", check: { path, _ in tildeProblem(path) })
        case .modelPriority:
            .init(\.model.priority, default: .idle, reload: .restartsModel, example: .normal)
        case .modelContextSize:
            // Room for a prompt of up to 1,500 tokens and the reply.
            .init(
                \.model.options.numCtx, default: 4096, expected: "a whole number of tokens", reload: .restartsModel, example: 8192,
                check: { value, _ in
                    (256...1_048_576).contains(value) ? nil : "must be between 256 and 1048576 tokens, got \(value)"
                })
        case .modelReplyTokens:
            .init(
                \.model.options.numPredict, default: 768, expected: "a whole number of tokens", reload: .restartsModel, example: 256,
                check: { value, settings in
                    let context = settings.model.options.numCtx
                    return value > 0 && value < context ? nil : "must be positive and below num_ctx (\(context)), got \(value)"
                })
        case .modelTemperature:
            // Low: a narrative restates facts, it does not invent.
            .init(
                \.model.options.temperature, default: 0.2, reload: .restartsModel, example: 0.7, unsetNote: "server default",
                check: { value, _ in value.flatMap { (0...2).contains($0) ? nil : "must be between 0 and 2, got \($0)" } })
        case .modelTopP:
            .init(
                \.model.options.topP, default: nil, reload: .restartsModel, example: 0.9, unsetNote: "server default",
                check: { value, _ in value.flatMap { (0...1).contains($0) ? nil : "must be between 0 and 1, got \($0)" } })
        case .modelTopK:
            .init(
                \.model.options.topK, default: nil, reload: .restartsModel, example: 40, unsetNote: "server default",
                check: { value, _ in value.flatMap { $0 < 0 ? "must be 0 or more, got \($0)" : nil } })
        case .modelRepeatPenalty:
            // Small models loop; this lifted SmolLM2's sentences passing the
            // checks from 7% to over half on the shared corpus (scripts/bench-model).
            .init(
                \.model.options.repeatPenalty, default: 1.15, reload: .restartsModel, example: 1.3, unsetNote: "server default",
                check: { value, _ in value.flatMap { $0 <= 0 ? "must be positive, got \($0)" : nil } })
        case .modelSeed:
            .init(\.model.options.seed, default: nil, reload: .restartsModel, example: 42, unsetNote: "server default")
        case .modelGPULayers:
            .init(
                \.model.options.numGPU, default: nil, reload: .restartsModel, example: 80, unsetNote: "server default",
                check: { value, _ in value.flatMap { $0 < 0 ? "must be 0 or more, got \($0)" : nil } })
        case .reportMinInterval:
            .init(
                \.report.minIntervalMilliseconds, default: 1000, expected: "a whole number of milliseconds", reload: [], example: 5000,
                check: { value, _ in outside(0...3_600_000, value) })
        case .reportPersona:
            // The narrator sends the persona with every call.
            .init(
                \.report.persona, default: "", reload: .restartsModel, example: "Be terse.\nCite numbers.\n",
                unsetNote: "built-in InsightAgent persona")
        case .regressionsSessionGap:
            // Sessions are cut when files are read: a new gap reads every file again.
            .init(
                \.regressions.sessionGapMinutes, default: 10, expected: "a whole number of minutes", reload: .restartsWatching,
                example: 30, check: { value, _ in outside(1...10_080, value) })
        case .regressionsBaselineSessions:
            .init(
                \.regressions.baselineSessions, default: 10, expected: "a whole number of sessions", reload: [], example: 3,
                check: { value, _ in outside(1...1000, value) })
        case .regressionsMinimumEffect:
            .init(
                \.regressions.minimumEffectPercent, default: 5, expected: "a percentage", reload: [], example: 10,
                check: { value, _ in value > 0 && value < 100 ? nil : "must be above 0 and below 100, got \(value)" })
        case .regressionsFalseDiscoveryRate:
            .init(
                \.regressions.falseDiscoveryRate, default: 0.05, expected: "a rate between 0 and 0.5", reload: [], example: 0.01,
                check: { value, _ in value > 0 && value <= 0.5 ? nil : "must be above 0 and at most 0.5, got \(value)" })
        case .notifyWebhookURL:
            // The delivery service takes the new target at its next post.
            .init(
                \.notify.webhookURL, default: "", expected: "an http(s) URL", reload: [], example: "https://ntfy.sh/bench-alerts",
                unsetNote: "no webhook", check: { url, _ in webhookURLProblem(url) })
        case .notifyHeadersFile:
            // Read again at every reload (a new token needs no restart), even when its path stays.
            // The example must exist wherever the table's tests run: /proc/self/status is `Name: value` lines.
            .init(
                \.notify.headersFile, default: "", expected: "a file path", reload: [], example: "/proc/self/status",
                unsetNote: "no extra headers",
                check: { path, _ in
                    if path.isEmpty { return nil }
                    if let problem = tildeProblem(path) { return problem }
                    if case .failure(let problem) = WebhookHeaders.read(path) { return problem.reason }
                    return nil
                })
        case .notifyOnReport:
            .init(\.notify.onReport, default: false, reload: [], example: true)
        case .notifyFormat:
            .init(\.notify.format, default: .auto, reload: [], example: .ntfy)
        case .notifyTimeout:
            // Under the unit's TimeoutStopSec (30 s): a stop waits for the post in flight.
            .init(
                \.notify.timeoutSeconds, default: 10, expected: "a number of seconds", reload: [], example: 2.5,
                check: { value, _ in value > 0 && value <= 25 ? nil : "must be above 0 and at most 25, got \(value)" })
        case .fleetPostgresURL:
            // Reports read it when they queue, the publisher at its next batch:
            // a change needs nothing restarted.
            .init(
                \.fleet.database, default: .off, expected: "a postgres:// URL without a password, or empty (no fleet)", reload: [],
                example: .postgres(
                    .init(
                        user: "chimerad", host: "db.example.com", port: 5432, database: "bench", sslMode: .verifyFull,
                        sslRootCertificate: nil, text: "postgres://chimerad@db.example.com:5432/bench?sslmode=verify-full")),
                unsetNote: "no fleet",
                check: { database, _ in
                    // A CA file that is not there is a configuration error, as a missing password_file is:
                    // found only at the first connection, the unit restarted on it forever.
                    // libpq ignores it with sslmode=disable; a service runs in /, so a relative path is no path.
                    guard case .postgres(let url) = database, url.sslMode != .disable, let roots = url.sslRootCertificate else { return nil }
                    guard roots.hasPrefix("/") else { return "sslrootcert: '\(roots)' must be an absolute path" }
                    return readableFileProblem(roots, kind: "PEM file").map { "sslrootcert: " + $0 }
                })
        case .fleetPasswordFile:
            // Read again at each connection, so a new password needs no restart.
            // The example must exist wherever the table's tests run, and have a first line.
            .init(
                \.fleet.passwordFile, default: "", expected: "a file path", reload: [], example: "/proc/self/status",
                unsetNote: "PGPASSWORD, else no password",
                check: { path, _ in
                    if path.isEmpty { return nil }
                    if let problem = tildeProblem(path) { return problem }
                    if case .failure(let problem) = FleetPasswordFile.read(path) { return problem.reason }
                    return nil
                })
        case .fleetHostID:
            .init(
                \.fleet.hostID, default: "", expected: "a host id of letters, digits, '.', '_' and '-'", reload: [],
                example: "bench-h100-01", unsetNote: "derived from /etc/machine-id, else the host name",
                check: { id, _ in hostIDProblem(id) })
        case .fleetOutboxLimit:
            // Checked when a report queues; a lower bound takes effect with the next report.
            .init(
                \.fleet.outboxLimit, default: 100_000, expected: "a whole number of outbox items", reload: [], example: 5000,
                check: { value, _ in outside(100...10_000_000, value) })
        case .fleetStoppedAfter:
            // Read by each fleet report.
            .init(
                \.fleet.stoppedAfterHours, default: 48, expected: "a whole number of hours", reload: [], example: 168,
                check: { value, _ in outside(1...8760, value) })
        case .logTarget:
            .init(\.log.target, default: .auto, reload: [], example: .console)
        case .logLevel:
            .init(\.log.level, default: .info, reload: [], example: .debug)
        case .httpListen:
            // The listening socket is opened once, at start (or passed by
            // chimerad.socket): a reload says a change waits for a restart.
            .init(
                \.http.listen, default: .off, expected: "HOST:PORT with an IP address (127.0.0.1:9464), systemd, or empty (off)",
                reload: .needsRestart, example: .address(host: "127.0.0.1", port: 9464), unsetNote: "off")
        }
    }
}

/// `fleet.host_id`: empty (derived), or up to 64 characters a shell, a URL
/// and a SQL literal all take as they are.
private func hostIDProblem(_ id: String) -> String? {
    if id.isEmpty { return nil }
    let allowed = id.unicodeScalars.allSatisfy {
        $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0))
    }
    return allowed && id.count <= 64 ? nil : "must be 1 to 64 ASCII letters, digits, '.', '_' or '-', got '\(id)'"
}

/// "must be between A and B, got V" when `value` is outside `range`.
private func outside(_ range: ClosedRange<Int>, _ value: Int) -> String? {
    range.contains(value) ? nil : "must be between \(range.lowerBound) and \(range.upperBound), got \(value)"
}

/// A folder chimerad makes when it is missing: one that is there must be a
/// folder (or a link to one), not a file, or nothing can be kept in it.
/// A path written from a shell's habit: `~` is a shell's to expand, and
/// taken as written it named a folder `~` in the working directory (the
/// store went there, while reports went to the home folder).
func tildeProblem(_ path: String) -> String? {
    guard path.hasPrefix("~") else { return nil }
    return "'\(path)' begins with '~', which chimerad does not expand (a shell does; a service's home folder is not yours): write the full path"
}

/// `model.keep_alive` as Ollama reads it (Go's durations: `30m`, `1h30m`,
/// `90s`, `0`; or seconds, `300`, `-1` for ever, sent as a number):
/// checked at load, where Ollama refused it only when the narrative was
/// asked for.
func durationProblem(_ text: String) -> String? {
    if let seconds = Double(text), seconds.isFinite { return nil }
    var rest = Substring(text)
    if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
    if rest == "0" { return nil }
    // Two-letter units first: `ms` before `m`.
    let units = ["ns", "us", "µs", "μs", "ms", "s", "m", "h"].sorted { $0.count > $1.count }
    var parts = 0
    while !rest.isEmpty {
        let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        guard !number.isEmpty, number.contains(where: \.isNumber), number.filter({ $0 == "." }).count <= 1 else { break }
        rest = rest.dropFirst(number.count)
        guard let unit = units.first(where: { rest.hasPrefix($0) }) else { break }
        rest = rest.dropFirst(unit.count)
        parts += 1
    }
    if rest.isEmpty && parts > 0 { return nil }
    return
        "'\(text)' is no duration Ollama reads: a number and a unit (ns, us, ms, s, m, h), such as 30m or 1h30m, or seconds (0 unloads at once, -1 keeps the model loaded)"
}

private func notAFolderProblem(_ path: String) -> String? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return (info.st_mode & S_IFMT) == S_IFDIR ? nil : "'\(path)' exists and is not a folder"
}

/// `model.gguf`: empty, or an existing regular file this process can read
/// (a symlink to one does); checked at load so a wrong path fails at once.
private func readableFileProblem(_ path: String, kind: String = "GGUF file") -> String? {
    if path.isEmpty { return nil }
    var info = stat()
    guard stat(path, &info) == 0 else {
        return errno == ENOENT || errno == ENOTDIR ? "'\(path)' does not exist" : "'\(path)' cannot be examined: \(String(cString: strerror(errno)))"
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: return "'\(path)' is a folder, not a \(kind)"
    default: return "'\(path)' is not a regular file"
    }
    return access(path, R_OK) == 0 ? nil : "'\(path)' is not readable"
}

/// `notify.webhook_url`: empty (off), or an http(s) URL with a host. Any
/// user part (`https://user:pass@host`) is refused: it would sit in a
/// world-readable config and in logs; a token belongs in `notify.headers_file`.
private func webhookURLProblem(_ url: String) -> String? {
    if url.isEmpty { return nil }
    guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme),
        let host = parsed.host, !host.isEmpty
    else {
        // Not echoed: a webhook's path is often its secret (Slack, Discord).
        return "is not an http(s) URL with a host, such as https://hooks.example.com/chimerad"
    }
    if parsed.user != nil || parsed.password != nil {
        return "must not hold a user or password; put a token in notify.headers_file (Authorization: Bearer ...)"
    }
    return portProblem(parsed)
}

/// A port outside 1...65535 is no address: the HTTP client would trap on it
/// at the first request, long after the configuration was accepted.
private func portProblem(_ url: URL) -> String? {
    guard let port = url.port else { return nil }
    return (1...65_535).contains(port) ? nil : "has port \(port); a port is a number from 1 to 65535"
}

/// `model.url`: required for an OpenAI-compatible server (it has no usual
/// address), and an http(s) URL with a host when given.
private func urlProblem(_ url: String, _ settings: Settings) -> String? {
    if url.isEmpty {
        return settings.model.backend == .openai
            ? "must name the server when model.backend is openai, e.g. http://127.0.0.1:8080" : nil
    }
    guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil else {
        return "'\(url)' is not an http(s) URL such as http://127.0.0.1:11434"
    }
    // The URL is printed in every report's header and in the log: a password in it would be published.
    if parsed.user != nil || parsed.password != nil {
        return "must not hold a user or password: the URL is shown in every report and log line about the model"
    }
    return portProblem(parsed)
}
