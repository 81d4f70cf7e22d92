import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What chimerad writes under its output and state folders: never through a
/// link planted there, and a report pair whole or not at all.
@Suite(.serialized) struct OutputSafetyTests {
    static let examples = Chimerad.repository.appendingPathComponent("examples/results").path

    @Test func aStateFolderWhoseStoreOrLockIsALinkIsRefused() async throws {
        for name in ["chimerad.sqlite", "chimerad.lock", "chimerad.sqlite-wal"] {
            let state = try Chimerad.temporaryFolder("linked-state")
            let elsewhere = try Chimerad.temporaryFolder("elsewhere")
            let target = elsewhere + "/" + name
            #expect(symlink(target, state + "/" + name) == 0)
            let out = try Chimerad.temporaryFolder("out")
            let result = try await Chimerad.run(["report", "--input", Self.examples, "--output", out, "--state", state])
            #expect(result.status != 0, "\(name): \(result.stderr)")
            #expect(result.stderr.contains(state + "/" + name), "\(name): \(result.stderr)")
            #expect(result.stderr.contains("symbolic link"), "\(name): \(result.stderr)")
            // Nothing was created where the link points, nor a store beside a linked lock.
            #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty, "\(name)")
            if name == "chimerad.lock" { #expect(!FileManager.default.fileExists(atPath: state + "/chimerad.sqlite")) }
        }
    }

    /// A real full disk: the output folder is a small tmpfs in a private mount
    /// namespace, filled but for 0, 1, 2, ... pages, up to room for the whole
    /// pair. At every size the folder holds the whole pair or nothing. Earlier,
    /// the JSON was renamed into place before the Markdown was written, which
    /// left half a pair whenever the JSON fit and the Markdown did not.
    @Test(.enabled(if: getuid() == 0, "needs root to mount a small tmpfs in a private mount namespace (unshare -m)"))
    func aFullDiskPublishesAWholeReportOrNothing() async throws {
        let binary = try #require(Chimerad.binary)
        // The pair's size, from the same report written where there is room.
        let roomy = try Chimerad.temporaryFolder("roomy-out")
        let sizing = try await Chimerad.run(["report", "--input", Self.examples, "--output", roomy, "--state", try Chimerad.temporaryFolder("state")])
        try #require(sizing.status == 0, "\(sizing.stderr)")
        let page = 4096
        func pages(_ link: String) throws -> Int {
            // Of the report itself: attributes of `latest.*` are the link's.
            let path = roomy + "/" + (try FileManager.default.destinationOfSymbolicLink(atPath: link))
            let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
            return (size + page - 1) / page
        }
        // The charts too: a file each, and a page for each folder.
        let base = try FileManager.default.destinationOfSymbolicLink(atPath: roomy + "/latest.md").replacingOccurrences(of: ".md", with: "")
        let charts = roomy + "/charts/" + base
        let chartPages = try FileManager.default.contentsOfDirectory(atPath: charts).reduce(2) { total, name in
            let size = try #require(try FileManager.default.attributesOfItem(atPath: charts + "/" + name)[.size] as? Int)
            return total + (size + page - 1) / page
        }
        let mostPages = try pages(roomy + "/latest.json") + pages(roomy + "/latest.md") + pages(roomy + "/latest.html") + chartPages + 1
        let filler = 64 * page

        let out = try Chimerad.temporaryFolder("full-out")
        let state = try Chimerad.temporaryFolder("full-state")
        let script = """
            for room in $(seq 0 \(mostPages)); do
              mount -t tmpfs -o size=$((\(filler) + room * \(page))) tmpfs "$1" || exit 97
              head -c \(filler) /dev/zero > "$1/filler" || exit 98
              CHIMERAD_CONFIG="$5" "$2" report --input "$3" --output "$1" --state "$4" >/dev/null 2>"$4/stderr-$room"
              echo "room=$room exit=$? files=$(ls -A "$1" | grep -v '^filler$' | tr '\n' ' ')"
              umount "$1"
            done
            """
        let (status, output) = try await Chimerad.shell(
            ["unshare", "-m", "sh", "-c", script, "sh", out, binary, Self.examples, state, try Chimerad.neutralConfig()])
        try #require(status == 0, "\(output)")
        let lines = output.split(separator: "\n").map(String.init).filter { $0.hasPrefix("room=") }
        try #require(lines.count == mostPages + 1, "\(output)")
        var sawNothing = false
        var sawPair = false
        for (room, line) in lines.enumerated() {
            let files = line.components(separatedBy: "files=").last?.split(separator: " ").map(String.init) ?? []
            let reports = files.filter { $0.hasPrefix("chimera-report-") }
            if line.contains("exit=0 ") {
                sawPair = true
                #expect(
                    reports.count == 3 && files.contains("latest.md") && files.contains("latest.json") && files.contains("latest.html"),
                    "\(line)")
            } else {
                sawNothing = true
                #expect(files.isEmpty, "a failed report left files behind: \(line)")
                let stderr = (try? String(contentsOfFile: state + "/stderr-\(room)", encoding: .utf8)) ?? ""
                #expect(stderr.contains("No space left on device"), "\(line): \(stderr)")
            }
        }
        #expect(sawNothing && sawPair, "\(output)")
    }

