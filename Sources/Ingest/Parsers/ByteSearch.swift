#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether bytes hold a run of others: `memchr` to each place the first
/// byte is, `memcmp` there.
///
/// `ArraySlice<UInt8>` is a `DataProtocol`, so `firstRange(of:)` on it is
/// Foundation's generic search, which allocates as it goes: over a 100 MB
/// log it took over a minute. (Glibc's `memmem` is not in Swift's Glibc module.)
///
///     ByteSearch.contains(text, "Performance counter stats for ")
enum ByteSearch {
    static func contains(_ haystack: ArraySlice<UInt8>, _ needle: String) -> Bool {
        firstIndex(of: needle, in: haystack) != nil
    }

    /// Whether a line holds `needle`, byte for byte: `String.contains` on a
    /// string is Foundation's search by characters, which a log of millions
    /// of short lines paid on every one of them.
    static func contains(_ line: String, _ needle: String) -> Bool {
        var line = line
        return line.withUTF8 { firstOffset(of: needle, in: $0) } != nil
    }

    /// Where the first run of `needle` starts (an index of `haystack`), or nil.
    static func firstIndex(of needle: String, in haystack: ArraySlice<UInt8>) -> Int? {
        haystack.withUnsafeBufferPointer { firstOffset(of: needle, in: $0) }.map { haystack.startIndex + $0 }
    }

    /// Where the first run of `needle` starts in `bytes` (an offset), or nil.
    private static func firstOffset(of needle: String, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var needle = needle
        return needle.withUTF8 { wanted -> Int? in
            guard let key = wanted.baseAddress, let first = wanted.first else { return 0 }
            guard let base = bytes.baseAddress, bytes.count >= wanted.count else { return nil }
            let last = bytes.count - wanted.count
            var from = 0
            while from <= last, let hit = memchr(base + from, Int32(first), last - from + 1) {
                let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + at, key, wanted.count) == 0 { return at }
                from = at + 1
            }
            return nil
        }
    }
}
