import Foundation
import Testing

@testable import Reporting

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("The regressions feed")
struct RegressionFeedTests {
    static func event(_ id: Int64, _ kind: RegressionFeed.Event.Kind, at: String, title: String = "m, tok/s -20.0%") -> RegressionFeed.Event {
        RegressionFeed.Event(kind: kind, regression: id, at: at, title: title, summary: "tok/s 100.00 → 80.00")
    }

    static func wellFormed(_ xml: String) -> Bool {
        XMLParser(data: Data(xml.utf8)).parse()
    }

    @Test("names from files stay text: the feed is well-formed XML with a hostile model name, scope and summary")
    func hostileTextIsEscaped() {
        let hostile = "<script>alert(1)</script>]]> & \u{1B}[31m\u{9B}\u{7} </entry><entry>"
        let feed = RegressionFeed(inputs: [hostile], events: [Self.event(1, .opened, at: "2026-12-02T10:00:00Z", title: hostile)])
        let xml = feed.render(updated: "2026-12-02T11:00:00Z")
        #expect(Self.wellFormed(xml), "\(xml)")
        #expect(xml.components(separatedBy: "<entry>").count == 2)
        #expect(!xml.contains("<script") && !xml.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B || $0.value == 7 })
    }

    /// A line break in a watched folder's name is written out: the one-line
    /// subtitle showed `/srv/a` and `b` as two folders.
    @Test("the subtitle lists each input once, a line break in its name written out")
    func aLineBreakInAnInputsNameIsWrittenOut() {
        let feed = RegressionFeed(inputs: ["/srv/a\nb", "/srv/c\td"], events: [])
        let xml = feed.render(updated: "2026-12-02T11:00:00Z")
        #expect(xml.contains("<subtitle>Regressions opened and resolved over /srv/a\\u{a}b, /srv/c\\u{9}d</subtitle>"), "\(xml)")
        #expect(feed.scope == "/srv/a\nb\n/srv/c\td", "the ids hash the store's key, as before")
    }

    @Test("ids depend on the scope, the regression and the event only, and entries are newest first")
    func stableIDsNewestFirst() throws {
        let events = [Self.event(1, .opened, at: "2026-12-01T10:00:00Z"), Self.event(1, .resolved, at: "2026-12-02T10:00:00Z")]
        let one = RegressionFeed(inputs: ["/srv/bench"], events: events)
        let other = RegressionFeed(inputs: ["/srv/bench"], events: events.reversed())
        #expect(one.render(updated: "x") == other.render(updated: "y"), "the newest event dates the feed, not the report")
        #expect(one.entryID(events[0]) != one.entryID(events[1]))
        #expect(RegressionFeed(inputs: ["/srv/other"], events: events).entryID(events[0]) != one.entryID(events[0]))
        let xml = one.render(updated: "x")
        let resolved = try #require(xml.range(of: "<category term=\"resolved\"/>"))
        let opened = try #require(xml.range(of: "<category term=\"opened\"/>"))
        #expect(resolved.lowerBound < opened.lowerBound)
    }

