/// A 128-bit hash that is the same in every process and on every machine
/// (Swift's `Hasher` is seeded per process), for values that are stored and
/// compared later: a cached group's fingerprint, a run's identity across twin
/// files.
///
///     var hash = StableHash()
///     hash.add("gemma3:270m")
///     hash.add(UInt64(42))
///     let key = hash.low  // or hash.text for all 128 bits
package struct StableHash: Sendable {
    private var a: UInt64 = 0xcbf2_9ce4_8422_2325
    private var b: UInt64 = 0x9E37_79B9_7F4A_7C15

    package init() {}

    private mutating func mix(_ byte: UInt64) {
        a = (a ^ byte) &* 0x0000_0100_0000_01B3
        b = (b ^ byte) &* 0xFF51_AFD7_ED55_8CCD
        b ^= b >> 29
    }

    /// A string, then a separator, so ("ab", "c") and ("a", "bc") differ.
    package mutating func add(_ text: String) {
        for byte in text.utf8 { mix(UInt64(byte)) }
        separate()
    }

    /// A slice of a string, as `add(String(slice))` would, without the copy.
    package mutating func add(_ text: Substring) {
        for byte in text.utf8 { mix(UInt64(byte)) }
        separate()
    }

    private mutating func separate() {
        a = (a ^ 0xFF) &* 0x0000_0100_0000_01B3
        b = (b ^ 0xFF) &* 0xFF51_AFD7_ED55_8CCD
    }

    /// Eight bytes, least significant first.
    package mutating func add(_ value: UInt64) {
        var value = value
        for _ in 0..<8 {
            mix(value & 0xFF)
            value >>= 8
        }
    }

    /// A path and the sequence it changed at, without building a string of them.
    package mutating func add(_ text: String, _ sequence: Int64) {
        add(text)
        add(UInt64(bitPattern: sequence))
    }

    /// The first 64 bits.
    package var low: UInt64 { a ^ (b >> 7) }

    /// All 128 bits, in hexadecimal: 32 digits, each half padded to its 16,
    /// so two different hashes never read alike (nor do texts joined from them).
    package var text: String { Self.hexadecimal(a) + Self.hexadecimal(b) }

    private static func hexadecimal(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
