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

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try parse(#"["a\"b\\c\/d\n", "\u00e9\ud83d\ude00"]"#)
        #expect(value.elements?[0].string == "a\"b\\c/d\n")
        #expect(value.elements?[1].string == "é😀")
    }

    @Test func acceptsPythonNaNAsNull() throws {
        #expect(try parse(#"{"x": NaN, "y": -Infinity}"#)["x"]?.isNull == true)
    }

    @Test func locatesTruncation() {
        #expect(throws: JSONParser.Failure(line: 3, column: 4, message: "unexpected end of file inside an array (truncated JSON?)")) {
            try parse("{\n \"a\": [1,\n  2")
        }
    }

    @Test func locatesBadLiteral() {
        #expect(throws: JSONParser.Failure(line: 2, column: 7, message: "invalid literal, expected true")) {
            try parse("{\"a\": 1,\n \"b\": tru}")
        }
    }

    @Test func rejectsTrailingContent() {
        #expect(throws: JSONParser.Failure(line: 1, column: 7, message: "unexpected content after the JSON value")) {
            try parse("[1,2] x")
        }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParser.Failure.self) { try parse(deep) }
    }
}
