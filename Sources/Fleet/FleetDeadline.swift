import Synchronization

/// The first of a piece of work's end and its deadline, with neither
/// waiting for the other: the work runs in a task of its own, and a
/// deadline (or the caller's cancellation) that comes first answers at
/// once and abandons it. postgres-nio's queries do not heed cancellation,
/// and a task group waits for every child at its end: a query that closing
/// its connection did not end held the publisher for good (once, in a
/// test run, for six minutes, with nothing logged).
///
///     let rows = try await FleetDeadline.first(within: .seconds(90), timedOut: { FleetError.stalled(...) },
///         abandon: { try? await connection.close() }) {
///         try await connection.query("SELECT 1", logger: logger)
///     }
enum FleetDeadline {
    /// - Parameters:
    ///   - timedOut: the error when the deadline comes first.
    ///   - abandon: run when the work is given up (the deadline or a cancellation
    ///     came first): what ends it, if anything can (closing its connection).
    ///   - late: given a value the work returned after it was given up (a
    ///     connection opened too late, to be closed).
    static func first<Value: Sendable>(
        within limit: Duration, timedOut: @escaping @Sendable () -> any Error,
        abandon: @escaping @Sendable () async -> Void = {}, late: @escaping @Sendable (Value) async -> Void = { _ in },
        _ work: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let race = Race<Value>()
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, any Error>, Never>) in
                // A caller cancelled before it began is answered already: nothing to start.
                guard race.hold(continuation) else { return }
                let worker = Task {
                    do {
                        let value = try await work()
                        if !race.answer(.success(value)) { await late(value) }
                    } catch {
                        race.answer(.failure(error))
                    }
                }
                let deadline = Task {
                    guard (try? await Task.sleep(for: limit)) != nil else { return }
                    if race.answer(.failure(timedOut())) { await abandon() }
                }
                race.started(worker: worker, deadline: deadline)
            }
        } onCancel: {
            if race.answer(.failure(CancellationError())) { Task { await abandon() } }
        }
        return try outcome.get()
    }

    /// Where the first outcome goes; later ones are refused (`answer` is false).
    private final class Race<Value: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Result<Value, any Error>, Never>?
            var answered = false
            /// An answer that came before the caller waited (a caller cancelled
            /// before it began), given to it when it does.
            var early: Result<Value, any Error>?
            var tasks: [Task<Void, Never>] = []
        }

        private let state = Mutex(State())

        /// Holds the caller until an answer comes; false when one came
        /// before (it is given at once).
        func hold(_ continuation: CheckedContinuation<Result<Value, any Error>, Never>) -> Bool {
            let early = state.withLock { state in
                if state.early == nil { state.continuation = continuation }
                return state.early
            }
            guard let early else { return true }
            continuation.resume(returning: early)
            return false
        }

        /// The work and its deadline, once both run; either may have answered already.
        func started(worker: Task<Void, Never>, deadline: Task<Void, Never>) {
            let answered = state.withLock { state in
                state.tasks = [worker, deadline]
                return state.answered
            }
            if answered { for task in [worker, deadline] { task.cancel() } }
        }

        /// Resumes the caller with `outcome` if nothing did before, and
        /// cancels what is still running; whether it was the first.
        @discardableResult
        func answer(_ outcome: Result<Value, any Error>) -> Bool {
            let taken = state.withLock { state -> (CheckedContinuation<Result<Value, any Error>, Never>?, [Task<Void, Never>])? in
                guard !state.answered else { return nil }
                state.answered = true
                if state.continuation == nil { state.early = outcome }
                defer { state.continuation = nil }
                return (state.continuation, state.tasks)
            }
            guard let (continuation, tasks) = taken else { return false }
            continuation?.resume(returning: outcome)
            for task in tasks { task.cancel() }
            return true
        }
    }
}
