import Analysis
import Foundation
import Notify
import Records
import Reporting
import Settings
import Store
import Testing

@testable import Pipeline

/// The webhook's events of a report: one per regression opened and
/// resolved (and per report with `on_report`), with the Atom entries' ids,
/// only when a webhook is set.
@Suite struct ReportNotificationsTests {
    private static func regression(id: Int64, resolution: Regression.Resolution? = nil) -> Regression {
        Regression(
            id: id, model: "llama3.1:8b", configuration: [Parameter("num_ctx", "4096")], metric: .tokensPerSecond,
            baseline: .init(median: 78.43, n: 20), baselineSessions: 2, current: .init(median: 63.2, n: 10), currentSources: ["runs/new.csv"],
            changePercent: -19.42, intervalPercent: -23.0...(-15.1), pValue: 0.003, qValue: 0.0014, openedAt: "2026-12-02T12:00:00Z",
            resolvedAt: resolution == nil ? nil : "2026-12-03T08:00:00Z", resolution: resolution)
    }

    private static let report = ReportNotifications.Written(
        markdownPath: "/out/chimera-report-20261203T080000Z.md", jsonPath: "/out/chimera-report-20261203T080000Z.json",
        htmlPath: "/out/chimera-report-20261203T080000Z.html", base: "chimera-report-20261203T080000Z", trigger: "change",
        time: "2026-12-03T08:00:00Z", inputs: ["/srv/bench"], filesSeen: 4, filesAnalyzed: 4, filesSkipped: 0, filesChanged: 1,
        filesDeleted: 0, openRegressions: 1)

    /// The `notify.*` settings as loading makes them.
    private static func notify(url: String = "https://hooks.example.com/x", onReport: Bool = false) async throws -> Settings.Notify {
        var overrides = Settings.Overrides()
        overrides.set(.notifyWebhookURL, url)
        overrides.set(.notifyOnReport, onReport)
        return try await Settings.load(file: nil, overrides: overrides, environment: ["HOME": "/home/u"]).notify
    }

