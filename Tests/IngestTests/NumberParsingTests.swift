import Testing

@testable import Ingest

@Suite struct NumberParsingTests {
    private func parse(_ text: String) -> Double? {
        NumberParsing.double(Substring(text))
    }

    @Test(arguments: [
        "0", "1", "-2", "3.25", "101.04101744413546", "0.12506040000000002", "1e-3", "-4.5E+2", "  7.5 ",
        "123456789012345678901234567890", "2.2250738585072014e-308", "0.1", "9007199254740993", "1.7976931348623157e308",
    ])
    func agreesWithTheStandardLibrary(_ text: String) {
        let trimmed = text.trimmingBlanks()
        #expect(parse(text) == Double(trimmed))
    }

    @Test func agreesOnRandomDecimals() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let value = Double.random(in: -1e6...1e6, using: &generator)
            for text in ["\(value)", String(Int64(value)), "\(value / 1e9)"] {
                #expect(parse(text) == Double(text), "\(text)")
            }
        }
    }

    @Test(arguments: ["", " ", "abc", "1.2.3", "inf", "nan", "0x1p3", "1e", "--1", "1,5", "NaN"])
    func rejectsWhatIsNotADecimal(_ text: String) {
        #expect(parse(text) == nil)
    }
}
