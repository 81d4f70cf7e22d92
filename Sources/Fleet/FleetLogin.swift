import PostgresNIO

/// One login to the fleet's database, bounded on this side too
/// (`FleetDeadline`): postgres-nio's connect timeout answers first whenever
/// its event loop does, and this bound, `grace` later, whatever holds it. A
/// login that ends after its deadline has its connection closed at once, so
/// nothing is left open behind a round that gave up.
///
/// ```swift
/// let connection = try await FleetLogin.open(configuration, target: "u@db:5432/bench", within: .seconds(15))
/// ```
enum FleetLogin {
    /// How long past postgres-nio's own connect timeout the login may run.
    static let grace = Duration.seconds(5)

    static func open(
        _ configuration: PostgresConnection.Configuration, target: String, within limit: Duration
    ) async throws(FleetError) -> PostgresConnection {
        do {
            return try await FleetDeadline.first(
                within: limit,
                timedOut: {
                    FleetError.unreachable(target: target, reason: "the login did not finish within \(limit.formatted(.units(allowed: [.seconds])))")
                },
                late: { connection in try? await connection.close() }
            ) {
                try await PostgresConnection.connect(configuration: configuration, id: 1, logger: FleetConnection.quietLogger)
            }
        } catch {
            throw FleetError.classify(error, target: target)
        }
    }
}
