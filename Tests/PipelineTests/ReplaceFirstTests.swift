import Testing

@testable import Pipeline

/// The report's timing placeholder is replaced in place, once, by bytes.
@Suite struct ReplaceFirstTests {
    @Test func aQuotedPlaceholderIsReplacedWithItsQuotes() {
        var json = #"{"name": "x@@p@@", "other": "@@p@@y", "report_seconds": "@@p@@"}"#
        json.replaceFirst("@@p@@", with: "0.25", quoted: true)
        // Occurrences inside longer strings are left alone.
        #expect(json == #"{"name": "x@@p@@", "other": "@@p@@y", "report_seconds": 0.25}"#)
    }

    @Test func anUnquotedPlaceholderIsReplacedWhereItFirstStands() {
        var markdown = "took @@p@@ s; again @@p@@"
        markdown.replaceFirst("@@p@@", with: "0.25")
        #expect(markdown == "took 0.25 s; again @@p@@")
        var none = "no placeholder \"here\""
        none.replaceFirst("@@p@@", with: "0.25", quoted: true)
        #expect(none == "no placeholder \"here\"")
    }
}
