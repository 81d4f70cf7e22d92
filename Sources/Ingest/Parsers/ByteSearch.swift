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

    /// Where the first run of `needle` starts (an index of `haystack`), or nil.
    static func firstIndex(of needle: String, in haystack: ArraySlice<UInt8>) -> Int? {
        var needle = needle
        return needle.withUTF8 { wanted in
            haystack.withUnsafeBufferPointer { bytes -> Int? in
                guard let key = wanted.baseAddress, let first = wanted.first else { return haystack.startIndex }
                guard let base = bytes.baseAddress, bytes.count >= wanted.count else { return nil }
                let last = bytes.count - wanted.count
                var from = 0
                while from <= last, let hit = memchr(base + from, Int32(first), last - from + 1) {
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + at, key, wanted.count) == 0 { return haystack.startIndex + at }
                    from = at + 1
                }
                return nil
            }
        }
    }
}
