/// A 64-bit hash of a text's UTF-8 bytes, eight bytes at a step (prompt texts
/// are hashed once per run, half a million times in a large tree). Stable
/// across runs and machines: stored hashes are compared later.
enum Fingerprint {
    static func of(_ text: String) -> UInt64 {
        var copy = text
        return copy.withUTF8 { of(UnsafeRawBufferPointer($0)) }
    }

    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var index = 0
        while index + 8 <= bytes.count {
            hash = mix(hash ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            index += 8
        }
        if index < bytes.count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.count {
                tail |= UInt64(bytes[index]) << shift
                shift += 8
                index += 1
            }
            hash = mix(hash ^ tail)
        }
        return mix(hash)
    }

    /// `of` the text a quoted CSV field spells once each `""` is folded to
    /// `"`, without building it (the field may be megabytes long).
    static func ofFoldingQuotes(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        // In a quoted field every quote is the first of a `""` pair.
        var pairs = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x22 {
                pairs += 1
                index += 2
            } else {
                index += 1
            }
        }
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count - pairs)
        var word: UInt64 = 0
        var shift: UInt64 = 0
        index = 0
        while index < bytes.count {
            let byte = bytes[index]
            word |= UInt64(byte) << shift
            shift += 8
            if shift == 64 {
                hash = mix(hash ^ word)
                word = 0
                shift = 0
            }
            index += byte == 0x22 ? 2 : 1
        }
        if shift > 0 { hash = mix(hash ^ word) }
        return mix(hash)
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        var x = value &* 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x = x &* 0xC4CE_B9FE_1A85_EC53
        return x ^ (x >> 29)
    }
}
