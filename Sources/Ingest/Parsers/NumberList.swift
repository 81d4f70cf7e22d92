/// Numbers written as a list in one text (`[12.5, 13.1]`: llama-bench's
/// `samples_ts` in a CSV cell), read from the bytes without a `String` per number.
enum NumberList {
    /// The numbers between brackets, commas, blanks and quotes, at most `limit` of them.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> [Double] {
        var values: [Double] = []
        var start = 0
        var index = 0
        while index <= bytes.count, values.count < limit {
            if index == bytes.count || isSeparator(bytes[index]) {
                if index > start, let value = NumberParsing.double(UnsafeBufferPointer(rebasing: bytes[start..<index])) {
                    values.append(value)
                }
                start = index + 1
            }
            index += 1
        }
        return values
    }

    static func parse(_ text: String, limit: Int) -> [Double] {
        var copy = text
        return copy.withUTF8 { parse($0, limit: limit) }
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: " "), UInt8(ascii: "\""): true
        default: false
        }
    }
}
