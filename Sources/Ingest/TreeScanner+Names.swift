#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Directory entry names are bytes; a `String` made from bytes that are not
/// UTF-8 is repaired with U+FFFD and names no file any more.
extension TreeScanner {
    enum EntryName {
        case text(String)
        /// Not valid UTF-8: only the bytes reach the file.
        case bytes([UInt8])
    }

    static func name(of entry: UnsafeMutablePointer<dirent>) -> EntryName {
        // In place, up to its NUL: copying the whole `d_name` array can read
        // past a short record at the end of readdir's buffer.
        withUnsafePointer(to: &entry.pointee.d_name) { field in
            field.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { start in
                if let text = String(validatingCString: start) { return .text(text) }
                return .bytes(Array(UnsafeRawBufferPointer(start: start, count: strlen(start))))
            }
        }
    }

    /// `bytes` as text, each byte that is not part of valid UTF-8 written as
    /// `\xNN`: how reports show a name that is not UTF-8.
    static func escaped(_ bytes: [UInt8]) -> String {
        var text = ""
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        // The parser may read ahead; the offset follows what it has parsed.
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                text.unicodeScalars.append(Unicode.UTF8.decode(encoded))
                offset += encoded.count
            case .error(let length):
                for byte in bytes[offset..<(offset + length)] {
                    let hex = String(byte, radix: 16, uppercase: true)
                    text += (byte < 16 ? #"\x0"# : #"\x"#) + hex
                }
                offset += length
            case .emptyInput:
                return text
            }
        }
    }
}
