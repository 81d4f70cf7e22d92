import PostgresNIO

extension FleetConnection {
    /// Runs `work` on `connection`, bounded by `limit`: when no answer comes
    /// in time, or the caller is cancelled, the connection is closed and the
    /// work fails with `FleetError.stalled`. The publisher's batches, the
    /// fleet report's reading and `fleet watch`'s pings all go through it.
    ///
    /// Closing is what ends the wait: postgres-nio's queries do not heed task
    /// cancellation, and a peer that went silent (a dead network, a stopped
    /// server process) sends neither an error nor a reset, so the query in
    /// flight would otherwise wait for TCP's own timeout, many minutes. A
    /// closed connection fails that query at once (the publisher opens a new
    /// one next round, and the batch, never marked sent, goes again).
    package static func bounded<Result: Sendable>(
        _ limit: Duration, on connection: PostgresConnection, target: String,
        _ work: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await work(connection) }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            do {
                // nil: the timer's child finished first.
                guard let first = try await group.next(), let result = first else {
                    throw FleetError.stalled(target: target, after: limit)
                }
                group.cancelAll()
                return result
            } catch {
                // Timed out, cancelled, or failed: the connection is not to be
                // trusted with another batch, and closing it ends a query still waiting.
                try? await connection.close()
                group.cancelAll()
                throw error
            }
        }
    }
}
