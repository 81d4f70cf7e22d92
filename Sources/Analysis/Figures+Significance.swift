extension Figures {
    /// A p-value as reports show it: `< 0.001`, else three decimals (two from
    /// 0.1 up), with more when rounding would carry it across α and so
    /// contradict its own verdict (0.04996 is shown as 0.04996, not 0.050).
    package static func pValue(_ p: Double, alpha: Double = MannWhitney.alpha) -> String {
        if p < 0.001 { return "< 0.001" }
        var decimals = p >= 0.1 ? 2 : 3
        var text = fixed(p, decimals)
        while decimals < 8, let shown = Double(text), (shown < alpha) != (p < alpha) {
            decimals += 1
            text = fixed(p, decimals)
        }
        return text
    }

    /// `p = 0.003` or `p < 0.001`.
    package static func pClause(_ p: Double) -> String {
        let value = pValue(p)
        return value.hasPrefix("<") ? "p " + value : "p = " + value
    }
}
