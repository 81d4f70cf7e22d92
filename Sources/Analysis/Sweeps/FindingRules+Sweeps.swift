import Records

/// A sweep's findings and recommendation. A best is recommended only when it
/// beats the run-to-run noise (`SweepNoise`); otherwise the report says no
/// configuration does, and how many runs would tell. Sampling settings are
/// never offered as speed settings unless their effect is beyond the noise.
extension FindingRules {
    static func sweepFindings(_ sweep: Sweep, _ findings: inout [Finding], _ recommendations: inout [Finding]) {
        guard let best = sweep.bestThroughput else { return }
        findings.append(bestFinding(sweep, best))
        if let effect = effectFinding(sweep) { findings.append(effect) }
        if let confound = confoundFinding(sweep) { findings.append(confound) }
        recommendations.append(recommendation(sweep, best))
    }

    /// "one run per configuration", or the fewest runs a configuration had.
    private static func runsPhrase(_ sweep: Sweep) -> (text: String, figures: [String])? {
        guard sweep.basis == "runs", let fewest = sweep.ranking.map(\.runs).min() else { return nil }
        return fewest == 1 ? ("one run per configuration", []) : ("as few as \(fewest) runs per configuration", [String(fewest)])
    }

    /// Where the noise figure was learnt, in words.
    private static func noiseSource(_ noise: Sweep.Noise, model: String) -> String {
        switch noise.source {
        case .repeatedRuns: "from the sweep's repeated runs"
        case .baselineRuns: "from \(model)'s runs outside the sweep"
        case .residual: "what the parameters' main effects leave unexplained"
        }
    }

    private static func bestFinding(_ sweep: Sweep, _ best: Sweep.Result) -> Finding {
        let basis = sweep.basis == "runs" ? "" : " (from the tool's own summary means)"
        let tps = Figures.tokensPerSecond(best.tokensPerSecond)
        let configurations = String(sweep.configurations)
        let ranked = String(sweep.ranking.count)
        let margin = sweep.bestMarginPercent.map(Figures.percent)
        var text: String
        var figures: [String]
        if let noise = sweep.noise, let interval = sweep.bestMarginInterval, let margin {
            let sd = Figures.percent(noise.sdPercent)
            let (low, high) = (Figures.signedPercent(interval.lower), Figures.signedPercent(interval.upper))
            let allowance = "allowing for picking the best of \(ranked) at a noise sd of \(sd) (\(noiseSource(noise, model: sweep.model)))"
            if sweep.bestBeatsNoise {
                text =
                    "Best throughput for \(sweep.model) across \(configurations) configurations\(basis): \(best.configuration.rendered) at \(tps) tok/s, \(margin) above the median configuration, beyond the run-to-run noise (95% interval \(low) to \(high), \(allowance))"
            } else {
                text =
                    "No configuration of \(sweep.model) beats the run-to-run noise across \(configurations) configurations\(basis): the fastest, \(best.configuration.rendered) at \(tps) tok/s, is \(margin) above the median configuration, but that margin's 95% interval, \(allowance), is \(low) to \(high), which includes zero"
            }
            figures = [configurations, tps, margin, "95%", ranked, sd, low, high]
        } else {
            text =
                "Best throughput for \(sweep.model) across \(configurations) configurations\(basis): \(best.configuration.rendered) at \(tps) tok/s"
            figures = [configurations, tps]
            if let margin {
                text += ", \(margin) above the median configuration"
                figures.append(margin)
            }
            if sweep.bestMarginPercent != nil {
                text +=
                    "; nothing measures the run-to-run noise (no repeated runs, no other runs of the model, too few configurations for a residual), so that may be chance"
            }
        }
        if let runs = runsPhrase(sweep), sweep.ranking.count > 1 {
            text += " (\(runs.text))"
            figures += runs.figures
        }
        if let ttftBest = sweep.bestTTFT, let ttft = ttftBest.ttftSeconds {
            let t = Figures.seconds(ttft)
            text += "; lowest warm TTFT: \(ttftBest.configuration.rendered) at \(t) s"
            figures.append(t)
        }
        return Finding(id: "sweep-best", text: text + ".", figures: figures)
    }

