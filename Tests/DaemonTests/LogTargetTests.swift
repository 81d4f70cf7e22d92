import Settings
import Systemd
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import Daemon

/// `log.target` as the daemon applies it.
@Suite struct LogTargetTests {
    @Test func eachTargetPicksItsDestination() {
        var status = stat()
        #expect(fstat(STDERR_FILENO, &status) == 0)
        let stderrStream = "\(status.st_dev):\(status.st_ino)"
        #expect(Settings.Log.Target.auto.destination(journalStream: stderrStream) == .journal)
        #expect(Settings.Log.Target.auto.destination(journalStream: nil) == .console)
        #expect(Settings.Log.Target.journal.destination(journalStream: nil) == .journal)
        #expect(Settings.Log.Target.console.destination(journalStream: stderrStream) == .console)
    }
}
