import Foundation
import Testing

@testable import Reporting

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh folder under the system temporary folder, removed when the body ends.
private func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-writer-" + UUID().uuidString).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    return try body(directory)
}

private func contents(_ directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
}

private func read(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8)
}

private func name(_ path: String) -> String {
    URL(fileURLWithPath: path).lastPathComponent
}

@Suite("ReportWriter")
struct ReportWriterTests {
    static let date = Date(timeIntervalSince1970: 1_763_840_701)  // 2025-11-22 19:45:01 UTC

    @Test("time stamps of a fixed date, in UTC")
    func timestamps() {
        #expect(Timestamps.compact(Self.date) == "20251122T194501Z")
        #expect(Timestamps.iso8601(Self.date) == "2025-11-22T19:45:01Z")
        #expect(Timestamps.readable(Self.date) == "2025-11-22 19:45:01 UTC")
        // Padding, and the epoch.
        let early = Date(timeIntervalSince1970: 0)
        #expect(Timestamps.compact(early) == "19700101T000000Z")
        #expect(Timestamps.iso8601(early) == "1970-01-01T00:00:00Z")
        #expect(Timestamps.readable(Date(timeIntervalSince1970: 1_704_067_199)) == "2023-12-31 23:59:59 UTC")
        // Fractions of a second are cut, not rounded up into the next second.
        #expect(Timestamps.compact(Date(timeIntervalSince1970: 1_763_840_701.9)) == "20251122T194501Z")
        // Years before 1000 keep four digits; the first second of year 1.
        #expect(Timestamps.iso8601(Date(timeIntervalSince1970: -62_135_596_800)) == "0001-01-01T00:00:00Z")
        #expect(Timestamps.compact(Date(timeIntervalSince1970: -30_610_224_001)) == "09991231T235959Z")
    }

