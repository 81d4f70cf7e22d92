/// Splits a newline-delimited JSON stream (Ollama's `application/x-ndjson`)
/// into its lines as network buffers arrive: a line may be cut across
/// buffers, and one buffer may hold several. Bytes are split before they are
/// decoded, so a UTF-8 character cut between two reads is whole again. A
/// `\r` before the `\n` is dropped, and blank lines are skipped.
struct NDJSONLines {
    /// The bytes of a line whose `\n` has not arrived yet.
    private var unfinished: [UInt8] = []

    /// The lines `bytes` completes, in order.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [String] {
        var complete: [String] = []
        for byte in bytes {
            guard byte == UInt8(ascii: "\n") else {
                unfinished.append(byte)
                continue
            }
            if let line = takeUnfinished() { complete.append(line) }
        }
        return complete
    }

    /// The end of the stream: a last line without its `\n` still counts.
    mutating func finish() -> String? {
        takeUnfinished()
    }

    /// The unfinished bytes as a line, without a trailing `\r`; nil when blank.
    private mutating func takeUnfinished() -> String? {
        defer { unfinished.removeAll(keepingCapacity: true) }
        let end = unfinished.last == UInt8(ascii: "\r") ? unfinished.endIndex - 1 : unfinished.endIndex
        let line = String(decoding: unfinished[..<end], as: UTF8.self)
        return line.allSatisfy(\.isWhitespace) ? nil : line
    }
}
