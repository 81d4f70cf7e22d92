import Records

/// Compilation benches' findings and recommendations. Each names its context,
/// the bench's model with the parameters that tell it from the others (batch
/// size, sequence length, device, whatever differs between two benches of the
/// model) and the file it came from, so no two read alike unless they say the
/// same thing about the same context; those are said once, with every file.
extension FindingRules {
    /// Parameters that always say what a bench ran: the workload's size and
    /// where it ran.
    static let compilationContextKeys: Set<String> = [
        "batch_size", "batch", "bs", "seq_len", "seq_length", "sequence_length", "max_seq_len", "seqlen", "device",
    ]

    /// Parameters that say how a bench was timed, not what it ran: never part
    /// of its context.
    static let compilationTimingKeys: Set<String> = ["runs", "warmup_runs", "warmup", "iterations", "repeats", "repetitions"]

    /// One statement's occurrence: the file it holds in, what it says there,
    /// and the figures that says.
    struct Located {
        var source: String
        var detail: String
        var figures: [String]
    }

    /// Statements keyed by what they say and about which context, in the order
    /// they were first made.
    struct Statements {
        private(set) var keys: [String] = []
        private(set) var heads: [String: String] = [:]
        private(set) var parts: [String: [Located]] = [:]

        mutating func add(_ key: String, head: String, _ part: Located) {
            if parts[key] == nil {
                keys.append(key)
                heads[key] = head
            }
            parts[key, default: []].append(part)
        }
    }

    /// Each bench's context label: its model, then the parameters that say
    /// what it ran (`compilationContextKeys`) and those that differ between
    /// the benches of that model, in the bench's order: `mlp (batch_size=4,
    /// device=cpu)`. A bench with neither shows all its parameters but the
    /// timing ones.
    static func compilationContexts(_ benches: [CompilationBench]) -> [String] {
        let byModel = Dictionary(grouping: benches, by: \.model)
        return benches.map { bench in
            let siblings = byModel[bench.model] ?? []
            let candidates = bench.parameters.filter { !compilationTimingKeys.contains($0.name.lowercased()) }
            let differing = candidates.filter { parameter in
                siblings.contains { $0.parameters[name: parameter.name] != parameter.value }
            }
            var shown = candidates.filter { compilationContextKeys.contains($0.name.lowercased()) || differing.contains($0) }
            if shown.isEmpty { shown = candidates }
            return shown.isEmpty ? bench.model : "\(bench.model) (\(shown.rendered))"
        }
    }

    static func compilation(_ facts: Facts, _ findings: inout [Finding], _ recommendations: inout [Finding]) {
        let benches = facts.compilation
        let contexts = compilationContexts(benches)
        var fastest = Statements()
        var serve = Statements()
        var slower = Statements()
        var failures: [(context: String, message: String, backend: String, source: String)] = []
        for (bench, context) in zip(benches, contexts) {
            if let fastestName = bench.fastest, let best = bench.backends.first(where: { $0.backend == fastestName }),
                let mean = best.meanMilliseconds
            {
                let m = Figures.milliseconds(mean)
                var detail = "\(m) ms mean"
                var figures = [m]
                let key = context + "\u{0}" + fastestName
                if let speedup = best.speedupVersusEager, fastestName != "eager",
                    let eager = bench.backends.first(where: { $0.backend == "eager" })?.meanMilliseconds
                {
                    let s = Figures.ratio(speedup)
                    let e = Figures.milliseconds(eager)
                    detail += ", \(s) faster than eager (\(e) ms)"
                    figures += [s, e]
                    serve.add(
                        key, head: "Serve \(context) with \(fastestName), as measured",
                        Located(source: bench.source, detail: "\(m) ms against \(e) ms eager (\(s))", figures: [m, e, s]))
                }
                fastest.add(
                    key, head: "\(fastestName) is the fastest backend for \(context)", Located(source: bench.source, detail: detail, figures: figures)
                )
            }
            for backend in bench.backends where !backend.succeeded {
                failures.append((context, short(backend.error ?? "no error text"), backend.backend, bench.source))
            }
            let slow = bench.backends.filter { $0.succeeded && ($0.speedupVersusEager ?? 1) < 1 && $0.speedupVersusEager != nil }
            guard !slow.isEmpty else { continue }
            var details: [String] = []
            var figures: [String] = []
            for (index, backend) in slow.enumerated() {
                let s = Figures.ratio(backend.speedupVersusEager ?? 1)
                // One backend is named in the head; several, each in its part.
                var detail = (slow.count == 1 ? "" : "\(backend.backend) ") + s + (index == 0 ? " of eager speed" : "")
                figures.append(s)
                if let compile = backend.compileSeconds {
                    let c = Figures.seconds(compile)
                    detail += index == 0 ? " after \(c) s of compilation" : " after \(c) s"
                    figures.append(c)
                }
                details.append(detail)
            }
            let names = slow.map(\.backend)
            slower.add(
                context + "\u{0}" + names.joined(separator: "\u{0}"),
                head: "\(listed(names)) \(names.count == 1 ? "is" : "are") slower than eager for \(context)",
                Located(source: bench.source, detail: details.joined(separator: ", "), figures: figures))
        }
        for key in fastest.keys {
            findings.append(statement("compile-fastest", fastest.heads[key] ?? "", fastest.parts[key] ?? []))
        }
        findings += failed(failures)
        for key in slower.keys {
            findings.append(statement("compile-slower", slower.heads[key] ?? "", slower.parts[key] ?? []))
        }
        for key in serve.keys {
            recommendations.append(statement("compile-backend", serve.heads[key] ?? "", serve.parts[key] ?? []))
        }
    }

