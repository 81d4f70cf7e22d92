import Dispatch

/// Runs independent pieces of work on every core: statistics of separate groups
/// share nothing, and a report over half a million runs spends most of its
/// analysis time selecting medians.
package enum Parallel {
    /// Transforms each element in place, concurrently. `transform` must touch
    /// nothing but the element it is given.
    package static func update<T>(_ items: inout [T], _ transform: (inout T) -> Void) {
        guard items.count > 1 else {
            for index in items.indices { transform(&items[index]) }
            return
        }
        items.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedBuffer(buffer: buffer)
            withoutActuallyEscaping(transform) { transform in
                let work = UnsafeWork(transform: transform)
                DispatchQueue.concurrentPerform(iterations: shared.buffer.count) { index in
                    work.transform(&shared.buffer[index])
                }
            }
        }
    }

    // Each iteration writes only its own index, so sharing the buffer is safe.
    private struct SharedBuffer<T>: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<T>
    }

    private struct UnsafeWork<T>: @unchecked Sendable {
        let transform: (inout T) -> Void
    }
}
