import Testing

@testable import Analysis

/// How figures are written in the Markdown and the narrative.
@Suite struct FiguresTests {
    @Test func aValueThatIsNoNumberIsADashAsJSONsNullIs() {
        #expect(Figures.fixed(.infinity, 2) == "—")
        #expect(Figures.fixed(-.infinity, 2) == "—")
        #expect(Figures.fixed(.nan, 3) == "—")
        #expect(Figures.tokensPerSecond(.infinity) == "—")
        // Not "+—%" or "—×": the unit goes with the number.
        #expect(Figures.signedPercent(.infinity) == "—" && Figures.percent(.nan) == "—" && Figures.ratio(-.infinity) == "—")
        #expect(Figures.signedPercent(-19.25) == "-19.2%" && Figures.signedPercent(3) == "+3.0%")
    }

    @Test func aHugeValueIsScientificNotAThreeHundredDigitFigure() {
        #expect(Figures.fixed(1.7e308, 2) == "1.700e+308")
        #expect(Figures.fixed(-2.5e20, 2) == "-2.500e+20")
        #expect(Figures.fixed(78.434, 2) == "78.43")
        #expect(Figures.fixed(999_999_999_999_999, 0) == "999999999999999")
        #expect(Figures.fixed(1e15, 0) == "1.000e+15")
        #expect(Figures.fixed(123_456_789_012.5, 1) == "123456789012.5")
    }
}