    /// Backends that failed in a context with one message: one finding for
    /// the backends that failed in the same files, naming them all.
    private static func failed(_ failures: [(context: String, message: String, backend: String, source: String)]) -> [Finding] {
        struct Failure: Hashable {
            var context: String
            var message: String
            var backend: String
        }
        struct Group: Hashable {
            var context: String
            var message: String
            var sources: [String]
        }
        // The files each backend failed in, per context and message.
        var order: [Failure] = []
        var sources: [Failure: [String]] = [:]
        for failure in failures {
            let key = Failure(context: failure.context, message: failure.message, backend: failure.backend)
            if sources[key] == nil { order.append(key) }
            if sources[key]?.contains(failure.source) != true { sources[key, default: []].append(failure.source) }
        }
        var groups: [Group] = []
        var backends: [Group: [String]] = [:]
        for key in order {
            let group = Group(context: key.context, message: key.message, sources: sources[key] ?? [])
            if backends[group] == nil { groups.append(group) }
            backends[group, default: []].append(key.backend)
        }
        return groups.map { group in
            statement(
                "compile-failed", "\(listed(backends[group] ?? [])) failed for \(group.context)",
                group.sources.map { Located(source: $0, detail: "\"\(group.message)\"", figures: []) })
        }
    }

    /// `head`, where it holds and what it says there, as one finding: "in
    /// a.json: detail"; for several files "in 2 files (a.json, b.json):
    /// detail" when they say the same, else "in 2 files: detail in a.json;
    /// other detail in b.json". Paths are figures, as in every finding that
    /// names a file.
    static func statement(_ id: String, _ head: String, _ parts: [Located]) -> Finding {
        var sources: [String] = []
        var details: [String] = []
        var byDetail: [String: (sources: [String], figures: [String])] = [:]
        for part in parts {
            if !sources.contains(part.source) { sources.append(part.source) }
            if byDetail[part.detail] == nil {
                details.append(part.detail)
                byDetail[part.detail] = ([], part.figures)
            }
            if byDetail[part.detail]?.sources.contains(part.source) == false { byDetail[part.detail]?.sources.append(part.source) }
        }
        let files = sources.count
        var figures: [String] = []
        var text = head
        if details.count == 1, let detail = details.first {
            let list = fileList(sources)
            text += files == 1 ? " in \(list.text): \(detail)" : " in \(files) files (\(list.text)): \(detail)"
            figures += (files == 1 ? [] : [String(files)]) + list.figures + (byDetail[detail]?.figures ?? [])
        } else {
            // Each detail with the files it holds in.
            if files > 1 { figures.append(String(files)) }
            let each = details.map { detail in
                let holding = byDetail[detail] ?? ([], [])
                let list = fileList(holding.sources)
                figures += holding.figures + list.figures
                return "\(detail) in \(list.text)"
            }
            text += (files == 1 ? ": " : " in \(files) files: ") + each.joined(separator: "; ")
        }
        return Finding(id: id, text: text + ".", figures: figures)
    }

    /// Files a statement names; the rest are counted.
    static let fileListLimit = 3

    /// The first files and a count of the rest, with the figures that shows.
    private static func fileList(_ sources: [String]) -> (text: String, figures: [String]) {
        guard sources.count > fileListLimit else { return (sources.joined(separator: ", "), sources) }
        let more = String(sources.count - fileListLimit)
        let shown = Array(sources.prefix(fileListLimit))
        return (shown.joined(separator: ", ") + " and \(more) more", shown + [more])
    }

    /// `a`, `a and b`, `a, b and c`.
    static func listed(_ items: [String]) -> String {
        guard items.count > 1, let last = items.last else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + last
    }
}
