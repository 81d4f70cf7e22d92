@testable import ModelBackends
import Testing

/// The NDJSON splitter on the ways network buffers cut a stream.
@Suite("Ollama NDJSON lines")
struct OllamaNDJSONLinesTests {
    @Test("a line cut across buffers, inside a UTF-8 character, comes out whole")
    func cutLine() {
        var lines = NDJSONLines()
        let bytes = Array("{\"content\":\"µs\"}\n".utf8)
        let cut = bytes.firstIndex(of: 0xC2).map { $0 + 1 } ?? 0  // between µ's two bytes
        #expect(lines.feed(bytes[..<cut]) == [])
        #expect(lines.feed(bytes[cut...]) == [#"{"content":"µs"}"#])
    }

    @Test("several lines in one buffer, CRLF endings and blank lines")
    func severalLines() {
        var lines = NDJSONLines()
        #expect(lines.feed(Array("{\"a\":1}\r\n\r\n\n{\"b\":2}\n  \n{\"c\"".utf8)) == [#"{"a":1}"#, #"{"b":2}"#])
        #expect(lines.feed(Array(":3}\r\n".utf8)) == [#"{"c":3}"#])
        #expect(lines.finish() == nil)
    }

    @Test("a last line without its newline still counts at the end")
    func unterminatedLastLine() {
        var lines = NDJSONLines()
        #expect(lines.feed(Array("{\"done\":true}".utf8)) == [])
        #expect(lines.finish() == #"{"done":true}"#)
    }
}
