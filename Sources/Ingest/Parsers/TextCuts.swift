/// Texts a parse cut to `IngestLimits.maximumTextBytes`, counted for the
/// file's notes: a cut name in a report is explained, never silent.
///
/// A class because every row of a pass (a value handed to the formats) adds
/// to the one count.
final class TextCuts {
    private(set) var count = 0
    private var first: (place: String, bytes: Int)?

    /// Counts a cut of a `bytes`-long text; `place` says where the first one was.
    func record(bytes: Int, at place: @autoclosure () -> String) {
        count += 1
        if first == nil { first = (place(), bytes) }
    }

    /// `1 text longer than 4 KiB was cut to its first 4 KiB (50 MiB, at line 2, column model)`.
    var note: String? {
        guard let first else { return nil }
        let detail = "\(count == 1 ? "" : "the first, ")\(IngestLimits.size(first.bytes)), at \(first.place)"
        return TextCuts.note(count: count) + " (\(detail))"
    }

    /// `2 texts longer than 4 KiB were cut to their first 4 KiB`.
    static func note(count: Int) -> String {
        let limit = IngestLimits.size(IngestLimits.maximumTextBytes)
        let what = count == 1 ? "1 text longer than \(limit) was cut to its" : "\(count) texts longer than \(limit) were cut to their"
        return "\(what) first \(limit)"
    }

    /// Whether `text` is what `text(_:)` makes of a longer one: the kept
    /// prefix (at most three bytes short of the limit) and the three of "…".
    static func isCut(_ text: String) -> Bool {
        let count = text.utf8.count
        return count >= IngestLimits.maximumTextBytes && count <= IngestLimits.maximumTextBytes + 3 && text.hasSuffix("…")
    }

    /// `text`, cut as `text(_:)` cuts bytes.
    static func text(_ text: String) -> String {
        guard isTooLong(text.utf8.count) else { return text }
        var copy = text
        return copy.withUTF8 { Self.text($0) }
    }

    /// Whether `count` bytes of text are more than is kept.
    static func isTooLong(_ count: Int) -> Bool {
        count > IngestLimits.maximumTextBytes
    }

    /// The text of `bytes` (valid UTF-8), cut when too long to the longest
    /// prefix within the limit that ends on a character boundary, with "…" after it.
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard isTooLong(bytes.count) else { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<keptLength(bytes)]), as: UTF8.self) + "…"
    }

    /// How many leading bytes of a too-long text are kept: the limit, backed
    /// off to the start of a UTF-8 sequence so no character is split.
    static func keptLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var length = min(bytes.count, IngestLimits.maximumTextBytes)
        while length > 0, length < bytes.count, bytes[length] & 0xC0 == 0x80 { length -= 1 }
        return length
    }
}
