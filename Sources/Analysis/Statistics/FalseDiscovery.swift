/// Adjusting many p-values at once, so that a report testing hundreds of
/// groups does not call the 5% that are significant by chance regressions.
package enum FalseDiscovery {
    /// Benjamini-Hochberg adjusted p-values (q-values), in the input's order.
    ///
    /// q of the i-th smallest of m p-values is the minimum over j ≥ i of
    /// p₍ⱼ₎ · m / j, capped at 1: monotone in p, and calling "q < α" a discovery
    /// keeps the expected share of false discoveries below α (for independent
    /// or positively dependent tests). Equal to SciPy's
    /// `false_discovery_control(p, method='bh')` and statsmodels'
    /// `multipletests(p, method='fdr_bh')`.
    ///
    /// A NaN p-value (a test that could not be run) gets a NaN q-value and is
    /// not counted in m, so it neither dilutes nor takes part in the others'
    /// adjustment. p-values are expected in [0, 1] and are not checked.
    package static func benjaminiHochberg(_ pValues: [Double]) -> [Double] {
        var adjusted = [Double](repeating: .nan, count: pValues.count)
        // Positions of the real p-values, ascending by p (ties by position,
        // which does not change the result: tied p-values get the same q).
        let order = pValues.indices.filter { !pValues[$0].isNaN }.sorted {
            pValues[$0] < pValues[$1] || (pValues[$0] == pValues[$1] && $0 < $1)
        }
        let m = Double(order.count)
        // From the largest down, carrying the running minimum.
        var running = 1.0
        for (rank, index) in order.enumerated().reversed() {
            running = min(running, pValues[index] * m / Double(rank + 1))
            adjusted[index] = running
        }
        return adjusted
    }
}