    @Test("an entry whose words changed (its session grew) is updated by the report that changed it; one unchanged keeps its date")
    func aRevisedEntryIsUpdated() throws {
        let opened = Self.event(1, .opened, at: "2026-12-01T10:00:00Z")
        let other = Self.event(2, .opened, at: "2026-12-01T09:00:00Z")
        let first = RegressionFeed(inputs: ["/srv"], events: [opened, other]).render(updated: "2026-12-01T10:00:00Z")
        #expect(first.contains("<published>2026-12-01T10:00:00Z</published>\n<updated>2026-12-01T10:00:00Z</updated>"))
        // The same words in the next report: nothing moves, the file is the same.
        #expect(RegressionFeed(inputs: ["/srv"], events: [opened, other]).render(updated: "2026-12-01T11:00:00Z", previous: first) == first)
        var grown = opened
        grown.title = "m, tok/s -24.5%"
        let second = RegressionFeed(inputs: ["/srv"], events: [grown, other]).render(updated: "2026-12-01T12:00:00Z", previous: first)
        #expect(Self.wellFormed(second))
        #expect(
            second.contains("<title>m, tok/s -24.5%</title>\n<published>2026-12-01T10:00:00Z</published>\n<updated>2026-12-01T12:00:00Z</updated>"),
            "\(second)")
        #expect(second.contains("<published>2026-12-01T09:00:00Z</published>\n<updated>2026-12-01T09:00:00Z</updated>"))
        // The feed is dated by its newest change, and a later unchanged report keeps it.
        #expect(second.contains("<generator>") && second.components(separatedBy: "<updated>2026-12-01T12:00:00Z</updated>").count == 3)
        #expect(RegressionFeed(inputs: ["/srv"], events: [grown, other]).render(updated: "2026-12-01T13:00:00Z", previous: second) == second)
    }

    @Test("a feed written before entries had a published date keeps its dates: that version worded entries otherwise")
    func anOlderFeedKeepsItsDates() {
        let opened = Self.event(1, .opened, at: "2026-12-01T10:00:00Z")
        let older = RegressionFeed(inputs: ["/srv"], events: [opened]).render(updated: "2026-12-01T10:00:00Z")
            .replacingOccurrences(of: "<published>2026-12-01T10:00:00Z</published>\n", with: "")
            .replacingOccurrences(of: "tok/s 100.00 → 80.00", with: "tok/s 100.00 -> 80.00")
        let now = RegressionFeed(inputs: ["/srv"], events: [opened]).render(updated: "2026-12-05T00:00:00Z", previous: older)
        #expect(!now.contains("2026-12-05T00:00:00Z"), "\(now)")
    }

    @Test("an entry an earlier chimerad titled otherwise keeps its date: an upgrade shows no resolution again")
    func aFormerTitleKeepsTheEntrysDate() {
        let former = Self.event(1, .resolved, at: "2026-12-01T10:00:00Z", title: "Regression #1 resolved (recovered): m, tok/s")
        let older = RegressionFeed(inputs: ["/srv"], events: [former]).render(updated: "2026-12-01T10:00:00Z")
        var now = former
        now.title = "Regression #1 resolved (recovered by b.csv, +0.9% against the baseline): m, tok/s"
        now.formerTitle = former.title
        let upgraded = RegressionFeed(inputs: ["/srv"], events: [now]).render(updated: "2026-12-05T00:00:00Z", previous: older)
        #expect(!upgraded.contains("2026-12-05T00:00:00Z") && upgraded.contains("recovered by b.csv"), "\(upgraded)")
        // Without the former title, the rewording is a change.
        now.formerTitle = nil
        #expect(
            RegressionFeed(inputs: ["/srv"], events: [now]).render(updated: "2026-12-05T00:00:00Z", previous: older).contains("2026-12-05T00:00:00Z"))
    }

    @Test("an empty feed is still a feed, dated by the report; and it keeps the newest entries only")
    func emptyAndBounded() {
        let empty = RegressionFeed(inputs: ["/srv"], events: []).render(updated: "2026-12-02T11:00:00Z")
        #expect(Self.wellFormed(empty) && !empty.contains("<entry>") && empty.contains("<updated>2026-12-02T11:00:00Z</updated>"))
        // The next report over the same quiet inputs writes the same file (so it need not write it at all).
        #expect(RegressionFeed(inputs: ["/srv"], events: []).render(updated: "2026-12-02T12:00:00Z", previous: empty) == empty)
        let many = (1...(RegressionFeed.entryLimit + 10)).map {
            Self.event(Int64($0), .opened, at: String(format: "2026-12-02T10:%02d:00Z", $0 % 60))
        }
        let xml = RegressionFeed(inputs: ["/srv"], events: many).render(updated: "x")
        #expect(xml.components(separatedBy: "<entry>").count - 1 == RegressionFeed.entryLimit)
    }
}
