import Foundation
import Logging
import Synchronization
import Testing
import TestSupport

@testable import Fleet
@testable import Store

#if canImport(Glibc)
import Glibc
#endif

/// The publisher against a real PostgreSQL that stops answering with the
/// connection open (its server process stopped with SIGSTOP: no error, no
/// reset, exactly what a dead network looks like from this side), and the
/// journal fields of the fleet's entries.
@Suite(
    "A fleet database that stops answering", .serialized,
    .enabled(if: PostgresServer.isAvailable, "needs Debian's postgresql: apt-get install postgresql (scripts/setup-test-tools)"))
struct FleetStallTests {
    /// Polls `condition` every 50 ms until it holds or `timeout` passes
    /// (with a last look after it: a starved test woke past it); when it held.
    static func eventually(within timeout: Duration, _ condition: () async throws -> Bool) async throws -> ContinuousClock.Instant? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if try await condition() { return ContinuousClock.now }
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The server process serving the publisher's connection (`application_name` chimerad).
    static func publisherBackend(_ server: PostgresServer) async throws -> pid_t? {
        let (_, output) = try await server.psql("SELECT pid FROM pg_stat_activity WHERE application_name = 'chimerad'", database: "bench")
        let pids = output.split(separator: "\n").compactMap { pid_t($0.trimmingCharacters(in: .whitespaces)) }
        return pids.count == 1 ? pids.first : nil
    }

