import Foundation
import Testing

@testable import Serving

#if canImport(Glibc)
import Glibc
#endif

/// The output folder as the server reads it: regular files only, never
/// through a link, whatever someone planted there.
@Suite struct PublishedFolderTests {
    static let base = "chimera-report-20261202T120000Z"

    /// An output folder as the writer leaves it: one report with a chart,
    /// `latest.html` pointing at it, and a feed.
    static func publishedFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-served-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: folder + "/charts/" + base, withIntermediateDirectories: true)
        for kind in ["md", "json", "html"] {
            try "report \(kind)".write(toFile: "\(folder)/\(base).\(kind)", atomically: false, encoding: .utf8)
        }
        try "<svg/>".write(toFile: "\(folder)/charts/\(base)/leaderboard.svg", atomically: false, encoding: .utf8)
        try "<feed/>".write(toFile: folder + "/regressions.atom", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder + "/latest.html", withDestinationPath: base + ".html")
        return folder
    }

    static func text(_ file: PublishedFile) -> String? {
        guard case .file(let opened) = file, let bytes = try? opened.contents() else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func servesWhatTheWriterPublished() throws {
        let path = try Self.publishedFolder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let folder = PublishedFolder(path: path)
        #expect(Self.text(folder.latestHTML()) == "report html")
        #expect(Self.text(folder.file(Self.base + ".md")) == "report md")
        #expect(Self.text(folder.chart(report: Self.base, name: "leaderboard.svg")) == "<svg/>")
        #expect(Self.text(folder.file("regressions.atom")) == "<feed/>")
        #expect(folder.file("chimera-report-20261202T120001Z.md") == .missing)
        #expect(folder.chart(report: "chimera-report-20261202T120001Z", name: "leaderboard.svg") == .missing)
        #expect(folder.reports().map(\.base) == [Self.base])
        #expect(folder.reports().first?.kinds == [.markdown, .json, .html])
    }

    @Test func refusesLinksPlantedInTheFolder() throws {
        let path = try Self.publishedFolder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let folder = PublishedFolder(path: path)
        let planted = "chimera-report-20261202T130000Z"
        // A report name that is a link to a secret.
        try FileManager.default.createSymbolicLink(atPath: "\(path)/\(planted).md", withDestinationPath: "/etc/passwd")
        #expect(folder.file(planted + ".md") == .refused)
        // The feed replaced by a link.
        try FileManager.default.removeItem(atPath: path + "/regressions.atom")
        try FileManager.default.createSymbolicLink(atPath: path + "/regressions.atom", withDestinationPath: "/etc/passwd")
        #expect(folder.file("regressions.atom") == .refused)
        // A chart that is a link, and a report's charts folder that is a link.
        try FileManager.default.createSymbolicLink(atPath: "\(path)/charts/\(Self.base)/history-1.svg", withDestinationPath: "/etc/passwd")
        #expect(folder.chart(report: Self.base, name: "history-1.svg") == .refused)
        try FileManager.default.createSymbolicLink(atPath: "\(path)/charts/\(planted)", withDestinationPath: "/etc")
        #expect(folder.chart(report: planted, name: "leaderboard.svg") == .refused)
        // latest.html pointed out of the folder, absolutely or upwards.
        for target in ["/etc/passwd", "../\(Self.base).html", "/\(path)/\(Self.base).html", "charts/\(Self.base)/leaderboard.svg"] {
            try FileManager.default.removeItem(atPath: path + "/latest.html")
            try FileManager.default.createSymbolicLink(atPath: path + "/latest.html", withDestinationPath: target)
            #expect(folder.latestHTML() == .refused, "latest.html -> \(target)")
        }
        // latest.html pointing at a report name that is itself a link.
        try FileManager.default.createSymbolicLink(atPath: "\(path)/\(planted).html", withDestinationPath: "/etc/passwd")
        try FileManager.default.removeItem(atPath: path + "/latest.html")
        try FileManager.default.createSymbolicLink(atPath: path + "/latest.html", withDestinationPath: planted + ".html")
        #expect(folder.latestHTML() == .refused)
        // The planted link is no report in the index.
        #expect(folder.reports().map(\.base) == [Self.base])
    }

    @Test func refusesWhatIsNoRegularFileAndWhatIsTooLarge() throws {
        let path = try Self.publishedFolder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // A FIFO would block an ordinary open until a writer came.
        let fifo = "chimera-report-20261202T140000Z.md"
        try #require(mkfifo(path + "/" + fifo, 0o644) == 0)
        #expect(PublishedFolder(path: path).file(fifo) == .refused)
        try FileManager.default.createDirectory(atPath: path + "/chimera-report-20261202T150000Z.json", withIntermediateDirectories: false)
        #expect(PublishedFolder(path: path).file("chimera-report-20261202T150000Z.json") == .refused)
        #expect(PublishedFolder(path: path, limit: 4).file(Self.base + ".md") == .tooLarge)
        #expect(PublishedFolder(path: path).file("..") == .refused)
        #expect(PublishedFolder(path: path).file("../etc/passwd") == .refused)
        #expect(PublishedFolder(path: path + "/missing").latestHTML() == .missing)
    }

    @Test func theIndexListsWholeReportsNewestFirst() throws {
        let path = try Self.publishedFolder()
        defer { try? FileManager.default.removeItem(atPath: path) }
        for name in ["chimera-report-20261202T120000Z-2", "chimera-report-20261201T000000Z"] {
            try "r".write(toFile: "\(path)/\(name).md", atomically: false, encoding: .utf8)
        }
        // A report whose .md is not there yet is unfinished: not listed.
        try "r".write(toFile: "\(path)/chimera-report-20261203T000000Z.json", atomically: false, encoding: .utf8)
        let site = ReportSite(folder: PublishedFolder(path: path), metrics: nil)
        #expect(
            PublishedFolder(path: path).reports().map(\.base) == [
                "chimera-report-20261202T120000Z-2", Self.base, "chimera-report-20261201T000000Z",
            ])
        let page = String(decoding: (try? site.response(method: "GET", target: "/reports/").body.contents()) ?? [], as: UTF8.self)
        #expect(page.contains("href=\"/reports/\(Self.base).html\""))
        #expect(!page.contains("20261203"))
    }
}
