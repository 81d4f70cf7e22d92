import Records

extension FindingRules {
    /// A model's configuration seen for the first time since the last
    /// report (an option added to the harness, `num_ctx=8192`) has no
    /// sessions of its own before it, so no session test speaks of it, and
    /// a night 20% slower under it was said nowhere. The finding sets its
    /// figure beside the model's most-run configuration that is not new,
    /// naming what differs: said, never tested, as the settings differ.
    static func newConfigurations(_ facts: Facts, _ findings: inout [Finding]) {
        let new = Set(facts.changes.newGroups)
        guard !new.isEmpty else { return }
        var said = 0
        for group in facts.runGroups where new.contains(group.key) && !group.isSweep && said < 3 {
            let earlier = facts.runGroups.filter { $0.model == group.model && !$0.isSweep && !new.contains($0.key) }
            guard let now = group.tokensPerSecond.median, let nearest = earlier.max(by: { $0.runsOK < $1.runsOK }),
                let before = nearest.tokensPerSecond.median, before > 0
            else { continue }
            let nowText = Figures.tokensPerSecond(now)
            let beforeText = Figures.tokensPerSecond(before)
            let change = Figures.signedPercent((now / before - 1) * 100)
            let differences = FindingRules.differences(group.configuration, from: nearest.configuration)
            let source = group.sources.last ?? ""
            findings.append(
                Finding(
                    id: "new-configuration",
                    text:
                        "\(group.model) ran under a new configuration (\(differences)) in \(source): \(nowText) tok/s, \(change) against \(beforeText) tok/s of its most-run one (\(nearest.configuration.isEmpty ? "no settings" : nearest.configuration.rendered)); not tested, as the settings differ.",
                    figures: [nowText, change, beforeText, source]))
            said += 1
        }
    }

    /// What `configuration` sets otherwise than `other`: `num_ctx=8192`,
    /// and `top_k unset` for what only `other` sets.
    static func differences(_ configuration: [Parameter], from other: [Parameter]) -> String {
        let before = Dictionary(other.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        let names = Set(configuration.map(\.name))
        let changed = configuration.filter { before[$0.name] != $0.value }.map { "\($0.name)=\($0.value)" }
        let unset = other.filter { !names.contains($0.name) }.map { "\($0.name) unset" }
        return (changed + unset).joined(separator: ", ")
    }
}
