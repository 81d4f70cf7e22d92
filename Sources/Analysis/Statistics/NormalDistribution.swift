import Foundation

/// The standard normal distribution: Φ and its inverse, for the normal
/// approximations of the rank statistics and for power calculations.
///
/// `MannWhitney` computes its normal tail inline with `erfc` and has no CDF of
/// its own to share; this is the one place for both directions.
package enum NormalDistribution {
    /// Φ(x) = P(Z ≤ x), through `erfc` so the lower tail keeps its relative
    /// precision far out (Φ(-30) ≈ 5e-198, not 0).
    package static func cdf(_ x: Double) -> Double {
        0.5 * erfc(-x / 2.0.squareRoot())
    }

    /// Φ⁻¹(p): Wichura's algorithm AS 241 (PPND16, Applied Statistics 37,
    /// 1988), relative error about 1e-16 over the whole range.
    ///
    /// -∞ at 0, +∞ at 1, NaN outside [0, 1] or for NaN.
    package static func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        let q = p - 0.5
        if abs(q) <= 0.425 {
            // The central region, a rational function of 0.180625 - q².
            let r = 0.180625 - q * q
            return q * horner(central.numerator, r) / horner(central.denominator, r)
        }
        // The tails, a rational function of √(-log(tail)), with one
        // approximation up to a tail of about e^-25 and one beyond.
        let tail = q < 0 ? p : 1 - p
        let r = (-log(tail)).squareRoot()
        let magnitude =
            r <= 5
            ? horner(intermediate.numerator, r - 1.6) / horner(intermediate.denominator, r - 1.6)
            : horner(far.numerator, r - 5) / horner(far.denominator, r - 5)
        return q < 0 ? -magnitude : magnitude
    }

    /// c₀ + c₁x + … + cₖxᵏ, coefficients from the constant term up.
    private static func horner(_ coefficients: [Double], _ x: Double) -> Double {
        coefficients.reversed().reduce(0) { $0 * x + $1 }
    }

    /// AS 241's coefficients, constant term first.
    private struct Rational {
        let numerator: [Double]
        let denominator: [Double]
    }

    private static let central = Rational(
        numerator: [
            3.3871328727963666080e0, 1.3314166789178437745e2, 1.9715909503065514427e3, 1.3731693765509461125e4,
            4.5921953931549871457e4, 6.7265770927008700853e4, 3.3430575583588128105e4, 2.5090809287301226727e3,
        ],
        denominator: [
            1, 4.2313330701600911252e1, 6.8718700749205790830e2, 5.3941960214247511077e3,
            2.1213794301586595867e4, 3.9307895800092710610e4, 2.8729085735721942674e4, 5.2264952788528545610e3,
        ])

    private static let intermediate = Rational(
        numerator: [
            1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0, 3.64784832476320460504e0,
            1.27045825245236838258e0, 2.41780725177450611770e-1, 2.27238449892691845833e-2, 7.74545014278341407640e-4,
        ],
        denominator: [
            1, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
            1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4, 1.05075007164441684324e-9,
        ])

    private static let far = Rational(
        numerator: [
            6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0, 2.96560571828504891230e-1,
            2.65321895265761230930e-2, 1.24266094738807843860e-3, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
        ],
        denominator: [
            1, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
            7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7, 2.04426310338993978564e-15,
        ])
}
