import Synchronization

/// How many connections the server holds at once. The server shares the
/// process's descriptors with the daemon: a client that opens connections
/// without end must not take the descriptors the next report needs. While
/// every slot is taken the server accepts nothing more; new connections wait
/// in the kernel's listen queue, which costs the process nothing.
final class ConnectionSlots: Sendable {
    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Bool, Never>] = []
        var closed = false
    }

    private let state: Mutex<State>

    init(_ count: Int) {
        state = Mutex(State(free: count))
    }

    /// Takes a slot, waiting for one if need be; false once closed.
    func take() async -> Bool {
        await withCheckedContinuation { continuation in
            let answer: Bool? = state.withLock { state in
                if state.closed { return false }
                if state.free > 0 {
                    state.free -= 1
                    return true
                }
                state.waiting.append(continuation)
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    /// Gives a slot back, to the longest waiter if there is one.
    func give() {
        let waiter: CheckedContinuation<Bool, Never>? = state.withLock { state in
            if state.waiting.isEmpty {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        waiter?.resume(returning: true)
    }

    /// No more slots: every waiter, and every later `take()`, gets false.
    func close() {
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for waiter in waiters { waiter.resume(returning: false) }
    }
}