    /// The largest effect that is beyond the noise; with no noise estimate,
    /// the largest of the settings that are not sampling settings; else that
    /// none is beyond it.
    private static func effectFinding(_ sweep: Sweep) -> Finding? {
        func spread(_ effect: Sweep.Effect) -> Double { effect.mainEffectSpreadPercent ?? effect.throughputSpreadPercent ?? 0 }
        // The main effect is what the noise test judges; the level medians
        // (pooled over the other settings) are what the tables show.
        func described(_ effect: Sweep.Effect) -> (text: String, figures: [String])? {
            let levels = effect.levels.compactMap { level in level.tokensPerSecond.map { "\(level.value): \(Figures.tokensPerSecond($0))" } }
            let levelFigures = effect.levels.compactMap { $0.tokensPerSecond.map(Figures.tokensPerSecond) }
            if let main = effect.mainEffectSpreadPercent.map(Figures.percent) {
                return ("\(main) with the other settings held fixed (level medians \(levels.joined(separator: ", ")) tok/s)", [main] + levelFigures)
            }
            guard let s = effect.throughputSpreadPercent.map(Figures.percent) else { return nil }
            return ("\(s) across its values (\(levels.joined(separator: ", ")) tok/s)", [s] + levelFigures)
        }
        let measured = sweep.effects.filter { $0.throughputSpreadPercent != nil }
        guard !measured.isEmpty else { return nil }
        if sweep.noise != nil {
            let mixed = measured.filter { $0.beyondNoise && $0.confounded }.max(by: { spread($0) < spread($1) })
            if let effect = measured.filter({ $0.beyondNoise && !$0.confounded }).max(by: { spread($0) < spread($1) }),
                let moves = described(effect)
            {
                let within = measured.filter { !$0.beyondNoise }.map(\.parameter)
                var text = "For \(sweep.model), \(effect.parameter) moves throughput by \(moves.text), beyond the run-to-run noise"
                var figures = moves.figures
                if effect.sampling { text += " (a sampling setting: it changes what the model writes too)" }
                // The others beyond the noise, by their main effect: the sweep section named two, the finding one.
                let also = measured.filter { $0.beyondNoise && !$0.confounded && $0.parameter != effect.parameter }
                    .sorted { spread($0) > spread($1) }
                    .compactMap { other in
                        (other.mainEffectSpreadPercent ?? other.throughputSpreadPercent).map { (other.parameter, Figures.percent($0)) }
                    }
                if !also.isEmpty {
                    text += "; so \(also.count == 1 ? "does" : "do") " + also.map { "\($0.0) (\($0.1))" }.joined(separator: ", ")
                    figures += also.map(\.1)
                }
                if !within.isEmpty {
                    text += "; \(within.joined(separator: ", ")) \(within.count == 1 ? "does" : "do") not move it beyond the noise"
                }
                if let mixed, let s = (mixed.mainEffectSpreadPercent ?? mixed.throughputSpreadPercent).map(Figures.percent) {
                    text += "; \(mixed.parameter)'s \(s) is beyond it too, but its levels coincide with the cold starts"
                    figures.append(s)
                }
                return Finding(id: "sweep-effect", text: text + ".", figures: figures)
            }
            if let mixed, let moves = described(mixed) {
                return Finding(
                    id: "sweep-effect",
                    text:
                        "For \(sweep.model), only \(mixed.parameter) moves throughput beyond the run-to-run noise, by \(moves.text), and its levels coincide with the cold starts: the load, not the setting, may explain it.",
                    figures: moves.figures)
            }
            // Settings first: a sampling setting is named only when nothing else was swept.
            let settings = measured.filter { !$0.sampling }
            guard let effect = (settings.isEmpty ? measured : settings).max(by: { spread($0) < spread($1) }),
                let moves = described(effect)
            else { return nil }
            return Finding(
                id: "sweep-effect",
                text:
                    "For \(sweep.model), no swept parameter moves throughput beyond the run-to-run noise: the largest, \(effect.parameter), moves it by \(moves.text).",
                figures: moves.figures)
        }
        let settings = measured.filter { !$0.sampling }
        guard let effect = settings.max(by: { spread($0) < spread($1) }), let moves = described(effect) else {
            let names = measured.map(\.parameter).joined(separator: ", ")
            return Finding(
                id: "sweep-effect",
                text:
                    "For \(sweep.model), only sampling settings were swept (\(names)), and nothing measures the run-to-run noise: none is ranked as a speed setting.",
                figures: [])
        }
        return Finding(
            id: "sweep-effect",
            text:
                "For \(sweep.model), \(effect.parameter) moves throughput by \(moves.text), the most of the swept settings; nothing measures the run-to-run noise, so it may be chance.",
            figures: moves.figures)
    }

