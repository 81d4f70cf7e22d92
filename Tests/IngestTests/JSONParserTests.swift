import Records
import Testing

@testable import Ingest

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test func parsesValuesKeepingKeyOrder() throws {
        let value = try parse(#"{"b": [1, 2.5, -3e2], "a": {"t": true, "f": false, "n": null}, "s": "x"}"#)
        #expect(value.members?.map(\.0) == ["b", "a", "s"])
        #expect(value["b"]?.elements?.compactMap(\.double) == [1, 2.5, -300])
        #expect(value["a"]?["t"]?.bool == true)
        #expect(value["a"]?["n"]?.isNull == true)
    }

    /// A key written twice reads as its last value everywhere, as Python's
    /// `json` reads it: a baseline's model and a run's figures alike.
    @Test func aKeyWrittenTwiceIsItsLastValue() throws {
        let twice = try parse(#"{"a": 1, "b": 0, "a": 2}"#)
        #expect(twice["a"]?.double == 2)
        // Once, where it was first written: every reader of the members sees one value.
        #expect(twice.members?.map(\.key) == ["a", "b"] && twice.members?.first?.value.double == 2)
        let wide = try parse("{" + (0..<40).map { #""k\#($0)": \#($0)"# }.joined(separator: ", ") + #", "k3": 99}"#)
        #expect(wide.members?.count == 40 && wide["k3"]?.double == 99)
        let baseline = try ParsedText.extract(
            #"{"model":"first:1b","model":"last:1b","results":[{"prompt":"p","ttft_s":0.1,"tokens_s":11,"tokens_s":99}]}"#, "b.json")
        #expect(baseline.runSets.first?.model == "last:1b" && baseline.runSets.first?.runs.first?.tokensPerSecond == 99)
        let runs = try ParsedText.extract(
            #"[{"model":"first:1b","model":"last:1b","prompt":"p","ttft_s":0.1,"tokens_s":11,"tokens_s":99,"error":""}]"#, "a.json")
        #expect(runs.runSets.first?.model == "last:1b" && runs.runSets.first?.runs.first?.tokensPerSecond == 99)
    }

    /// A string longer than what a document's values may take fails the
    /// document before it is made: it would be a second copy of its file.
    @Test func aStringPastTheValuesCeilingFailsBeforeItIsMade() throws {
        let text = Array(#"{"model":""#.utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: JSONParser.maximumTreeBytes + 1) + Array(#""}"#.utf8)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
        let escaped =
            Array(#"{"model":"\n"#.utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: JSONParser.maximumTreeBytes + 1) + Array(#""}"#.utf8)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(escaped) }
        // Every character escaped: the string's written length still bounds it.
        let slashes =
            Array(#"{"model":""#.utf8) + Array(repeating: Array(#"\/"#.utf8), count: JSONParser.maximumTreeBytes / 2 + 1).flatMap { $0 }
            + Array(#""}"#.utf8)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(slashes) }
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try parse(#"["a\"b\\c\/d\n", "\u00e9\ud83d\ude00"]"#)
        #expect(value.elements?[0].string == "a\"b\\c/d\n")
        #expect(value.elements?[1].string == "é😀")
    }

    @Test func acceptsPythonNaNAsNull() throws {
        #expect(try parse(#"{"x": NaN, "y": -Infinity}"#)["x"]?.isNull == true)
    }

    /// llama-bench writes its numbers with C++'s `std::to_string`, unquoted:
    /// a standard deviation that came out NaN is `"stddev_ts": -nan`, and
    /// the whole file (its other tests beside) was skipped as malformed.
    @Test func acceptsCNanAndInfAsNull() throws {
        let value = try parse(#"{"a": nan, "b": -nan, "c": inf, "d": -inf, "e": null, "f": [1, -5, nan]}"#)
        for key in ["a", "b", "c", "d", "e"] { #expect(value[key]?.isNull == true, "\(key)") }
        #expect(value["f"]?.elements?.map(\.double) == [1, -5, nil])
        var notes: [String] = []
        _ = try Array(#"{"stddev_ts": -nan, "avg_ts": 7100.0}"#.utf8).withUnsafeBufferPointer { (buffer) throws(JSONParser.Failure) in
            try JSONParser.parse(buffer, notes: &notes)
        }
        #expect(notes == ["1 NaN or Infinity was read as no value (at line 1, column 15)"])
        // Not a word that starts like one.
        #expect(throws: JSONParser.Failure.self) { try parse(#"{"x": nano}"#) }
        #expect(throws: JSONParser.Failure.self) { try parse(#"{"x": -nul}"#) }
    }

    @Test("a run file's NaN and Infinity are no values, and its notes say how many and where the first is")
    func notesNonFiniteNumbers() throws {
        let runs = """
            [{"model": "m", "prompt": "a", "ttft_s": 0.1, "tokens_s": 40.5},
             {"model": "m", "prompt": "b", "ttft_s": 0.1, "tokens_s": NaN},
             {"model": "m", "prompt": "c", "ttft_s": -Infinity, "tokens_s": 41}]
            """
        let e = try ParsedText.extract(runs, "runs.json")
        #expect(e.runSets.first?.runs.map(\.tokensPerSecond) == [40.5, nil, 41])
        #expect(e.notes.contains("2 NaN or Infinity values were read as no value (the first at line 2, column 59)"), "\(e.notes)")
        var notes: [String] = []
        _ = try Array(#"{"x": Infinity}"#.utf8).withUnsafeBufferPointer { (buffer) throws(JSONParser.Failure) in
            try JSONParser.parse(buffer, notes: &notes)
        }
        #expect(notes == ["1 NaN or Infinity was read as no value (at line 1, column 7)"])
    }

    @Test func locatesTruncation() {
        #expect(
            throws: JSONParser.Failure(
                line: 3, column: 4, message: "unexpected end of file inside an array (truncated JSON?)", isTruncated: true)
        ) {
            try parse("{\n \"a\": [1,\n  2")
        }
    }

    /// A hand-edited file's trailing comma is named as one, where it ends.
    @Test func namesATrailingComma() throws {
        let array = "a trailing comma before ']' (JSON allows none after the last element)"
        #expect(throws: JSONParser.Failure(line: 4, column: 1, message: array)) { try parse("[\n  {\"a\": 1},\n  {\"a\": 2},\n]") }
        let object = "a trailing comma before '}' (JSON allows none after the last member)"
        #expect(throws: JSONParser.Failure(line: 1, column: 18, message: object)) { try parse(#"{"a": 1, "b": 2, }"#) }
        // Empty ones are no trailing comma.
        #expect(try parse("[]").elements?.isEmpty == true)
        #expect(try parse("{ }").members?.isEmpty == true)
    }

    @Test func locatesBadLiteral() {
        #expect(throws: JSONParser.Failure(line: 2, column: 7, message: "invalid literal, expected true")) {
            try parse("{\"a\": 1,\n \"b\": tru}")
        }
    }

    @Test func rejectsTrailingContent() {
        #expect(throws: JSONParser.Failure(line: 1, column: 7, message: "unexpected content after the JSON value", isTrailingContent: true)) {
            try parse("[1,2] x")
        }
    }

    @Test func keepsAHugeIntegerAsATooLargeNumberWithAReason() throws {
        // RFC 8259 allows any number of digits; no Double holds 5,000 of them.
        let digits = "1" + String(repeating: "0", count: 4999)
        var notes: [String] = []
        let text = Array("{\"id\": 7,\n \"n\": \(digits)}".utf8)
        let value = try text.withUnsafeBufferPointer { (buffer) throws(JSONParser.Failure) in
            try JSONParser.parse(buffer, notes: &notes)
        }
        #expect(value["n"] == .tooLargeNumber("100000000000…(5000 digits)"))
        #expect(value["n"]?.double == nil)
        #expect(value["id"]?.double == 7)
        #expect(notes == ["1 number too large for a 64-bit float was left out (5000 digits, at line 2, column 7)"])
    }

    @Test func readsLongNumbersThatFitADouble() throws {
        let long = "0." + String(repeating: "3", count: 600)
        #expect(try parse("[\(long), -1e400, 1e-400]").elements?.map(\.double) == [Double(long), nil, 0])
    }

    @Test func stillRefusesWhatIsNoNumber() {
        #expect(throws: JSONParser.Failure(line: 1, column: 2, message: "invalid number")) { try parse("[1.2.3]") }
        #expect(throws: JSONParser.Failure(line: 1, column: 2, message: "invalid number")) {
            try parse("[" + String(repeating: "9", count: 600) + ".]")
        }
    }

    @Test func cutsLongKeysAndKeepsLongStringsWhole() throws {
        let key = String(repeating: "k", count: 5000)
        let text = String(repeating: "t", count: 5000)
        var notes: [String] = []
        let bytes = Array("{\"\(key)\": \"\(text)\"}".utf8)
        let value = try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParser.Failure) in
            try JSONParser.parse(buffer, notes: &notes)
        }
        let member = try #require(value.members?.first)
        #expect(member.0 == String(repeating: "k", count: 4096) + "…")
        // The value is held whole (its hash identifies it); its text is taken cut.
        #expect(member.1 == .string(text))
        #expect(member.1.string == String(repeating: "t", count: 4096) + "…")
        // Who keeps a cut text notes it (ContentParser), not the parser.
        #expect(notes.isEmpty)
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParser.Failure.self) { try parse(deep) }
    }
}
