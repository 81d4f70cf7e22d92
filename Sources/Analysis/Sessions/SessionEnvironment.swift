import Records

/// What the files of a session's folder record about where it ran: host,
/// GPU, driver, backend, build, Ollama's address, ... (the extraction's
/// environment of every file beside it, the session's own included). Where
/// it ran (`MachineKey`: its CPU, GPU, host), what ran (`CodeUnderTestKey`:
/// its commit, build, version) and the versions of what that ran on (its
/// driver, CUDA) are what its own file records before what its neighbours
/// do (`isPerFile`): one folder may gather several machines' files
/// (pytest-benchmark's `.benchmarks/Linux-CPython-3.11-64bit/` does), or
/// several nights' builds and drivers. Other keys are the folder's, so a
/// patch release of Python between two saves of one machine is no other
/// environment.
///
/// Two sessions are compared only when no key both record differs: a key one
/// of them lacks is no difference, nor is a key naming the code under test,
/// and values that name the same thing are one (`127.0.0.1`, `localhost` and
/// `http://localhost:11434` are one Ollama).
package struct SessionEnvironment: Sendable, Equatable {
    /// Values by key, as recorded: the first file of the folder that records
    /// a key, but for a key of `isPerFile`, the session's own file.
    package private(set) var values: [(key: String, value: String)]

    package static let empty = SessionEnvironment(values: [])

    init(values: [(key: String, value: String)]) {
        self.values = values
    }

    /// An environment as a regression keeps it.
    package init(parameters: [Parameter]) {
        values = parameters.map { ($0.name, $0.value) }
    }

    /// The same keys with the same values, in any order: a folder whose
    /// files record them in another order is the same place.
    package static func == (a: SessionEnvironment, b: SessionEnvironment) -> Bool {
        a.values.count == b.values.count
            && a.values.allSatisfy { pair in b.values.contains { $0.key == pair.key && $0.value == pair.value } }
    }

    /// Each folder's environment, from every file's recorded `name=value` items.
    static func byFolder(_ details: [SourceDetail]) -> [Substring: SessionEnvironment] {
        var folders: [Substring: SessionEnvironment] = [:]
        for detail in details.sorted(by: { $0.source < $1.source }) {
            folders[HarnessFailure.folder(detail.source), default: .empty].add(detail.items)
        }
        return folders
    }

    /// The environment of each source's sessions: its folder's, with what
    /// its own file records of its machine, code and platform (`isPerFile`)
    /// in place of its neighbours'.
    static func bySource(_ details: [SourceDetail]) -> (String) -> SessionEnvironment {
        let folders = byFolder(details)
        var own: [String: SessionEnvironment] = [:]
        for detail in details { own[detail.source, default: .empty].add(detail.items) }
        return { source in
            var environment = folders[HarnessFailure.folder(source)] ?? .empty
            // How a file's own TTFT column was read is no neighbour's: a file
            // naming its unit assumed none, whatever the file beside it did.
            environment.values.removeAll { $0.key == AssumedTTFTUnit.key }
            for (key, value) in own[source]?.values ?? [] where SessionEnvironment.isPerFile(key) {
                if let index = environment.values.firstIndex(where: { $0.key == key }) {
                    environment.values[index].value = value
                } else if key == AssumedTTFTUnit.key {
                    environment.values.append((key, value))
                }
            }
            return environment
        }
    }

    /// Whether a key is what a session's own file records before its
    /// neighbours: where it ran, what ran, and what that ran on.
    static func isPerFile(_ key: String) -> Bool {
        MachineKey.names(key) || CodeUnderTestKey.names(key) || CodeUnderTestKey.namesPlatformVersion(key)
            || key == AssumedTTFTUnit.key
    }

    /// The environment as `metric` is compared in: the unit a bare `ttft`
    /// was read in (`AssumedTTFTUnit`) is TTFT's alone, and tokens/s of
    /// nights read in two units are compared as ever.
    package func of(_ metric: TestedMetric) -> SessionEnvironment {
        metric == .ttftSeconds ? self : SessionEnvironment(values: values.filter { $0.key != AssumedTTFTUnit.key })
    }

    /// Adds `name=value` items for the keys not recorded yet.
    private mutating func add(_ items: [String]) {
        for item in items {
            guard let equals = item.firstIndex(of: "=") else { continue }
            let key = String(item[..<equals])
            if !values.contains(where: { $0.key == key }) { values.append((key, String(item[item.index(after: equals)...]))) }
        }
    }

    /// The keys both record with values that differ: "ollama_host: localhost → 0.0.0.0".
    /// A key naming the code under test (`CodeUnderTestKey`: a commit, a
    /// build, the measured program's version) is no difference: a new one is
    /// what sessions are compared for.
    package func differences(from baseline: SessionEnvironment) -> [String] {
        var differences: [String] = []
        for (key, value) in values where !CodeUnderTestKey.names(key) {
            guard let before = baseline.values.first(where: { $0.key == key })?.value else { continue }
            if SessionEnvironment.canonical(key, before) != SessionEnvironment.canonical(key, value) {
                differences.append("\(key): \(before) → \(value)")
            }
        }
        return differences
    }

    /// A value as compared: case and blanks aside; addresses without their
    /// scheme, default port and the many names of this machine.
    static func canonical(_ key: String, _ value: String) -> String {
        var text = value.trimmingBlanks().lowercased()
        let lowerKey = key.lowercased()
        guard lowerKey.contains("host") || lowerKey.contains("url") || lowerKey.contains("address") else { return text }
        for scheme in ["http://", "https://"] where text.hasPrefix(scheme) { text.removeFirst(scheme.count) }
        while text.hasSuffix("/") { text.removeLast() }
        // Ollama's port is the default one.
        if text.hasSuffix(":11434") { text.removeLast(":11434".count) }
        if ["127.0.0.1", "localhost", "::1", "[::1]"].contains(text) { return "localhost" }
        return text
    }
}

extension String {
    fileprivate func trimmingBlanks() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