    @Test func aReportAfterAKilledPublicationLeavesOnlyWholeReports() async throws {
        let out = try Chimerad.temporaryFolder("orphan-out")
        let state = try Chimerad.temporaryFolder("state")
        // What a writer killed between its links leaves: the JSON, and the HTML, without the Markdown.
        let orphan = out + "/chimera-report-20200101T000000Z.json"
        try "{}".write(toFile: orphan, atomically: false, encoding: .utf8)
        try "<p></p>".write(toFile: out + "/chimera-report-20200101T000000Z.html", atomically: false, encoding: .utf8)
        // A report of a chimerad before the HTML: whole without one, and kept.
        try "{}".write(toFile: out + "/chimera-report-20100101T000000Z.json", atomically: false, encoding: .utf8)
        try "# old".write(toFile: out + "/chimera-report-20100101T000000Z.md", atomically: false, encoding: .utf8)
        let result = try await Chimerad.run(["report", "--input", Self.examples, "--output", out, "--state", state])
        #expect(result.status == 0, "\(result.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(!names.contains("chimera-report-20200101T000000Z.json") && !names.contains("chimera-report-20200101T000000Z.html"))
        #expect(names.contains("chimera-report-20100101T000000Z.json") && names.contains("chimera-report-20100101T000000Z.md"))
        let reports = names.filter { $0.hasPrefix("chimera-report-") && !$0.hasPrefix("chimera-report-2010") }
        #expect(reports.count == 3, "\(names)")
        #expect(Set(reports.map { String($0.prefix { $0 != "." }) }).count == 1)
    }

    /// Marks, in the store at `state`, the report `base` in `folder` as a
    /// publication under way, naming the files there now as its writer's
    /// (what chimerad marks once its files are on disk, before they get
    /// their names, and clears with the record).
    private static func markUnrecorded(_ base: String, in folder: String, state: String) async throws {
        let script = """
            import json, os, sqlite3, sys
            store, folder, base = sys.argv[1:4]
            files = []
            for name in [base + e for e in ('.md', '.json', '.html')] + ['charts/' + base]:
                path = os.path.join(folder, name)
                if os.path.lexists(path):
                    st = os.lstat(path)
                    files.append(f'{st.st_dev}:{st.st_ino}:{st.st_mtime_ns}:{name}')
            c = sqlite3.connect(store)
            c.execute('INSERT INTO meta (key, value) VALUES (?, ?)', ('publishing:' + folder + '/' + base + '.md', json.dumps([folder, base] + files)))
            c.commit()
            """
        let (status, output) = try await Chimerad.shell(["python3", "-c", script, state + "/chimerad.sqlite", folder, base])
        #expect(status == 0, "\(output)")
    }

