@testable import ModelBackends
import Testing

/// The SSE splitter: events cut anywhere by the network still come out whole.
@Suite("Server-sent events")
struct ServerSentEventsTests {
    @Test("events split across reads, CRLF lines, a UTF-8 character cut in two, comments and an unterminated end")
    func splitting() {
        let text = ": keep-alive\r\ndata: {\"a\":\"é\"}\r\n\r\nevent: x\ndata: line one\ndata: line two\n\nerror: {\"message\":\"m\"}\n\ndata: [DONE]"
        let bytes = Array(text.utf8)
        var events = ServerSentEvents()
        var seen: [ServerSentEvents.Event] = []
        // One byte at a time: every cut, including inside "é", is exercised.
        for byte in bytes { seen += events.feed([byte]) }
        seen += events.finish()
        #expect(seen == [.data(#"{"a":"é"}"#), .data("line one\nline two"), .error(#"{"message":"m"}"#), .data("[DONE]")])
        #expect(events.strayLines.isEmpty)
    }

    @Test("lines that are no SSE field are kept aside as stray")
    func stray() {
        var events = ServerSentEvents()
        let seen = events.feed(Array("<html>\nbody: x\n\n".utf8)) + events.finish()
        #expect(seen.isEmpty)
        #expect(events.strayLines == ["<html>", "body: x"])
    }
}
