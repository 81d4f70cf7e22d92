import Foundation
import Testing

@testable import Reporting

/// A report written before its narrative is rewritten in place: same names,
/// both files, `latest.*` untouched, nothing written when it is gone or a
/// link has taken its name.
@Suite("ReportWriter.rewrite")
struct ReportRewriteTests {
    private func withFolder<T>(_ body: (String) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-rewrite-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try body(directory)
    }

    /// A writer over `directory`, and a report it has published with `markdown` and `json`.
    private func published(in directory: String, markdown: String, json: String) throws -> (ReportWriter, ReportWriter.Written) {
        let writer = ReportWriter(directory: directory, retain: 5)
        try writer.prepare()
        return (writer, try writer.write(markdown: markdown, json: json, html: "<p>html</p>\n", at: Date(timeIntervalSince1970: 1_763_840_701)))
    }

    private func names(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    @Test("every file gets the new text under its name; latest links and the file list stay as they were")
    func rewritesInPlace() throws {
        try withFolder { directory in
            let (writer, written) = try published(in: directory, markdown: "pending\n", json: "{\"pending\": true}\n")
            let before = try names(directory)
            let latest = try FileManager.default.destinationOfSymbolicLink(atPath: directory + "/latest.md")
            let outcome = try writer.rewrite(
                written, markdown: "narrative\n", json: "{\"pending\": false}\n", html: "<p>narrative</p>\n")
            #expect(outcome == .rewritten)
            #expect(try String(contentsOfFile: written.markdownPath, encoding: .utf8) == "narrative\n")
            #expect(try String(contentsOfFile: written.jsonPath, encoding: .utf8) == "{\"pending\": false}\n")
            #expect(try String(contentsOfFile: written.htmlPath, encoding: .utf8) == "<p>narrative</p>\n")
            #expect(try names(directory) == before)
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: directory + "/latest.md") == latest)
        }
    }

    @Test("a report pruned or removed meanwhile is not written again, and no temporary is left")
    func goneReportIsLeftGone() throws {
        try withFolder { directory in
            let (writer, written) = try published(in: directory, markdown: "pending\n", json: "{}\n")
            try FileManager.default.removeItem(atPath: written.jsonPath)
            let outcome = try writer.rewrite(written, markdown: "late\n", json: "{}\n", html: "<p>late</p>\n")
            #expect(outcome == .gone)
            #expect(!FileManager.default.fileExists(atPath: written.jsonPath))
            #expect(try String(contentsOfFile: written.markdownPath, encoding: .utf8) == "pending\n")
            #expect(!(try names(directory)).contains { $0.contains(".tmp-") })
        }
    }

    @Test("a link planted at a report's name is neither followed nor replaced")
    func linkAtTheNameIsLeftAlone() throws {
        try withFolder { directory in
            let (writer, written) = try published(in: directory, markdown: "pending\n", json: "{}\n")
            let victim = directory + "/victim.txt"
            try "keep\n".write(toFile: victim, atomically: false, encoding: .utf8)
            try FileManager.default.removeItem(atPath: written.markdownPath)
            try FileManager.default.createSymbolicLink(atPath: written.markdownPath, withDestinationPath: victim)
            let outcome = try writer.rewrite(written, markdown: "late\n", json: "{}\n", html: "<p>late</p>\n")
            #expect(outcome == .gone)
            #expect(try String(contentsOfFile: victim, encoding: .utf8) == "keep\n")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: written.markdownPath) == victim)
        }
    }
}
