import Logging
import PostgresNIO
import Synchronization

/// One login to the fleet's database, bounded on this side: the first of
/// the login's end and the deadline is the answer, and neither waits for
/// the other. A login that ends after its deadline has its connection
/// closed at once, so nothing is left open behind a round that gave up.
///
/// ```swift
/// let connection = try await FleetLogin.open(configuration, target: "u@db:5432/bench", within: .seconds(15))
/// ```
enum FleetLogin {
    /// How long past postgres-nio's own connect timeout the login may run:
    /// that timeout answers first whenever its event loop does.
    static let grace = Duration.seconds(5)

    typealias Outcome = Result<PostgresConnection, FleetError>

    static func open(
        _ configuration: PostgresConnection.Configuration, target: String, within limit: Duration
    ) async throws(FleetError) -> PostgresConnection {
        let answer = Answer()
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
                answer.await(continuation)
                let login = Task {
                    do {
                        let connection = try await PostgresConnection.connect(
                            configuration: configuration, id: 1, logger: FleetConnection.quietLogger)
                        if !answer.give(.success(connection)) { try? await connection.close() }
                    } catch {
                        answer.give(.failure(FleetError.classify(error, target: target)))
                    }
                }
                let deadline = Task {
                    guard (try? await Task.sleep(for: limit)) != nil else { return }
                    let reason = "the login did not finish within \(limit.formatted(.units(allowed: [.seconds])))"
                    answer.give(.failure(.unreachable(target: target, reason: reason)))
                }
                answer.started(login: login, deadline: deadline)
            }
        } onCancel: {
            answer.cancelLogin()
        }
        return try outcome.get()
    }

    /// Where the first outcome goes; later ones are refused (`give` is false).
    private final class Answer: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Outcome, Never>?
            var answered = false
            var cancelled = false
            var login: Task<Void, Never>?
            var deadline: Task<Void, Never>?
        }

        private let state = Mutex(State())

        func await(_ continuation: CheckedContinuation<Outcome, Never>) {
            state.withLock { $0.continuation = continuation }
        }

        /// The login and its deadline, once both run; either may have answered already.
        func started(login: Task<Void, Never>, deadline: Task<Void, Never>) {
            let (answered, cancelled) = state.withLock { state in
                state.login = login
                state.deadline = deadline
                return (state.answered, state.cancelled)
            }
            if answered || cancelled { login.cancel() }
            if answered { deadline.cancel() }
        }

        /// The caller was cancelled: so is the login, and its failure
        /// (postgres-nio closes the half-open channel) is the answer. The
        /// deadline still stands, should the login not heed it.
        func cancelLogin() {
            let login = state.withLock { state in
                state.cancelled = true
                return state.login
            }
            login?.cancel()
        }

        @discardableResult
        func give(_ outcome: Outcome) -> Bool {
            let taken = state.withLock { state -> (CheckedContinuation<Outcome, Never>, [Task<Void, Never>])? in
                guard !state.answered, let continuation = state.continuation else { return nil }
                state.answered = true
                state.continuation = nil
                return (continuation, [state.login, state.deadline].compactMap { $0 })
            }
            guard let (continuation, tasks) = taken else { return false }
            continuation.resume(returning: outcome)
            for task in tasks { task.cancel() }
            return true
        }
    }
}
