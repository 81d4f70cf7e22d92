/// Turns a file's bytes into UTF-8 text, or says exactly why they are not text.
///
/// UTF-8 with or without a BOM passes through, uncopied (a slice past the
/// BOM); UTF-16 (with a BOM, or without one when every other byte is NUL, as
/// Windows tools write it) is transcoded, so a PowerShell `Out-File` CSV is
/// read rather than refused.
enum TextDecoding {
    enum Decoded: Equatable {
        case text(ArraySlice<UInt8>)
        case notText(String)
    }

    static func decode(_ bytes: [UInt8]) -> Decoded {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            return validated(bytes[3...])
        }
        // UTF-32's BOMs, checked first: the little-endian one starts like UTF-16's.
        if bytes.count >= 4, bytes[0...3] == [0xFF, 0xFE, 0x00, 0x00] || bytes[0...3] == [0x00, 0x00, 0xFE, 0xFF] {
            return .notText("not read: UTF-32 text (save it as UTF-8 or UTF-16)")
        }
        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE {
            return utf16(bytes, from: 2, littleEndian: true)
        }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            return utf16(bytes, from: 2, littleEndian: false)
        }
        if let endianness = bomlessUTF16(bytes) {
            return utf16(bytes, from: 0, littleEndian: endianness)
        }
        return validated(bytes[...])
    }

    private static func validated(_ slice: ArraySlice<UInt8>) -> Decoded {
        if let nul = slice.firstIndex(of: 0) {
            return .notText("binary file (NUL byte at offset \(nul - slice.startIndex))")
        }
        // Validates in place: no copy of the text is made.
        if (try? UTF8Span(validating: slice.span)) != nil {
            return .text(slice)
        }
        // Rare (the file is refused): offsets are the text's, past any BOM.
        let bytes = Array(slice)
        let offset = firstInvalidUTF8Offset(bytes) ?? 0
        let byte = offset < bytes.count ? bytes[offset] : 0
        let (line, column) = position(of: offset, in: bytes)
        return .notText(
            "not UTF-8 text (invalid byte 0x\(String(byte, radix: 16, uppercase: true)) at line \(line), column \(column))"
        )
    }

    /// UTF-16 without a BOM: ASCII-heavy text shows a NUL in every other byte.
    private static func bomlessUTF16(_ bytes: [UInt8]) -> Bool? {
        let sample = bytes.prefix(512)
        guard sample.count >= 4, sample.count % 2 == 0 else { return nil }
        var evenNul = 0
        var oddNul = 0
        for (index, byte) in sample.enumerated() where byte == 0 {
            if index % 2 == 0 { evenNul += 1 } else { oddNul += 1 }
        }
        let half = sample.count / 2
        if oddNul * 10 >= half * 9 && evenNul == 0 { return true }
        if evenNul * 10 >= half * 9 && oddNul == 0 { return false }
        return nil
    }

    private static func utf16(_ bytes: [UInt8], from start: Int, littleEndian: Bool) -> Decoded {
        guard (bytes.count - start) % 2 == 0 else {
            return .notText("not text: UTF-16 with an odd number of bytes (\(bytes.count))")
        }
        // The file and its transcoding are in memory together: measure the
        // UTF-8 first, and refuse what would not fit the bound.
        var length = 0
        var counter = CodeUnits(bytes: bytes, index: start, littleEndian: littleEndian)
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&counter) {
            case .scalarValue(let scalar):
                if scalar.value == 0 { return .notText("binary file (NUL character in UTF-16 text)") }
                length += UTF8.width(scalar)
            case .emptyInput:
                break loop
            case .error:
                return .notText("not text: invalid UTF-16 (unpaired surrogate)")
            }
        }
        if bytes.count + length > IngestLimits.maximumTranscodingBytes {
            return .notText(
                "UTF-16 text too large to transcode: \(IngestLimits.size(bytes.count)) and \(IngestLimits.size(length)) as UTF-8 exceed the \(IngestLimits.size(IngestLimits.maximumTranscodingBytes)) memory bound"
            )
        }
        var output = [UInt8]()
        output.reserveCapacity(length)
        var units = CodeUnits(bytes: bytes, index: start, littleEndian: littleEndian)
        decoder = UTF16()
        while case .scalarValue(let scalar) = decoder.decode(&units) {
            UTF8.encode(scalar) { output.append($0) }
        }
        return .text(output[...])
    }

    /// The 16-bit code units of UTF-16 bytes, read in place.
    private struct CodeUnits: IteratorProtocol {
        let bytes: [UInt8]
        var index: Int
        let littleEndian: Bool

        mutating func next() -> UInt16? {
            guard index + 1 < bytes.count else { return nil }
            let a = UInt16(bytes[index])
            let b = UInt16(bytes[index + 1])
            index += 2
            return littleEndian ? a | (b << 8) : (a << 8) | b
        }
    }

    private static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let length: Int
            switch lead {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index
            }
            guard index + length <= bytes.count else { return index }
            if length > 1 {
                let tail = bytes[(index + 1)..<(index + length)]
                guard String(validating: bytes[index..<(index + length)], as: UTF8.self) != nil,
                    tail.allSatisfy({ $0 & 0xC0 == 0x80 })
                else { return index }
            }
            index += length
        }
        return nil
    }

    /// 1-based line and column of a byte offset.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }
}
