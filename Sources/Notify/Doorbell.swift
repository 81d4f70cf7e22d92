/// What wakes a service's loop: work to do (`ring()`, from a report that
/// queued something or a new configuration), a time it set itself (a retry
/// after its backoff), or the end (`close()`, at shutdown). Rings that come
/// while the loop is busy are one ring: the loop looks at everything anyway.
///
/// ```swift
/// let doorbell = Doorbell()
/// // in the service's loop (one task):
/// let waiter = doorbell.waiter()
/// while await waiter.wait(until: retryAt) { /* look at the outbox */ }
/// // elsewhere: doorbell.ring() when a report queued items; doorbell.close() to stop
/// ```
package final class Doorbell: Sendable {
    private let rings: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    package init() {
        (rings, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    package func ring() {
        continuation.yield()
    }

    /// Ends every wait, now and from now on.
    package func close() {
        continuation.finish()
    }

    /// The one loop's side of the doorbell (its rings are consumed once).
    package func waiter() -> Waiter {
        Waiter(self)
    }

    /// Waits for a ring or a deadline; owned by one task.
    package final class Waiter {
        private let doorbell: Doorbell
        private var iterator: AsyncStream<Void>.Iterator
        private var timer: Task<Void, Never>?

        fileprivate init(_ doorbell: Doorbell) {
            self.doorbell = doorbell
            iterator = doorbell.rings.makeAsyncIterator()
        }

        deinit {
            timer?.cancel()
        }

        /// Until the next ring, or `deadline` if one comes first; false once
        /// the doorbell is closed.
        package func wait(until deadline: ContinuousClock.Instant?) async -> Bool {
            timer?.cancel()
            timer = nil
            if let deadline {
                let doorbell = self.doorbell
                timer = Task {
                    guard (try? await Task.sleep(until: deadline, clock: .continuous)) != nil else { return }
                    doorbell.ring()
                }
            }
            return await iterator.next() != nil
        }
    }
}