    @Test(
        "a batch the server stops answering is cut at the bound, the connection closed, the round logged and retried on a new connection",
        .timeLimit(.minutes(15)))
    func stalledBatchIsCutAndRetried() async throws {
        try await PostgresServer.with { server in
            try await server.createDatabase("bench")
            try await FleetPublicationTests.withStore { store, folder in
                // A short bound for the test, with room for a busy machine's first round and
                // its recovery; the daemon's is FleetPublisher.batchTimeout (90 s).
                let limit = Duration.seconds(10)
                var target = try FleetPublicationTests.target(server.url(database: "bench"), password: server.password, store: store, folder: folder)
                target.batchTimeout = limit
                let recorder = LogRecorder()
                let backlogs = Mutex<[Store.FleetBacklog]>([])
                let publisher = FleetPublisher(logger: recorder.logger) { backlog in backlogs.withLock { $0.append(backlog) } }
                publisher.configure(target)
                let running = Task { try await publisher.run() }

                try store.queueFleetItems(
                    .init(items: FleetPublicationTests.reportItems(path: "a.csv", hash: "h1", sessions: 2, report: "r1"), limit: 1000))
                publisher.wake()
                // The first round waits on more than the database: in the whole
                // suite on a loaded machine, tests doing long synchronous work
                // hold both of the cooperative pool's threads, and the
                // publisher's connection waited past 120 s for one (twice, in
                // full runs beside a CPU-bound process; alone, 14 s).
                let landed = try await Self.eventually(within: .seconds(360)) {
                    // The schema may not be there yet: the publisher creates it.
                    let (_, sessions) = try await server.psql("SELECT count(*) FROM chimerad.sessions", database: "bench")
                    return try sessions.trimmingCharacters(in: .whitespacesAndNewlines) == "2" && store.fleetBacklog() == .none
                }
                #expect(landed != nil, "\(recorder.all.map(\.message))")

                // The publisher keeps its connection between rounds: stop the process behind it.
                // On a busy machine the first round may have been cut at the bound just as the
                // rows landed, its connection closed and the next opening: wait for the one.
                var found: pid_t?
                _ = try await Self.eventually(within: .seconds(120)) {
                    found = try await Self.publisherBackend(server)
                    return found != nil
                }
                let backend = try #require(found, "one connection of the publisher")
                #expect(kill(backend, SIGSTOP) == 0)
                var resumed = false
                defer { if !resumed { kill(backend, SIGCONT) } }
                try store.queueFleetItems(
                    .init(items: FleetPublicationTests.reportItems(path: "b.csv", hash: "h2", sessions: 3, report: "r2"), limit: 1000))
                // The first round may itself have been cut on a very busy machine
                // and retried: only what follows this wake counts.
                let mark = recorder.mark
                let woken = ContinuousClock.now
                publisher.wake()
                let failedAt = try await Self.eventually(within: .seconds(120)) {
                    !recorder.entries(startingWith: "fleet publication failed", since: mark).isEmpty
                }
                let failure = try #require(
                    recorder.entries(startingWith: "fleet publication failed", since: mark).first, "\(recorder.all.map(\.message))")
                // Cut at the bound, not before it, and long before TCP would give up (minutes).
                if let failedAt {
                    #expect(failedAt - woken >= limit)
                    #expect(failedAt - woken < .seconds(90))
                }
                #expect(failure.level == .error)
                let reason = failure.metadata["reason"].map { "\($0)" } ?? ""
                #expect(reason.contains("stopped answering") && reason.contains("no reply within 10 s"), "\(reason)")
                #expect(failure.metadata["message_id"] == "b81255b2258244eeaa839742bc0ddccc")
                #expect(failure.metadata["items_behind"] == "12" && failure.metadata["behind_since"] != nil)
                #expect(!reason.contains(server.password))
                #expect(backlogs.withLock { $0.contains { $0.items == 12 } }, "STATUS= is told the fleet is behind")
                #expect(try store.fleetBacklog().items == 12)

                // After the backoff (5 s and jitter), a new connection: the stopped process still holds the old one.
                let recovered = try await Self.eventually(within: .seconds(120)) {
                    !recorder.entries(startingWith: "fleet publication recovered", since: mark).isEmpty
                }
                #expect(recovered != nil, "\(recorder.all.map(\.message))")
                if let recovered, let failedAt { #expect(recovered - failedAt >= .seconds(2)) }
                let recovery = recorder.entries(startingWith: "fleet publication recovered", since: mark).first
                #expect(recovery?.metadata["message_id"] == "0030b52f08bf49119b70d28394f3cd8e")
                #expect(recovery?.metadata["failed_attempts"] == "1")
                kill(backend, SIGCONT)
                resumed = true
                #expect(
                    try await FleetPublicationTests.counts(server) == [
                        "hosts": 1, "sessions": 5, "samples": 100, "regressions": 1, "reports": 2, "runs_ok": 50,
                    ])
                #expect(try store.fleetBacklog() == .none)
                #expect(backlogs.withLock { $0.last } == Store.FleetBacklog.none)
                publisher.finish()
                try await running.value
            }
        }
    }

    @Test("a stop while a batch waits on a silent database ends the publisher after its grace, not after the batch's bound", .timeLimit(.minutes(10)))
    func stopAbandonsAStalledBatch() async throws {
        try await PostgresServer.with { server in
            try await server.createDatabase("bench")
            try await FleetPublicationTests.withStore { store, folder in
                // A bound far beyond the unit's TimeoutStopSec (30 s): only the stop's grace can end the wait in time.
                var target = try FleetPublicationTests.target(server.url(database: "bench"), password: server.password, store: store, folder: folder)
                target.batchTimeout = .seconds(600)
                let recorder = LogRecorder()
                let publisher = FleetPublisher(logger: recorder.logger)
                publisher.configure(target)
                let running = Task { try await publisher.run() }
                try store.queueFleetItems(
                    .init(items: FleetPublicationTests.reportItems(path: "a.csv", hash: "h1", sessions: 1, report: "r1"), limit: 1000))
                publisher.wake()
                let landed = try await Self.eventually(within: .seconds(120)) { try store.fleetBacklog() == .none }
                #expect(landed != nil, "\(recorder.all.map(\.message))")
                let backend = try #require(try await Self.publisherBackend(server), "one connection of the publisher")
                #expect(kill(backend, SIGSTOP) == 0)
                defer { kill(backend, SIGCONT) }
                try store.queueFleetItems(
                    .init(items: FleetPublicationTests.reportItems(path: "b.csv", hash: "h2", sessions: 1, report: "r2"), limit: 1000))
                publisher.wake()
                // The round is waiting on the stopped process: its transaction began there.
                try await Task.sleep(for: .seconds(1))
                let stopped = ContinuousClock.now
                publisher.finish()
                try await running.value
                let took = ContinuousClock.now - stopped
                #expect(took >= FleetPublisher.stopGrace && took < .seconds(25), "the stop took \(took)")
                #expect(
                    !recorder.entries(startingWith: "fleet publication stopped with a batch unfinished").isEmpty, "\(recorder.all.map(\.message))")
                #expect(recorder.entries(startingWith: "fleet publication failed").isEmpty)
                #expect(try store.fleetBacklog().items == 6, "the batch stays queued for the next start")
            }
        }
    }
}
