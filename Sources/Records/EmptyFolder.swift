#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a folder holds nothing at all: what an unmounted share leaves at
/// its mount point, which ingest and the watcher both tell from a folder
/// emptied of its files.
///
///     if EmptyFolder.holdsNothing("/mnt/results") { ... }
package enum EmptyFolder {
    /// True for a folder with no entry but `.` and `..`; a folder that cannot
    /// be listed, or whose listing fails part-way, is not known to be empty.
    package static func holdsNothing(_ path: String) -> Bool {
        guard let directory = opendir(path) else { return false }
        defer { closedir(directory) }
        errno = 0
        while let entry = readdir(directory) {
            // Read in place, up to its NUL: copying the whole `d_name` array
            // reads past a short record at the end of readdir's buffer.
            let name = withUnsafePointer(to: &entry.pointee.d_name) { field in
                field.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { return false }
        }
        return errno == 0
    }
}
