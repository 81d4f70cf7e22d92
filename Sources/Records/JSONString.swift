/// JSON's one string-escaping rule, shared by the report writer and the
/// model prompt so both quote text the same way.
package enum JSONString {
    /// `text` as a JSON string literal, quotes included.
    package static func quoted(_ text: String) -> String {
        var out: [UInt8] = []
        append(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `text` as a JSON string literal, quotes included.
    package static func append(_ text: String, to out: inout String) {
        out += quoted(text)
    }

    /// Appends `text` as a JSON string literal, quotes included, as UTF-8.
    ///
    /// Escaped: the quote, the backslash, and as `\uXXXX` (though JSON allows
    /// most of them raw) C0, DEL and C1 controls (ESC or U+009B would reach a
    /// terminal that shows the file) and U+2028/U+2029, which end a line in
    /// JavaScript and some editors. One pass over the UTF-8, copying the runs
    /// between escapes whole: a report holds thousands of paths. In UTF-8, DEL
    /// is 7F, C1 is C2 80–9F, U+2028/U+2029 are E2 80 A8/A9.
    package static func append(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                // Printable ASCII but the quote and the backslash: most of
                // every string, passed over without looking further.
                if byte >= 0x20, byte < 0x7F, byte != 0x22, byte != 0x5C {
                    index += 1
                    continue
                }
                var length = 0
                var escape: Escape = .none
                if byte < 0x20 || byte == 0x7F {
                    (length, escape) = (1, .short(byte))
                } else if byte == 0x22 || byte == 0x5C {
                    (length, escape) = (1, .short(byte))
                } else if byte == 0xC2, index + 1 < bytes.count, (0x80...0x9F).contains(bytes[index + 1]) {
                    (length, escape) = (2, .code(UInt32(bytes[index + 1])))
                } else if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80,
                    bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9
                {
                    (length, escape) = (3, .code(0x2000 + UInt32(bytes[index + 2]) - 0xA8 + 0x28))
                }
                guard length > 0 else {
                    index += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                write(escape, to: &out)
                index += length
                runStart = index
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private enum Escape {
        case none
        /// `\"`, `\\`, `\n`, `\r`, `\t`, or `\u00XX` for the other controls.
        case short(UInt8)
        case code(UInt32)
    }

    private static func write(_ escape: Escape, to out: inout [UInt8]) {
        switch escape {
        case .none: return
        case .short(UInt8(ascii: "\"")): out.append(contentsOf: #"\""#.utf8)
        case .short(UInt8(ascii: "\\")): out.append(contentsOf: #"\\"#.utf8)
        case .short(UInt8(ascii: "\n")): out.append(contentsOf: #"\n"#.utf8)
        case .short(UInt8(ascii: "\r")): out.append(contentsOf: #"\r"#.utf8)
        case .short(UInt8(ascii: "\t")): out.append(contentsOf: #"\t"#.utf8)
        case .short(let byte): write(.code(UInt32(byte)), to: &out)
        case .code(let value):
            let hex = String(value, radix: 16)
            out.append(contentsOf: #"\u"#.utf8)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 4 - hex.utf8.count))
            out.append(contentsOf: hex.utf8)
        }
    }
}
