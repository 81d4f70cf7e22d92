/// A server-sent events stream saved as it came (`curl -N ... >
/// stream.txt` against llama-server's or an OpenAI-style `"stream": true`
/// endpoint): `data: {...}` lines, blank lines between events, `data:
/// [DONE]` at the end, maybe `event:`, `id:`, `retry:` and `:` comment lines.
///
///     if EventStream.isStream(text) {
///         EventStream.forEachPayload(text) { payload in ... }  // `[DONE]` left out
///     }
///
/// Payloads are handed over one at a time, never gathered: a stream is a
/// token an event, millions in a large file.
enum EventStream {
    /// Whether every line that is not blank is a field of an event, and
    /// one at least is data: a log that quotes an event among its own lines is no stream.
    static func isStream(_ text: ArraySlice<UInt8>) -> Bool {
        var data = false
        let whole = visit(text) { _ in data = true }
        return whole && data
    }

    /// Calls `body` with each `data:` line's payload, in order, `[DONE]` left out.
    static func forEachPayload(_ text: ArraySlice<UInt8>, _ body: (ArraySlice<UInt8>) -> Void) {
        _ = visit(text) { payload in
            if !payload.elementsEqual("[DONE]".utf8) { body(payload) }
        }
    }

    private static let data = Array("data:".utf8)
    private static let fields = ["event:", "id:", "retry:", ":"].map { Array($0.utf8) }

    /// Walks the lines, handing `data` payloads to `body`; false at the
    /// first line that is no field of an event (the walk stops there). A
    /// line at a time: every JSON and text file is asked whether it is a
    /// stream, and a log's answer is its first line's.
    private static func visit(_ text: ArraySlice<UInt8>, _ body: (ArraySlice<UInt8>) -> Void) -> Bool {
        var start = text.startIndex
        while start < text.endIndex {
            let end = text[start...].firstIndex(of: 0x0A) ?? text.endIndex
            var line = text[start..<end]
            start = end < text.endIndex ? end + 1 : end
            while let last = line.last, last == 0x0D || last == 0x20 || last == 0x09 { line.removeLast() }
            if line.isEmpty { continue }
            guard line.starts(with: data) else {
                if !fields.contains(where: { line.starts(with: $0) }) { return false }
                continue
            }
            var payload = line.dropFirst(data.count)
            if payload.first == 0x20 { payload.removeFirst() }
            body(payload)
        }
        return true
    }
}
