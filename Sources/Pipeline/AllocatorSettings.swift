#if canImport(Glibc)
import CMalloc
#endif

/// How the C allocator is told to give memory back.
///
/// glibc keeps freed blocks for reuse, and after each large mapped block is
/// freed it raises the size from which it maps blocks on their own (up to
/// 32 MiB): the megabyte-sized arrays of a large file's parse then land on
/// heaps that are not returned. Reading four 200 MiB files one after another
/// held about 90 MiB more than reading one. A fixed threshold keeps every
/// block of 1 MiB or more mapped on its own, returned when freed.
///
/// A fixed threshold also stops glibc from raising the trim threshold with
/// it, leaving 128 KiB: each heap then gave its free top back and took it
/// again many times per report (an incremental report of 2,000 files took
/// 6,400 page faults; with 2 MiB, 5,500). Twice the mapping threshold is
/// what glibc's own adjustment would set.
enum AllocatorSettings {
    /// Blocks from this size are mapped on their own.
    static let mappedFrom: Int32 = 1 << 20

    /// Applied once per process, before the first pass reads a file.
    static let applied: Void = {
        #if canImport(Glibc)
        _ = mallopt(M_MMAP_THRESHOLD, mappedFrom)
        _ = mallopt(M_TRIM_THRESHOLD, 2 * mappedFrom)
        #endif
    }()
}