    /// Configurations measured only cold, and the parameter value they share
    /// when one does: then that parameter's effect is the load's as much as its own.
    private static func confoundFinding(_ sweep: Sweep) -> Finding? {
        let cold = sweep.confounds.filter(\.cold)
        if cold.isEmpty {
            guard let first = sweep.confounds.first else { return nil }
            return Finding(
                id: "sweep-confound",
                text:
                    "The first configuration of \(sweep.model)'s sweep, \(first.configuration.rendered), was measured only by its file's first run, and is slower than the median configuration: a load or warm-up may have slowed it.",
                figures: [])
        }
        let count = String(cold.count)
        var loads = cold.compactMap(\.loadSeconds)
        var text =
            "\(count) configuration\(cold.count == 1 ? "" : "s") of \(sweep.model) \(cold.count == 1 ? "was" : "were") measured only cold (every run loaded the model first"
        var figures = [count]
        if let load = Summary.quantile(&loads, 0.5) {
            let l = Figures.seconds(load)
            text += ", load median \(l) s"
            figures.append(l)
        }
        text += ")"
        let coldSet = Set(cold.map(\.configuration.rendered))
        var ending = "; their throughput mixes the setting with the load."
        for parameter in sweep.parameters {
            let values = Set(cold.map { $0.configuration[name: parameter] ?? "" })
            guard values.count == 1, let value = values.first, !value.isEmpty else { continue }
            let setting = Parameter(parameter, value)
            let withValue = Set(sweep.ranking.filter { $0.configuration[name: parameter] == value }.map(\.configuration.rendered))
            let name = [setting].rendered
            if withValue == coldSet {
                text += ": exactly the configurations with \(name)"
                ending = ", so \(parameter)'s effect is mixed with the load."
            } else {
                text += ", all with \(name)"
            }
            figures.append(name)
            break
        }
        return Finding(id: "sweep-confound", text: text + ending, figures: figures)
    }

    /// What to run: the best's settings that matter, when it beats the
    /// noise; else why not to pick one yet and what would tell.
    private static func recommendation(_ sweep: Sweep, _ best: Sweep.Result) -> Finding {
        let tps = Figures.tokensPerSecond(best.tokensPerSecond)
        let margin = sweep.bestMarginPercent.map(Figures.percent)
        if sweep.bestBeatsNoise, let interval = sweep.bestMarginInterval, let margin {
            let mattering = Set(sweep.effects.filter { $0.beyondNoise && !$0.confounded }.map(\.parameter))
            let swept = Set(sweep.parameters)
            var settings = best.configuration.filter { mattering.contains($0.name) }
            if settings.isEmpty { settings = best.configuration.filter { swept.contains($0.name) && !SweepNoise.isSampling($0.name) } }
            if settings.isEmpty { settings = best.configuration }
            let chosen = settings.rendered
            let (low, high) = (Figures.signedPercent(interval.lower), Figures.signedPercent(interval.upper))
            // The full best configuration is in the finding: here only the
            // settings that made a difference, so no noise is recommended.
            var text =
                "Run \(sweep.model) with \(chosen): its best configuration gave \(tps) tok/s, \(margin) above the median configuration (95% interval \(low) to \(high))"
            let figures = [chosen, tps, margin, "95%", low, high]
            let within = sweep.effects.filter { !$0.beyondNoise }.map(\.parameter)
            if !within.isEmpty {
                text += "; \(within.joined(separator: ", ")) made no difference beyond the noise"
            }
            let mixed = sweep.effects.filter { $0.beyondNoise && $0.confounded }.map(\.parameter)
            if !mixed.isEmpty {
                text += "; \(mixed.joined(separator: ", "))'s effect coincides with the cold starts"
            }
            return Finding(id: "best-config", text: text + ".", figures: figures)
        }
        let runs = runsPhrase(sweep)
        let withRuns = runs.map { ", with \($0.text)" } ?? ""
        var figures: [String] = []
        var text: String
        if let noise = sweep.noise {
            let sd = Figures.percent(noise.sdPercent)
            text = "Do not pick a configuration of \(sweep.model) on throughput yet: none beats the run-to-run noise (sd \(sd))\(withRuns)"
            figures = [sd] + (runs?.figures ?? [])
            if let needed = sweep.runsNeeded {
                let effect = Figures.percent(needed.effectPercent)
                let count = String(needed.runs)
                let fewest = sweep.ranking.map(\.runs).min() ?? 0
                if sweep.basis == "runs" && needed.runs <= fewest {
                    text += "; these runs would show a \(effect) difference, so no configuration is that much faster than the median one"
                    figures.append(effect)
                } else {
                    text += "; to see a \(effect) difference, about \(count) run\(needed.runs == 1 ? "" : "s") per configuration would be needed"
                    figures += [effect, count]
                }
            }
        } else {
            text =
                "Do not pick a configuration of \(sweep.model) on throughput yet: nothing measures the run-to-run noise, and the best (\(tps) tok/s)"
            figures = [tps]
            if let margin {
                text += " is \(margin) above the median configuration"
                figures.append(margin)
            } else {
                text += " has nothing to be compared with"
            }
            text += "\(withRuns); repeat each configuration at least \(enoughRuns) times"
            figures += (runs?.figures ?? []) + [String(enoughRuns)]
        }
        let cold = sweep.confounds.filter(\.cold).count
        if cold > 0 {
            text += "; measure each configuration warm (discard its first run after a load): \(cold) were measured only cold"
            figures.append(String(cold))
        }
        return Finding(id: "sweep-inconclusive", text: text + "; or choose on TTFT and memory.", figures: figures)
    }
}
