import Records
import Testing

@testable import Ingest

/// A reply streamed with `"stream": true` and saved as it came (`curl -N
/// ... > stream.txt`): llama-server's last chunk carries the request's
/// `timings`, and the stream was skipped ("text without ...", or malformed
/// JSON at its `data:`), where the same reply unstreamed was a run.
@Suite struct EventStreamTests {
    private func chunk(_ content: String, last: Bool = false) -> String {
        let timings =
            last
            ? #", "timings": {"prompt_n": 10, "prompt_ms": 30.2, "predicted_n": 6, "predicted_ms": 110.5, "predicted_per_second": 54.3}"#
            : ""
        return
            #"data: {"choices": [{"index": 0, "delta": {"content": "\#(content)"}}], "model": "qwen2.5-7b", "object": "chat.completion.chunk"\#(timings)}"#
    }

    @Test func llamaServersStreamIsItsLastChunksRun() throws {
        let stream = [": ping", chunk("Hello"), "", chunk("!"), "", "event: message", chunk("", last: true), "", "data: [DONE]", ""]
            .joined(separator: "\r\n")
        for name in ["stream.txt", "stream.json", "stream.log"] {
            let e = try ParsedText.extract(stream, name)
            #expect(e.runSets.first?.runs.map(\.tokensPerSecond) == [54.3], "\(name)")
            #expect(e.runSets.first?.model == "qwen2.5-7b")
            #expect(e.notes.first == "a stream of server-sent events: 1 final chunk with timings read, the 2 chunks before left out")
        }
    }

    /// A stream whose last event is the server's error is one failed run
    /// in its words, where its error code was a series; an OpenAI-style
    /// stream with no times is skipped as its unstreamed reply is.
    @Test func aStreamEndingInAnErrorIsAFailedRunAndOneWithoutTimesIsSkipped() throws {
        let failed = [
            #"data: {"index": 0, "content": "tok", "stop": false}"#, "",
            #"data: {"error": {"code": 500, "message": "context shift is disabled", "type": "server_error"}}"#, "",
        ].joined(separator: "\n")
        let e = try ParsedText.extract(failed, "stream.txt")
        #expect(e.runSets.first?.runs.first?.error?.contains("context shift is disabled") == true, "\(e.runSets)")
        #expect(e.series.isEmpty && e.notes == ["1 streamed event before the error: parts of a reply, not runs"], "\(e.notes)")
        let untimed = [
            #"data: {"id": "c1", "object": "chat.completion.chunk", "created": 1764547200, "model": "m", "choices": [{"index": 0, "delta": {"content": "hi"}}]}"#,
            #"data: {"id": "c1", "object": "chat.completion.chunk", "created": 1764547200, "model": "m", "choices": [], "usage": {"prompt_tokens": 10, "completion_tokens": 6, "total_tokens": 16}}"#,
            "data: [DONE]",
        ].joined(separator: "\n\n")
        #expect(throws: ParsedText.Skipped.self) { try ParsedText.extract(untimed, "stream.txt") }
        #expect(ParsedText.skipReason(Array(untimed.utf8), "stream.txt")?.contains("OpenAI-style replies with token counts and no times") == true)
    }

    @Test func payloadsAreTheDataLinesOfAStreamOnly() {
        func payloads(_ text: String) -> [String]? {
            let bytes = Array(text.utf8)[...]
            guard EventStream.isStream(bytes) else { return nil }
            var found: [String] = []
            EventStream.forEachPayload(bytes) { found.append(String(decoding: $0, as: UTF8.self)) }
            return found
        }
        #expect(payloads(": ping\ndata: {\"a\": 1}\n\ndata: [DONE]\n") == [#"{"a": 1}"#])
        // A log that quotes an event later is no stream; nor is one with another line among its events.
        #expect(payloads("starting\ndata: {\"a\": 1}\n") == nil)
        #expect(payloads("data: {\"a\": 1}\nnot a field\n") == nil)
        #expect(payloads(": only a comment\n") == nil)
    }
}
