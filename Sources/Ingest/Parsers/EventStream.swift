/// A server-sent events stream saved as it came (`curl -N ... >
/// stream.txt` against llama-server's or an OpenAI-style `"stream": true`
/// endpoint): `data: {...}` lines, blank lines between events, `data:
/// [DONE]` at the end, maybe `event:`, `id:`, `retry:` and `:` comment lines.
///
///     EventStream.payloads(text)  // each event's data, `[DONE]` left out
enum EventStream {
    /// Each `data:` line's payload, in order, without `[DONE]`; nil when
    /// the text is no event stream (its first line that is not blank is no
    /// `data:` line, or a line is no field of one).
    static func payloads(_ text: ArraySlice<UInt8>) -> [ArraySlice<UInt8>]? {
        let data = Array("data:".utf8)
        let fields = ["event:", "id:", "retry:", ":"].map { Array($0.utf8) }
        var payloads: [ArraySlice<UInt8>] = []
        for raw in text.split(separator: 0x0A, omittingEmptySubsequences: true) {
            var line = raw
            while let last = line.last, last == 0x0D || last == 0x20 || last == 0x09 { line.removeLast() }
            if line.isEmpty { continue }
            guard line.starts(with: data) else {
                // Every line is a field of an event (a `: ping` comment may come first):
                // a log that quotes an event among its own lines is no stream.
                if !fields.contains(where: { line.starts(with: $0) }) { return nil }
                continue
            }
            var payload = line.dropFirst(data.count)
            if payload.first == 0x20 { payload.removeFirst() }
            if payload.elementsEqual("[DONE]".utf8) { continue }
            payloads.append(payload)
        }
        return payloads.isEmpty ? nil : payloads
    }
}
