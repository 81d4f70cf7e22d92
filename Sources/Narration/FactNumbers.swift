/// The numbers a sheet grounds, ready for matching claims against.
///
/// - A figure matches a fact when it is the fact at the digits shown, or a
///   rounding of it to fewer digits: `68.43` is matched by `68.43`, `68.4`
///   and `68` (rounded half away from zero, from the digits shown or from the
///   exact value), never by `68.432` (more digits than shown: invented
///   precision) nor by `70` (a trailing zero is a digit: `70` means 70±0.5).
///   `1.2k` stands for 1200 at a resolution of 100. Signs are not compared.
/// - A percentage (`30%`, `30 percent`) matches a percentage fact, or is
///   |a−b|/b or a/b (×100) of two facts of one family (the same metric of
///   comparable subjects: every group's median tok/s; TTFT medians and cold
///   TTFTs; one compilation bench's backend means).
/// - A ratio (`2.1×`, `2x`, `3 times`) matches a ratio fact or a/b of two
///   facts of one family.
/// - Derived figures are compared within half a unit of the last digit written
///   (`2.1×` within 0.05, `30%` within 0.5), computed from the exact values or
///   from the digits shown, so rounding either way is accepted.
/// - A configuration value (`num_ctx=1024`, "60 layers" when a sweep had
///   num_gpu=60) and a number inside a quoted fact text (an error message's
///   `10049`) match when written as in the data.
/// - Money (`$1.9`) never matches: no benchmark fact is money.
struct FactNumbers: Sendable {
    struct Shown: Sendable {
        var value: Double
        var resolution: Double
        var exact: Double
        var unit: String
    }

    var shown: [Shown] = []
    /// Per family, the (exact, shown) values of its facts.
    var families: [String: [(exact: Double, shown: Double)]] = [:]
    var quoted: Set<String> = []

    init(_ sheet: FactSheet) {
        for fact in sheet.facts {
            guard let exact = fact.value else {
                quoted.formUnion(FactNumbers.numbers(in: fact.shown))
                continue
            }
            guard let parsed = FactNumbers.parseShown(fact.shown) else { continue }
            shown.append(Shown(value: parsed.value, resolution: parsed.resolution, exact: abs(exact), unit: fact.unit))
            if let family = fact.family { families[family, default: []].append((abs(exact), parsed.value)) }
        }
        for value in sheet.configurationValues { quoted.formUnion(FactNumbers.numbers(in: value)) }
        for row in sheet.rows { quoted.formUnion(FactNumbers.numbers(in: row.subject)) }
    }

    func grounds(_ claim: NumberClaim) -> Bool {
        if claim.isCurrency || claim.hasForeignUnit { return false }
        if claim.kind == .plain && quoted.contains(claim.digits) { return true }
        if claim.isAssignment { return quoted.contains(claim.digits) || matchesShown(claim) }
        switch claim.kind {
        case .plain: return matchesShown(claim)
        case .percent: return matchesShown(claim, unit: "%") || derives(claim, percent: true)
        case .ratio: return matchesShown(claim, unit: "×") || derives(claim, percent: false)
        }
    }

    private func matchesShown(_ claim: NumberClaim, unit: String? = nil) -> Bool {
        shown.contains { fact in
            if let unit, fact.unit != unit { return false }
            // Never more digits than the report shows.
            guard claim.resolution >= fact.resolution * (1 - 1e-9) else { return false }
            return FactNumbers.same(FactNumbers.round(fact.value, to: claim.resolution), claim.value, claim.resolution)
                || FactNumbers.same(FactNumbers.round(fact.exact, to: claim.resolution), claim.value, claim.resolution)
        }
    }

    private func derives(_ claim: NumberClaim, percent: Bool) -> Bool {
        let tolerance = claim.resolution / 2 + claim.resolution * 1e-9
        for members in families.values where members.count > 1 {
            for a in members {
                for b in members {
                    for (x, y) in [(a.exact, b.exact), (a.shown, b.shown)] where y != 0 {
                        let candidates = percent ? [abs(x - y) / y * 100, x / y * 100] : [x / y]
                        if candidates.contains(where: { abs($0 - claim.value) <= tolerance }) { return true }
                    }
                }
            }
        }
        return false
    }

    static func same(_ a: Double, _ b: Double, _ resolution: Double) -> Bool {
        abs(a - b) <= resolution * 1e-6
    }

    /// Half away from zero, nudged so that `68.45` shown rounds to `68.5` as a reader would.
    static func round(_ value: Double, to resolution: Double) -> Double {
        let scaled = value / resolution
        return (scaled + (scaled >= 0 ? 1e-9 : -1e-9) * max(1, abs(scaled))).rounded(.toNearestOrAwayFromZero) * resolution
    }

    /// `294.96` → (294.96, 0.01); `+12.3%` → (12.3, 0.1); `5.50×` → (5.5, 0.01); `< 0.001` → (0.001, 0.001).
    static func parseShown(_ text: String) -> (value: Double, resolution: Double)? {
        let number = text.filter { $0.isNumber || $0 == "." }
        guard let value = Double(number) else { return nil }
        let decimals = number.firstIndex(of: ".").map { number.distance(from: $0, to: number.endIndex) - 1 } ?? 0
        var resolution = 1.0
        for _ in 0..<decimals { resolution /= 10 }
        return (value, resolution)
    }

    /// The numbers written on their own in a text (`[WinError 10049]` gives
    /// `10049`; `gemma3` and `q4_0` give nothing: digits glued to letters name things).
    static func numbers(in text: String) -> [String] {
        var result: [String] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            guard characters[index].isASCII && characters[index].isNumber else {
                index += 1
                continue
            }
            let start = index
            while index < characters.count,
                characters[index].isASCII
                    && (characters[index].isNumber
                        || (characters[index] == "." && index + 1 < characters.count && characters[index + 1].isNumber))
            {
                index += 1
            }
            let glued = { (c: Character) in c.isLetter || c == "_" }
            let before = start > 0 ? characters[start - 1] : " "
            let after = index < characters.count ? characters[index] : " "
            if !glued(before) && !glued(after) { result.append(String(characters[start..<index])) }
        }
        return result
    }
}
