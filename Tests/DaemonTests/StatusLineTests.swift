import Foundation
import Testing

@testable import Daemon
@testable import Store

@Suite struct StatusLineTests {
    @Test func oneLineWithEverythingSystemctlShouldShow() {
        var line = StatusLine(roots: 2, filesTracked: 1, lastReport: nil, lastError: nil, phase: nil)
        #expect(line.text == "watching 2 folders; 1 file tracked; last report none yet")
        line.lastReport = Date(timeIntervalSince1970: 0)
        line.lastError = "output /x: permission denied"
        line.phase = "reporting"
        #expect(
            line.text == "reporting; watching 2 folders; 1 file tracked; last report 1970-01-01T00:00:00Z; last error: output /x: permission denied")
    }

    @Test func aModelThatGaveNothingIsShownBeforeTheLastError() {
        var line = StatusLine(roots: 1, filesTracked: 3, lastReport: nil, lastError: nil, phase: nil)
        line.narrativeWarning = "model call timed out after 30 s"
        #expect(line.text == "watching 1 folder; 3 files tracked; last report none yet; narrative unavailable: model call timed out after 30 s")
    }

    @Test func openRegressionsAreCountedAfterTheLastReport() {
        var line = StatusLine(roots: 1, filesTracked: 3, lastReport: Date(timeIntervalSince1970: 0), lastError: nil, phase: nil)
        line.openRegressions = 2
        #expect(line.text == "watching 1 folder; 3 files tracked; last report 1970-01-01T00:00:00Z; 2 open regressions (chimerad regressions)")
        line.openRegressions = 1
        #expect(line.text.hasSuffix("; 1 open regression (chimerad regressions)"))
    }

    @Test func aFleetBehindSaysHowManyItemsSinceWhen() {
        var line = StatusLine(roots: 1, filesTracked: 3, lastReport: nil, lastError: nil, phase: nil)
        line.fleetBacklog = Store.FleetBacklog(items: 1234, oldestQueuedAt: Date(timeIntervalSince1970: 0))
        #expect(line.text.hasSuffix("; fleet behind: 1234 items unsent since 1970-01-01T00:00:00Z"))
        line.fleetBacklog = .none
        #expect(!line.text.contains("fleet"))
    }
}
