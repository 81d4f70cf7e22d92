import Charts
import Foundation
import Records

/// `regressions.atom` in the output folder: an Atom feed (RFC 4287) with an
/// entry for each regression opened and each one resolved, newest first, as
/// asv publishes its regressions. Written by every report, so a feed reader
/// pointed at the file (or at `chimerad run`'s folder served by any web
/// server) learns of a regression where its users already look; a valid feed
/// with no entries while nothing has regressed. Entry ids are stable: the
/// same event keeps its id in every report, so a reader shows it once.
///
/// ```swift
/// let atom = RegressionFeed(inputs: ["/srv/bench"], events: events).render(updated: "2026-12-02T12:00:00Z")
/// ```
package struct RegressionFeed: Sendable {
    package struct Event: Sendable, Equatable {
        package enum Kind: String, Sendable {
            case opened, reopened, resolved
        }

        package var kind: Kind
        /// The regression's id in the store (`chimerad regressions`).
        package var regression: Int64
        /// Which of its kind it is: a regression reopened is resolved a
        /// second time, and may be reopened again (1 for the first).
        package var occurrence: Int
        /// When it happened, ISO 8601 in UTC.
        package var at: String
        package var title: String
        package var summary: String
        /// How an earlier chimerad titled the same event: a feed it wrote
        /// keeps the entry's date (reworded, every resolved entry showed
        /// again in readers after an upgrade).
        package var formerTitle: String?

        package init(
            kind: Kind, regression: Int64, occurrence: Int = 1, at: String, title: String, summary: String, formerTitle: String? = nil
        ) {
            self.kind = kind
            self.regression = regression
            self.occurrence = occurrence
            self.at = at
            self.title = title
            self.summary = summary
            self.formerTitle = formerTitle
        }

        /// A regression's events: its opening, its last reopening and its
        /// resolution, each numbered by how often it was reopened.
        package static func occurrence(of kind: Kind, reopenCount: Int) -> Int {
            switch kind {
            case .opened: 1
            case .reopened: max(1, reopenCount)
            case .resolved: reopenCount + 1
            }
        }
    }

    package static let fileName = "regressions.atom"
    /// Entries kept in the feed: the newest events.
    package static let entryLimit = 50

    /// The inputs the reports cover (a report's scope): one feed, one id, per scope.
    package var inputs: [String]
    package var events: [Event]

    package init(inputs: [String], events: [Event]) {
        self.inputs = inputs
        self.events = events
    }

    /// The inputs as the store keys them (one a line): what the ids hash.
    var scope: String { inputs.joined(separator: "\n") }

    /// The inputs as the subtitle lists them, as XML text: a line break or
    /// tab in a folder's name written out (`\u{a}`), which the one-line
    /// text would otherwise show as a space, or the list as two folders.
    var shownInputs: String {
        inputs.map { input in
            var shown = ""
            var piece = ""
            for scalar in input.unicodeScalars {
                if scalar == "\n" || scalar == "\r" || scalar == "\t" {
                    shown += XMLText.escaped(piece) + HiddenCharacters.shown(scalar)
                    piece = ""
                } else {
                    piece.unicodeScalars.append(scalar)
                }
            }
            return shown + XMLText.escaped(piece)
        }.joined(separator: ", ")
    }

    /// The feed's id: the same for every report over the same inputs.
    var feedID: String { "urn:chimerad:regressions:" + RegressionFeed.hash(scope) }

    func entryID(_ event: Event) -> String {
        RegressionFeed.entryID(scope: scope, regression: event.regression, kind: event.kind, occurrence: event.occurrence)
    }

    /// An event's stable id, also the webhook event's (`notify.webhook_url`):
    /// a receiver and a feed reader name it alike. A second resolution (after
    /// a reopening) and a second reopening are `...:resolved-2`, `...:reopened-2`.
    package static func entryID(scope: String, regression: Int64, kind: Event.Kind, occurrence: Int = 1) -> String {
        "urn:chimerad:regression:\(hash(scope)):\(regression):\(kind.rawValue)" + (occurrence > 1 ? "-\(occurrence)" : "")
    }

    /// The feed, dated by its newest change; with no entry, by `previous`'s
    /// date (the feed as the last report wrote it: an empty feed stays the
    /// same file), else by `updated` (ISO 8601, the report's time).
    ///
    /// An entry is `published` when its event happened and `updated` when
    /// its words last changed: a regression whose session grew since it
    /// opened (-10.4%, then -24.5%) is dated by the report that revised it,
    /// so a feed reader shows it again; one unchanged keeps its date.
    package func render(updated: String, previous: String? = nil) -> String {
        let shown = events.sorted { ($0.at, $0.regression, $0.kind.rawValue) > ($1.at, $1.regression, $1.kind.rawValue) }
            .prefix(RegressionFeed.entryLimit)
        let updatedAt = entryDates(shown, now: updated, previous: previous)
        var updated = updated
        if shown.isEmpty, let previous, !previous.contains("<entry>"), let date = RegressionFeed.feedDate(of: previous) {
            updated = date
        }
        var out = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
            <id>\(feedID)</id>
            <title>chimerad regressions</title>
            <subtitle>Regressions opened and resolved over \(shownInputs)</subtitle>
            <updated>\(XMLText.escaped(updatedAt.max() ?? updated))</updated>
            <author><name>chimerad</name></author>
            <link rel="self" href="\(RegressionFeed.fileName)"/>
            <link rel="alternate" type="text/html" href="latest.html"/>
            <generator>chimerad</generator>

            """
        for (event, changedAt) in zip(shown, updatedAt) {
            out += """
                <entry>
                <id>\(entryID(event))</id>
                <title>\(XMLText.escaped(event.title))</title>
                <published>\(XMLText.escaped(event.at))</published>
                <updated>\(XMLText.escaped(changedAt))</updated>
                <category term="\(event.kind.rawValue)"/>
                <link rel="alternate" type="text/html" href="latest.html"/>
                <summary>\(XMLText.escaped(event.summary))</summary>
                </entry>

                """
        }
        return out + "</feed>\n"
    }

    /// When each entry last changed: at its event, or at `now` when its
    /// words differ from the same entry in `previous`. A feed written before
    /// entries had a `published` date keeps its dates: that version worded
    /// entries otherwise, and every entry would read as changed.
    private func entryDates(_ events: ArraySlice<Event>, now: String, previous: String?) -> [String] {
        let before = previous.map(RegressionFeed.entries) ?? [:]
        let reworded = previous?.contains("<published>") != true
        return events.map { event in
            guard let earlier = before[entryID(event)] else { return event.at }
            let titled = earlier.title == XMLText.escaped(event.title) || event.formerTitle.map { earlier.title == XMLText.escaped($0) } == true
            let same = titled && earlier.summary == XMLText.escaped(event.summary)
            return same || reworded ? max(earlier.updated, event.at) : max(now, event.at)
        }
    }

    /// The entries of a feed this type wrote, by id: their title and
    /// summary as written (escaped), and when they were last updated.
    ///
    /// Read line by line as `render` writes them: an entry's id, title,
    /// published date (absent in older feeds) and updated date each on the
    /// line after the one before, then its summary among its other lines. A
    /// Swift regex did this in about 2 ms a report, most of it building the
    /// regex, and every report reads the feed it replaces.
    static func entries(of feed: String) -> [String: (title: String, summary: String, updated: String)] {
        var entries: [String: (title: String, summary: String, updated: String)] = [:]
        let lines = feed.split(separator: "\n", omittingEmptySubsequences: false)
        var at = 0
        /// The text of the element `name` on the line at `at`, moving past it.
        func take(_ name: String) -> Substring? {
            guard at < lines.count, let text = element(name, in: lines[at]) else { return nil }
            at += 1
            return text
        }
        while at < lines.count {
            guard lines[at] == "<entry>" else {
                at += 1
                continue
            }
            at += 1
            guard let id = take("id"), let title = take("title") else { continue }
            _ = take("published")
            guard let updated = take("updated") else { continue }
            while at < lines.count, lines[at].hasPrefix("<"), lines[at] != "</entry>" {
                if let summary = take("summary") {
                    entries[String(id)] = (String(title), String(summary), String(updated))
                    break
                }
                at += 1
            }
        }
        return entries
    }

    /// The text of `<name>text</name>` when `line` is that and nothing else,
    /// its text holding no markup.
    private static func element(_ name: String, in line: Substring) -> Substring? {
        let open = "<\(name)>"
        let close = "</\(name)>"
        guard line.hasPrefix(open), line.hasSuffix(close), line.count >= open.count + close.count else { return nil }
        let text = line.dropFirst(open.count).dropLast(close.count)
        return text.contains("<") ? nil : text
    }

    /// The first `<updated>` date of a feed: what an empty feed keeps, so it stays the same file.
    static func feedDate(of feed: String) -> String? {
        var rest = feed[...]
        while let open = rest.range(of: "<updated>") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "</updated>") else { return nil }
            let date = rest[..<close.lowerBound]
            if (10...40).contains(date.count), date.allSatisfy({ $0.isASCII && ($0.isNumber || "T:.Z+-".contains($0)) }) {
                return String(date)
            }
        }
        return nil
    }

    /// A stable hash of `text`, in hex (the same on every run and host).
    package static func hash(_ text: String) -> String {
        var hash = StableHash()
        hash.add(text)
        return String(hash.low, radix: 16)
    }
}