    @Test func oneEventPerMoveWithTheFeedsIDs() async throws {
        let state = RegressionState(
            opened: [Self.regression(id: 3)],
            resolvedNow: [Self.regression(id: 1, resolution: .recovered(source: "runs/newer.csv", changePercent: .nan))])
        let notify = try await Self.notify()
        let events = ReportNotifications(settings: notify, state: state, scope: "/srv/bench", report: Self.report).entries
        #expect(events.map(\.kind) == [.opened, .resolved])
        #expect(
            events.map(\.eventID) == [
                RegressionFeed.entryID(scope: "/srv/bench", regression: 3, kind: .opened),
                RegressionFeed.entryID(scope: "/srv/bench", regression: 1, kind: .resolved),
            ])
        let opened = try WebhookEvent.decode(events[0].payload)
        #expect(opened.event == .regressionOpened && opened.time == "2026-12-02T12:00:00Z")
        #expect(opened.title == "Regression #3 opened: llama3.1:8b (num_ctx=4096) tok/s -19.4% (p=0.003)")
        #expect(opened.regression?.configuration == ["num_ctx": "4096"] && opened.regression?.ciPercent == [-23.0, -15.1])
        // What the change is: a webhook consumer reading -19.3% beside two medians is told it is not their ratio.
        #expect(opened.regression?.basis == "runs")
        #expect(opened.reportPath == Self.report.markdownPath && opened.inputs == ["/srv/bench"])
        let resolved = try WebhookEvent.decode(events[1].payload)
        #expect(resolved.event == .regressionResolved && resolved.time == "2026-12-03T08:00:00Z")
        // A figure that is not one is left out, never written as NaN (which JSON cannot hold).
        #expect(resolved.regression?.resolution == .init(kind: .recovered, source: "runs/newer.csv", changePercent: nil))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(events[1].payload.utf8)) as? [String: Any])
        let resolution = (json["regression"] as? [String: Any])?["resolution"] as? [String: Any]
        #expect(resolution?["kind"] as? String == "recovered" && resolution?["change_percent"] == nil)
    }

    /// A reopening is an event of its own, and the resolution after it has
    /// an id of its own: a receiver that keeps one event per id hears both.
    @Test func aReopeningAndTheResolutionAfterItHaveTheirOwnIDs() async throws {
        var reopened = Self.regression(id: 4)
        reopened.reopenedAt = "2026-12-03T07:00:00Z"
        reopened.reopenCount = 1
        var resolvedAgain = Self.regression(id: 4, resolution: .recovered(source: "runs/later.csv", changePercent: -1))
        resolvedAgain.reopenedAt = "2026-12-03T07:00:00Z"
        resolvedAgain.reopenCount = 1
        let notify = try await Self.notify()
        let state = RegressionState(resolvedNow: [resolvedAgain])
        var withReopening = state
        withReopening.reopened = [reopened]
        let events = ReportNotifications(settings: notify, state: withReopening, scope: "/srv/bench", report: Self.report).entries
        #expect(events.map(\.kind) == [.reopened, .resolved])
        let ids = events.map(\.eventID)
        #expect(ids[0].hasSuffix(":4:reopened") && ids[1].hasSuffix(":4:resolved-2"), "\(ids)")
        #expect(!ids.contains(RegressionFeed.entryID(scope: "/srv/bench", regression: 4, kind: .resolved)), "the first resolution's id is taken")
        let event = try WebhookEvent.decode(events[0].payload)
        #expect(event.event == .regressionReopened && event.time == "2026-12-03T07:00:00Z" && event.regression?.reopenedAt == event.time)
        #expect(event.title.hasPrefix("Regression #4 reopened: ") && event.text.contains("reopened 2026-12-03T07:00:00Z"), "\(event.text)")
    }

    @Test func nothingWithoutAWebhookAndAReportEventOnlyWhenAsked() async throws {
        let state = RegressionState(opened: [Self.regression(id: 3)])
        let (off, onReport) = (try await Self.notify(url: ""), try await Self.notify(onReport: true))
        #expect(ReportNotifications(settings: off, state: state, scope: "/s", report: Self.report).entries.isEmpty)
        let events = ReportNotifications(settings: onReport, state: state, scope: "/s", report: Self.report).entries
        #expect(events.map(\.kind) == [.opened, .report])
        let report = try WebhookEvent.decode(events[1].payload)
        #expect(report.event == .reportWritten && report.id.hasSuffix(":chimera-report-20261203T080000Z"))
        #expect(report.report?.opened == [3] && report.report?.filesChanged == 1 && report.regression == nil)
    }

    /// A report that only saw a file deleted, and reopened the regression
    /// its session had recovered, says both: "0 files changed" with empty
    /// lists read as a report where nothing happened.
    @Test func theReportEventCountsDeletionsAndReopenings() async throws {
        var reopened = Self.regression(id: 1)
        reopened.reopenedAt = "2026-12-03T08:00:00Z"
        reopened.reopenCount = 1
        reopened.reopenReason = .deleted
        var state = RegressionState()
        state.reopened = [reopened]
        var written = Self.report
        (written.filesChanged, written.filesDeleted) = (0, 1)
        let events = ReportNotifications(settings: try await Self.notify(onReport: true), state: state, scope: "/s", report: written).entries
        #expect(events.map(\.kind) == [.reopened, .report])
        let report = try WebhookEvent.decode(events[1].payload)
        #expect(report.title == "Report written: 0 files changed, 1 deleted, 1 open regression", "\(report.title)")
        #expect(report.report?.filesDeleted == 1 && report.report?.reopened == [1] && report.report?.opened == [])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(events[1].payload.utf8)) as? [String: Any])
        let fields = try #require(json["report"] as? [String: Any])
        #expect(fields["files_deleted"] as? Int == 1 && fields["reopened"] as? [Int] == [1], "\(fields)")
        // Nothing deleted: the title keeps its two counts.
        let plain = ReportNotifications(settings: try await Self.notify(onReport: true), state: .init(), scope: "/s", report: Self.report)
        #expect(try WebhookEvent.decode(try #require(plain.entries.last).payload).title == "Report written: 1 file changed, 1 open regression")
        // An event an earlier version queued, without the new keys, still reads (its ntfy text is made from it).
        let earlier = try WebhookEvent.decode(
            events[1].payload.replacingOccurrences(of: "\"files_deleted\":1,", with: "").replacingOccurrences(of: "\"reopened\":[1],", with: ""))
        #expect(earlier.report?.filesDeleted == nil && earlier.report?.reopened == nil && earlier.report?.filesChanged == 0)
    }

    @Test func anAcknowledgementIsAResolutionWithItsNote() async throws {
        let row = Self.regression(id: 5, resolution: .acknowledged(note: "new driver")).row(scope: "/srv/bench")
        let (on, off) = (try await Self.notify(), try await Self.notify(url: ""))
        let entry = try #require(try ReportNotifications.acknowledged(row, settings: on, lastReportPath: "/out/latest.md"))
        #expect(entry.eventID == RegressionFeed.entryID(scope: "/srv/bench", regression: 5, kind: .resolved))
        let event = try WebhookEvent.decode(entry.payload)
        #expect(event.regression?.resolution == .init(kind: .acknowledged, note: "new driver"))
        #expect(event.title == "Regression #5 resolved (acknowledged): llama3.1:8b (num_ctx=4096) tok/s")
        #expect(try ReportNotifications.acknowledged(row, settings: off, lastReportPath: nil) == nil)
    }

    /// A regression withdrawn because its session ran elsewhere: its event
    /// says so, with what differs, and the row keeps the differences whole
    /// (values from files may hold any text).
    @Test func aWithdrawalSaysWhatDiffers() async throws {
        let differences = ["gpu: RTX 4090 → RTX 3090", "host: a; b → \"c\""]
        let regression = Self.regression(id: 7, resolution: .withdrawn(differences: differences))
        let events = ReportNotifications(
            settings: try await Self.notify(), state: RegressionState(resolvedNow: [regression]), scope: "/srv/bench", report: Self.report
        ).entries
        let event = try WebhookEvent.decode(try #require(events.first).payload)
        #expect(event.title == "Regression #7 resolved (withdrawn): llama3.1:8b (num_ctx=4096) tok/s")
        #expect(event.regression?.resolution == .init(kind: .withdrawn, environmentDifferences: differences))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(events[0].payload.utf8)) as? [String: Any])
        let resolution = (json["regression"] as? [String: Any])?["resolution"] as? [String: Any]
        #expect(resolution?["kind"] as? String == "withdrawn" && resolution?["environment_differences"] as? [String] == differences)
        let row = regression.row(scope: "/srv/bench")
        #expect(row.resolution == "withdrawn" && Regression(row: row)?.resolution == .withdrawn(differences: differences))
    }
}