    @Test("calendar fields by arithmetic agree with Foundation's Gregorian calendar from 1600 to 9999, leap days and negative times included")
    func calendarFieldsAgreeWithFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? .current
        // Steps of a prime number of seconds (about 11.6 days) hit every
        // month, day and time of day; plus the edges around leap days.
        var times: [Double] = Array(stride(from: -11_676_096_000.0, to: 253_402_300_799.0, by: 1_000_003.7))
        times += [-0.5, -1, 951_782_400, 951_868_799, 4_107_542_400, 253_402_300_799, 1_709_164_800 - 0.001]
        var disagreements: [Double] = []
        for time in times {
            let date = Date(timeIntervalSince1970: time)
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let f = Timestamps.fields(date)
            if (f.year, f.month, f.day, f.hour, f.minute, f.second) != (c.year, c.month, c.day, c.hour, c.minute, c.second) {
                disagreements.append(time)
            }
        }
        #expect(disagreements.isEmpty, "first: \(disagreements.prefix(5))")
        #expect(Timestamps.iso8601(Date(timeIntervalSince1970: 951_825_600)) == "2000-02-29T12:00:00Z")
        #expect(Timestamps.iso8601(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        // Beyond year 9999 Foundation's calendar answers.
        #expect(Timestamps.iso8601(Date(timeIntervalSince1970: 253_402_300_800)) == "10000-01-01T00:00:00Z")
    }

    @Test("a relative folder is kept absolute, so the paths reports and webhook events give name it from anywhere")
    func relativeFolderIsAbsolute() {
        let here = FileManager.default.currentDirectoryPath
        #expect(ReportWriter(directory: "out/", retain: 1).directory == (here == "/" ? "/out" : here + "/out"))
        #expect(ReportWriter(directory: "/srv/reports/../out", retain: 1).directory == "/srv/out")
        #expect(ReportWriter(directory: "/srv/reports", retain: 1).directory == "/srv/reports")
    }

    @Test("prepare creates a missing folder, parents included")
    func prepareCreates() throws {
        try withTemporaryDirectory { root in
            let directory = root + "/a/b/reports"
            #expect(!FileManager.default.fileExists(atPath: directory))
            try ReportWriter(directory: directory, retain: 5).prepare()
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory))
            #expect(isDirectory.boolValue)
            // Twice is fine.
            try ReportWriter(directory: directory, retain: 5).prepare()
        }
    }

    @Test("prepare refuses a path that is a regular file, naming it")
    func prepareRefusesFile() throws {
        try withTemporaryDirectory { root in
            let file = root + "/reports"
            try "not a folder".write(toFile: file, atomically: true, encoding: .utf8)
            let failure = try #require(throws: ReportWriter.Failure.self) {
                try ReportWriter(directory: file, retain: 5).prepare()
            }
            #expect(failure.path == file)
            #expect(failure.description.contains(file))
            #expect(failure.description == "output folder \(file): is not a folder")
            // The file is left alone.
            #expect(try read(file) == "not a folder")
        }
    }

    @Test("prepare refuses a folder below a regular file")
    func prepareRefusesFileParent() throws {
        try withTemporaryDirectory { root in
            let file = root + "/plain"
            try "x".write(toFile: file, atomically: true, encoding: .utf8)
            let failure = try #require(throws: ReportWriter.Failure.self) {
                try ReportWriter(directory: file + "/reports", retain: 5).prepare()
            }
            #expect(failure.path == file + "/reports")
            #expect(failure.description.contains(file + "/reports"))
        }
    }

    @Test("write names the pair by its UTC time and links latest.md and latest.json to it")
    func writePair() throws {
        try withTemporaryDirectory { directory in
            let writer = ReportWriter(directory: directory, retain: 0)
            try writer.prepare()
            let written = try writer.write(markdown: "# report\n", json: "{}\n", html: "<p>html</p>\n", at: Self.date)
            #expect(name(written.markdownPath).wholeMatch(of: #/chimera-report-\d{8}T\d{6}Z\.md/#) != nil)
            #expect(name(written.jsonPath).wholeMatch(of: #/chimera-report-\d{8}T\d{6}Z\.json/#) != nil)
            #expect(written.markdownPath == directory + "/chimera-report-20251122T194501Z.md")
            #expect(written.jsonPath == directory + "/chimera-report-20251122T194501Z.json")
            #expect(written.pruned.isEmpty)
            #expect(try read(written.markdownPath) == "# report\n")
            #expect(try read(written.jsonPath) == "{}\n")

            // Relative links, so the folder can move.
            let fm = FileManager.default
            #expect(try fm.destinationOfSymbolicLink(atPath: directory + "/latest.md") == "chimera-report-20251122T194501Z.md")
            #expect(try fm.destinationOfSymbolicLink(atPath: directory + "/latest.json") == "chimera-report-20251122T194501Z.json")
            #expect(try read(directory + "/latest.md") == "# report\n")
            #expect(try read(directory + "/latest.json") == "{}\n")

            #expect(try read(written.htmlPath) == "<p>html</p>\n")
            #expect(try fm.destinationOfSymbolicLink(atPath: directory + "/latest.html") == "chimera-report-20251122T194501Z.html")
            #expect(
                try contents(directory) == [
                    "chimera-report-20251122T194501Z.html", "chimera-report-20251122T194501Z.json", "chimera-report-20251122T194501Z.md",
                    "latest.html", "latest.json", "latest.md",
                ])
        }
    }

    @Test("two reports in the same second get -2, and latest points to the newer")
    func sameSecond() throws {
        try withTemporaryDirectory { directory in
            let writer = ReportWriter(directory: directory, retain: 0)
            try writer.prepare()
            let first = try writer.write(markdown: "first\n", json: "[1]\n", html: "<p>html</p>\n", at: Self.date)
            let second = try writer.write(markdown: "second\n", json: "[2]\n", html: "<p>html</p>\n", at: Self.date)
            let third = try writer.write(markdown: "third\n", json: "[3]\n", html: "<p>html</p>\n", at: Self.date.addingTimeInterval(0.5))
            #expect(name(first.markdownPath) == "chimera-report-20251122T194501Z.md")
            #expect(name(second.markdownPath) == "chimera-report-20251122T194501Z-2.md")
            #expect(name(second.jsonPath) == "chimera-report-20251122T194501Z-2.json")
            #expect(name(third.markdownPath) == "chimera-report-20251122T194501Z-3.md")
            #expect(try read(first.markdownPath) == "first\n")
            #expect(try read(second.markdownPath) == "second\n")
            let fm = FileManager.default
            #expect(try fm.destinationOfSymbolicLink(atPath: directory + "/latest.md") == "chimera-report-20251122T194501Z-3.md")
            #expect(try fm.destinationOfSymbolicLink(atPath: directory + "/latest.json") == "chimera-report-20251122T194501Z-3.json")
            #expect(try read(directory + "/latest.json") == "[3]\n")
            #expect(
                writer.reportBases() == [
                    "chimera-report-20251122T194501Z", "chimera-report-20251122T194501Z-2", "chimera-report-20251122T194501Z-3",
                ])
        }
    }

    @Test("reports of one second past the retention: a name pruned is not taken again, so the newest report is kept")
    func sameSecondPastRetention() throws {
        try withTemporaryDirectory { directory in
            let writer = ReportWriter(directory: directory, retain: 3)
            try writer.prepare()
            for index in 1...6 {
                let written = try writer.write(markdown: "\(index)\n", json: "[\(index)]\n", html: "<p>\(index)</p>\n", at: Self.date)
                // The newest is always there, and latest.* is it.
                #expect(try read(written.markdownPath) == "\(index)\n", "report \(index)")
                #expect(try read(directory + "/latest.json") == "[\(index)]\n", "report \(index)")
                #expect(
                    writer.reportBases().count == min(index, 3)
                        && writer.reportBases().last == name(written.markdownPath).replacingOccurrences(of: ".md", with: ""))
            }
        }
    }

    @Test("retention keeps the newest pairs and returns what it removed")
    func retention() throws {
        try withTemporaryDirectory { directory in
            let writer = ReportWriter(directory: directory, retain: 2)
            try writer.prepare()
            var pruned: [String] = []
            var names: [String] = []
            for index in 0..<4 {
                let written = try writer.write(
                    markdown: "report \(index)\n", json: "{\"n\": \(index)}\n", html: "<p>\(index)</p>\n",
                    at: Self.date.addingTimeInterval(Double(index) * 60))
                names.append(String(name(written.markdownPath).dropLast(3)))
                pruned += written.pruned
                if index < 2 { #expect(written.pruned.isEmpty) }
            }
            #expect(
                names == [
                    "chimera-report-20251122T194501Z", "chimera-report-20251122T194601Z", "chimera-report-20251122T194701Z",
                    "chimera-report-20251122T194801Z",
                ])
            #expect(Set(pruned) == Set(names.prefix(2).flatMap { [$0 + ".md", $0 + ".json", $0 + ".html"] }))
            #expect(pruned.count == 6)
            #expect(
                try contents(directory) == [
                    names[2] + ".html", names[2] + ".json", names[2] + ".md", names[3] + ".html", names[3] + ".json", names[3] + ".md",
                    "latest.html", "latest.json", "latest.md",
                ])
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory + "/latest.md") == names[3] + ".md")
            #expect(try read(directory + "/latest.md") == "report 3\n")
            // No temporary is left behind.
            #expect(!(try contents(directory)).contains { $0.contains(".tmp-") })
        }
    }

    @Test("retention orders suffixed reports after their second")
    func retentionWithSuffixes() throws {
        try withTemporaryDirectory { directory in
            let writer = ReportWriter(directory: directory, retain: 2)
            try writer.prepare()
            _ = try writer.write(markdown: "a\n", json: "{}\n", html: "<p>html</p>\n", at: Self.date)
            _ = try writer.write(markdown: "b\n", json: "{}\n", html: "<p>html</p>\n", at: Self.date)
            let last = try writer.write(markdown: "c\n", json: "{}\n", html: "<p>html</p>\n", at: Self.date)
            #expect(
                Set(last.pruned) == [
                    "chimera-report-20251122T194501Z.md", "chimera-report-20251122T194501Z.json", "chimera-report-20251122T194501Z.html",
                ])
            #expect(writer.reportBases() == ["chimera-report-20251122T194501Z-2", "chimera-report-20251122T194501Z-3"])
        }
    }

    @Test("retain 0 keeps every report")
    func retainAll() throws {
        try withTemporaryDirectory { directory in
            let writer = ReportWriter(directory: directory, retain: 0)
            try writer.prepare()
            for index in 0..<5 {
                let written = try writer.write(
                    markdown: "\(index)\n", json: "{}\n", html: "<p>html</p>\n", at: Self.date.addingTimeInterval(Double(index)))
                #expect(written.pruned.isEmpty)
            }
            #expect(writer.reportBases().count == 5)
        }
    }

    /// Nor your files named like them (`chimera-report-old-copy.md`, a
    /// lone `chimera-report-keep.json`): they were pruned, or taken for a
    /// half-published report and removed at the start, without a word.
    @Test("files that are not reports are never pruned, nor taken for unfinished reports, whatever their prefix")
    func otherFilesKept() throws {
        try withTemporaryDirectory { directory in
            let yours = [
                "notes.md", "chimera-report.txt", "chimera-report-old-copy.md", "chimera-report-keep.json", "chimera-report-20251122T1945Z.md",
                "chimera-report-20251122T194501Z-copy.html", "chimera-report-20251122T194501Z-01.md",
            ]
            for name in yours { try "keep\n".write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
            try FileManager.default.createDirectory(atPath: directory + "/charts/chimera-report-mine", withIntermediateDirectories: true)
            let writer = ReportWriter(directory: directory, retain: 1)
            try writer.prepare()
            for index in 0..<3 {
                _ = try writer.write(markdown: "\(index)\n", json: "{}\n", html: "<p>html</p>\n", at: Self.date.addingTimeInterval(Double(index)))
            }
            let names = try contents(directory)
            for name in yours { #expect(names.contains(name), "\(name) is gone") }
            #expect(FileManager.default.fileExists(atPath: directory + "/charts/chimera-report-mine"))
            #expect(writer.reportBases() == ["chimera-report-20251122T194503Z"])
        }
    }

    @Test("prepare removes a temporary left by a writer that is gone, and keeps a live writer's")
    func staleTemporaries() throws {
        try withTemporaryDirectory { directory in
            // 999999 must not be a running process for this test to mean anything.
            try #require(kill(999_999, 0) != 0 && errno == ESRCH)
            let stale = directory + "/.chimera-report-x.md.tmp-999999"
            let live = directory + "/.chimera-report-y.md.tmp-\(getppid())"
            let unrelated = directory + "/.hidden"
            for path in [stale, live, unrelated] { try "partial".write(toFile: path, atomically: false, encoding: .utf8) }
            try ReportWriter(directory: directory, retain: 5).prepare()
            let names = try contents(directory)
            #expect(!names.contains(".chimera-report-x.md.tmp-999999"))
            #expect(names.contains(".chimera-report-y.md.tmp-\(getppid())"))
            #expect(names.contains(".hidden"))
        }
    }

    @Test("a write into a folder that went away fails with the path")
    func writeIntoMissingFolder() throws {
        try withTemporaryDirectory { root in
            let directory = root + "/gone"
            let writer = ReportWriter(directory: directory, retain: 5)
            try writer.prepare()
            try FileManager.default.removeItem(atPath: directory)
            let failure = try #require(throws: ReportWriter.Failure.self) {
                try writer.write(markdown: "x\n", json: "{}\n", html: "<p>html</p>\n", at: Self.date)
            }
            #expect(failure.path.hasPrefix(directory + "/"))
            #expect(failure.description.contains(directory))
        }
    }

    @Test("a folder where latest.md goes fails the report before any file of it is published")
    func aFolderAtALatestName() throws {
        try withTemporaryDirectory { root in
            let directory = root + "/reports"
            let writer = ReportWriter(directory: directory, retain: 5)
            try writer.prepare()
            let first = try writer.write(markdown: "1\n", json: "{}\n", html: "<p>1</p>\n", at: Self.date)
            try FileManager.default.removeItem(atPath: directory + "/latest.md")
            try FileManager.default.createDirectory(atPath: directory + "/latest.md", withIntermediateDirectories: false)
            let failure = try #require(throws: ReportWriter.Failure.self) {
                try writer.write(markdown: "2\n", json: "{}\n", html: "<p>2</p>\n", at: Self.date.addingTimeInterval(60))
            }
            #expect(failure.path == directory + "/latest.md" && failure.description.contains("is a folder"), "\(failure)")
            // Nothing of the second is published; latest.json and latest.html still name the first.
            let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            #expect(names.filter { $0.hasPrefix(ReportWriter.prefix) }.count == 3, "\(names)")
            #expect(
                try FileManager.default.destinationOfSymbolicLink(atPath: directory + "/latest.json")
                    == URL(fileURLWithPath: first.jsonPath).lastPathComponent)
        }
    }

    @Test("links planted at the temporary names of earlier versions and at a report's name are never written through")
    func plantedLinksAreNotFollowed() throws {
        try withTemporaryDirectory { root in
            let directory = root + "/reports"
            let victim = root + "/victim"
            try "precious\n".write(toFile: victim, atomically: true, encoding: .utf8)
            let writer = ReportWriter(directory: directory, retain: 0)
            try writer.prepare()
            // The names every earlier writer used: guessable from the time and the pid.
            let stamp = "chimera-report-20251122T194501Z"
            for name in [
                ".\(stamp).json.tmp-\(getpid())", ".\(stamp).md.tmp-\(getpid())", ".latest.md.tmp-\(getpid())",
                ".latest.json.tmp-\(getpid())", "\(stamp).md",
            ] {
                #expect(symlink(victim, directory + "/" + name) == 0)
            }
            let written = try writer.write(markdown: "# report\n", json: "{}\n", html: "<p>html</p>\n", at: Self.date)
            #expect(try read(victim) == "precious\n")
            // The name taken by a link sends the pair to the next suffix, both halves together.
            #expect(name(written.markdownPath) == "\(stamp)-2.md")
            #expect(name(written.jsonPath) == "\(stamp)-2.json")
            for path in [written.markdownPath, written.jsonPath] {
                var info = stat()
                #expect(lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG, "\(path) is a regular file")
            }
            #expect(try read(directory + "/latest.md") == "# report\n")
            #expect(!FileManager.default.fileExists(atPath: directory + "/\(stamp).json"))
        }
    }

    @Test("temporaries are created anew under unguessable names and none is left")
    func temporaryNames() throws {
        let first = OutputFolder.temporaryName(for: "chimera-report-x.md")
        let second = OutputFolder.temporaryName(for: "chimera-report-x.md")
        #expect(first != second)
        #expect(first.hasPrefix(".chimera-report-x.md.tmp-\(getpid())-"))
        #expect(ReportWriter.writerPid(ofTemporary: first) == getpid())
        #expect(ReportWriter.writerPid(ofTemporary: ".chimera-report-x.md.tmp-999999") == 999_999)
        #expect(ReportWriter.writerPid(ofTemporary: ".hidden") == nil)
        #expect(ReportWriter.writerPid(ofTemporary: ".x.tmp-0") == nil)
    }

    @Test("prepare removes the half of a pair whose writer was killed between its renames")
    func orphansRemoved() throws {
        try withTemporaryDirectory { directory in
            try #require(kill(999_999, 0) != 0 && errno == ESRCH)
            let files = [
                "chimera-report-20251122T194501Z.json",  // orphan: no .md, no writer
                "chimera-report-20251122T194502Z.md",  // orphan the other way round
                "chimera-report-20251122T194503Z.json", "chimera-report-20251122T194503Z.md",  // a whole pair
                "chimera-report-20251122T194504Z.json",  // a live writer is publishing its .md now
                ".chimera-report-20251122T194504Z.md.tmp-\(getppid())-1f",
                "chimera-report-20251122T194505Z.json",  // its writer is gone
                ".chimera-report-20251122T194505Z.md.tmp-999999-2e",
            ]
            for file in files { try "x".write(toFile: directory + "/" + file, atomically: false, encoding: .utf8) }
            try ReportWriter(directory: directory, retain: 0).prepare()
            #expect(
                try contents(directory) == [
                    ".chimera-report-20251122T194504Z.md.tmp-\(getppid())-1f",
                    "chimera-report-20251122T194503Z.json", "chimera-report-20251122T194503Z.md",
                    "chimera-report-20251122T194504Z.json",
                ])
        }
    }
}
