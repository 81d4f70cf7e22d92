import Testing

@testable import Daemon

@Suite struct ReportScheduleTests {
    @Test func theFirstReportMayStartAtOnceAndTheNextWaitsForTheInterval() {
        var schedule = ReportSchedule(minimumInterval: .seconds(2))
        let start = ContinuousClock.now
        #expect(schedule.mayStart(at: start))
        #expect(schedule.earliestStart == nil)
        schedule.reportEnded(at: start)
        #expect(!schedule.mayStart(at: start + .seconds(1)))
        #expect(schedule.earliestStart == start + .seconds(2))
        #expect(schedule.mayStart(at: start + .seconds(2)))
    }

    @Test func aZeroIntervalNeverHoldsAReportBack() {
        var schedule = ReportSchedule(minimumInterval: .zero)
        let now = ContinuousClock.now
        schedule.reportEnded(at: now)
        #expect(schedule.mayStart(at: now))
    }
}
