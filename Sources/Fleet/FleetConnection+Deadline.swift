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
        do {
            // The first of the answer and the deadline: a query that closing
            // its connection does not end is left behind, never waited for.
            return try await FleetDeadline.first(within: limit, timedOut: { FleetError.stalled(target: target, after: limit) }) {
                try await work(connection)
            }
        } catch {
            // Timed out, cancelled, or failed: the connection is not to be
            // trusted with another batch, and closing it ends a query still
            // waiting. Not waited for: a close that does not end must not hold the caller.
            Task { try? await connection.close() }
            throw error
        }
    }
}
