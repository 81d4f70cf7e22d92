#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The order SQLite gives text (its bytes, as `memcmp` compares them): the
/// registry is read in it, and scans are sorted in it so the two can be
/// joined in one walk. Comparing bytes in place is many times cheaper than
/// comparing `Character`s, or even iterating UTF-8 views.
package enum ByteOrder {
    package static func precedes(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { left in
            b.utf8.withContiguousStorageIfAvailable { right -> Bool in
                let shared = min(left.count, right.count)
                if shared > 0, let l = left.baseAddress, let r = right.baseAddress {
                    let order = memcmp(l, r, shared)
                    if order != 0 { return order < 0 }
                }
                return left.count < right.count
            }
        }
        if let result = fast ?? nil { return result }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
