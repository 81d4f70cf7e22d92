/// Splits a Server-Sent Events byte stream into events as chunks arrive.
/// Bytes are split at `\n` before decoding, so a UTF-8 character cut between
/// two network reads is joined before it is read.
struct ServerSentEvents {
    enum Event: Equatable {
        /// The `data:` lines of one event, joined with `\n`.
        case data(String)
        /// An `error:` field (llama-server streams some errors this way).
        case error(String)
    }

    private var pending: [UInt8] = []
    private var data: [String] = []
    private var error: [String] = []
    /// Lines that are no SSE field at all (not `field:` nor `:comment`): garbage.
    private(set) var strayLines: [String] = []

    mutating func feed(_ bytes: some Sequence<UInt8>) -> [Event] {
        pending.append(contentsOf: bytes)
        var events: [Event] = []
        var start = 0
        while let end = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
            var line = pending[start..<end]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            take(String(decoding: line, as: UTF8.self), into: &events)
            start = end + 1
        }
        pending.removeFirst(start)
        return events
    }

    /// The end of the stream: an unterminated last line and event still count.
    mutating func finish() -> [Event] {
        var events: [Event] = []
        if !pending.isEmpty {
            take(String(decoding: pending, as: UTF8.self), into: &events)
            pending.removeAll()
        }
        take("", into: &events)
        return events
    }

    private mutating func take(_ line: String, into events: inout [Event]) {
        if line.isEmpty {
            if !error.isEmpty { events.append(.error(error.joined(separator: "\n"))) }
            if !data.isEmpty { events.append(.data(data.joined(separator: "\n"))) }
            data.removeAll()
            error.removeAll()
            return
        }
        if line.hasPrefix(":") { return }
        guard let colon = line.firstIndex(of: ":") else {
            strayLines.append(line)
            return
        }
        var value = line[line.index(after: colon)...]
        if value.hasPrefix(" ") { value = value.dropFirst() }
        switch line[..<colon] {
        case "data": data.append(String(value))
        case "error": error.append(String(value))
        case "event", "id", "retry": break
        default: strayLines.append(line)
        }
    }
}