    /// A report published but never recorded (chimerad killed between its
    /// files' renames and the store's commit, which a slowed fsync made
    /// certain): its webhook event was never queued and its regressions
    /// never stored, so the next report withdraws it (files, charts, and
    /// `latest.*` with it) and covers its changes; in another folder its
    /// mark names, there. What another writer put at the name since (a
    /// shared output folder, a writer killed before its files got their
    /// names) is not its writer's, and stays.
    @Test func aReportPublishedButNeverRecordedIsWithdrawnByTheNext() async throws {
        let out = try Chimerad.temporaryFolder("unrecorded-out")
        let state = try Chimerad.temporaryFolder("state")
        let first = try await Chimerad.run(["report", "--input", Self.examples, "--output", out, "--state", state])
        #expect(first.status == 0, "\(first.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out)
        let recorded = try #require(names.first { $0.hasPrefix("chimera-report-") && $0.hasSuffix(".md") }).dropLast(3)
        // What the killed process left: a whole report under a later name, its charts, latest.* at it, and the store's mark.
        let unrecorded = "chimera-report-20991231T235959Z"
        for ending in [".md", ".json", ".html"] {
            try FileManager.default.copyItem(atPath: out + "/" + recorded + ending, toPath: out + "/" + unrecorded + ending)
            try FileManager.default.removeItem(atPath: out + "/latest" + ending)
            try FileManager.default.createSymbolicLink(atPath: out + "/latest" + ending, withDestinationPath: unrecorded + ending)
        }
        try FileManager.default.copyItem(atPath: out + "/charts/" + recorded, toPath: out + "/charts/" + unrecorded)
        try await Self.markUnrecorded(unrecorded, in: out, state: state)

        let next = try await Chimerad.run(["report", "--input", Self.examples, "--output", out, "--state", state])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("is withdrawn"), "\(next.stderr)")
        let after = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(!after.contains { $0.hasPrefix(unrecorded) }, "\(after)")
        #expect(!FileManager.default.fileExists(atPath: out + "/charts/" + unrecorded))
        let latest = try FileManager.default.destinationOfSymbolicLink(atPath: out + "/latest.md")
        #expect(latest != unrecorded + ".md" && latest != recorded + ".md" && after.contains(latest), "\(latest)")
        let (_, rows) = try await Chimerad.shell([
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('SELECT count(*) FROM report').fetchone()[0], "
                + "c.execute(\"SELECT count(*) FROM meta WHERE key LIKE 'publishing%'\").fetchone()[0])",
            state + "/chimerad.sqlite",
        ])
        #expect(rows.trimmingCharacters(in: .whitespacesAndNewlines) == "2 0", "\(rows)")

        // Marked in another folder (the output setting changed since, or another
        // command of the same state wrote there): withdrawn there. Beside it, a
        // name marked whose files another writer has made since: left alone.
        let elsewhere = try Chimerad.temporaryFolder("unrecorded-elsewhere")
        let taken = "chimera-report-20991231T235958Z"
        for ending in [".md", ".json", ".html"] {
            try FileManager.default.copyItem(atPath: out + "/" + latest.dropLast(3) + ending, toPath: elsewhere + "/" + unrecorded + ending)
            try FileManager.default.copyItem(atPath: out + "/" + latest.dropLast(3) + ending, toPath: out + "/" + taken + ending)
        }
        try await Self.markUnrecorded(unrecorded, in: elsewhere, state: state)
        try await Self.markUnrecorded(taken, in: out, state: state)
        // Its writer's temporaries removed, another's files made at the name (their numbers may be the same).
        for ending in [".md", ".json", ".html"] {
            let text = try String(contentsOfFile: out + "/" + taken + ending, encoding: .utf8)
            try FileManager.default.removeItem(atPath: out + "/" + taken + ending)
            try text.write(toFile: out + "/" + taken + ending, atomically: false, encoding: .utf8)
        }
        let third = try await Chimerad.run(["report", "--input", Self.examples, "--output", out, "--state", state])
        #expect(third.status == 0, "\(third.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: elsewhere)
        #expect(left.isEmpty, "\(left)")
        let kept = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(taken) }
        #expect(kept.count == 3, "\(kept)")
    }
}
