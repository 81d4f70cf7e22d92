import Foundation
import Testing

@testable import Reporting

/// The HTML page as a browser and a validator read it: html5lib (the WHATWG
/// parsing algorithm, from `.venv-test`, which scripts/setup-test-tools creates) and
/// Debian's `tidy`. Names from the files are the hostile pool the Markdown
/// tests use.
@Suite("The HTML report")
struct HTMLReportTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let python = repository.path + "/.venv-test/bin/python"
    static var hasPython: Bool { FileManager.default.isExecutableFile(atPath: python) }
    static let tidy = "/usr/bin/tidy"
    static var hasTidy: Bool { FileManager.default.isExecutableFile(atPath: tidy) }

    /// What `Tests/Tools/check_html.py` found in a page.
    struct Check: Decodable {
        var parseErrors: [String]
        var unsafe: [String]
        var headings: [String]
        var svg: Int
        var text: String
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func withPage<T>(_ page: String, _ body: (String) throws -> T) throws -> T {
        let path = NSTemporaryDirectory() + "chimerad-html-\(UUID().uuidString).html"
        try Data(page.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try body(path)
    }

    static func check(_ page: String) throws -> Check {
        try withPage(page) { path in
            let (status, output) = try run(python, [repository.path + "/Tests/Tools/check_html.py", path])
            try #require(status == 0, "check_html.py failed: \(output)")
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(Check.self, from: Data(output.utf8))
        }
    }

    static func pages(_ name: (Int) -> String) -> [String] {
        let facts = HostileNamesReportTests.facts(name)
        return [HostileNamesReportTests.narrated(name), .unavailable(name(55))].map { outcome in
            var context = HostileNamesReportTests.context(name, narrative: outcome)
            context.figures = ReportFigures.figures(facts)
            context.chartsPath = "charts/chimera-report-20251122T194501Z"
            let markdown = MarkdownReport.render(facts, context)
            return HTMLReport.render(markdown: markdown, title: "chimerad report, " + name(0), figures: context.linkedFigures)
        }
    }

    @Test(
        "hostile names: no script, event attribute, embedded object or URL leaving the page, and the page parses without an error",
        .enabled(if: hasPython, ".venv-test/bin/python (with html5lib) is missing: scripts/setup-test-tools creates it"))
    func hostileNamesStayText() throws {
        for (hostile, benign) in zip(Self.pages(HostileNamesReportTests.hostile), Self.pages(HostileNamesReportTests.benign)) {
            let checked = try Self.check(hostile)
            #expect(checked.parseErrors.isEmpty, "\(checked.parseErrors)")
            #expect(checked.unsafe.isEmpty, "\(checked.unsafe)")
            // Every chart (the leaderboard's, each group's runs) inline, its labels the hostile names as text.
            let charts = ReportFigures.figures(HostileNamesReportTests.facts(HostileNamesReportTests.hostile)).count
            #expect(charts >= 2 && checked.svg == charts, "\(checked.svg) of \(charts) charts inline")
            // The same headings as with ordinary names: none forged, none swallowed.
            #expect(checked.headings.count == (try Self.check(benign)).headings.count)
            #expect(!checked.headings.contains { $0.hasPrefix("Injected") }, "\(checked.headings)")
            // The names are there, as text, and no control character came with them.
            #expect(checked.text.contains("<script>"), "a hostile name should show as text")
            let controls = checked.text.unicodeScalars.filter {
                ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value)
            }
            #expect(controls.isEmpty, "\(controls.map { String($0.value, radix: 16) })")
            #expect(!hostile.lowercased().contains("<script"))
        }
    }

    @Test(
        "the page has the Markdown's sections, in order, and its title",
        .enabled(if: hasPython, ".venv-test/bin/python (with html5lib) is missing: scripts/setup-test-tools creates it"))
    func sameSectionsAsTheMarkdown() throws {
        let report = try #require(HostileNamesReportTests.reports(HostileNamesReportTests.benign).first)
        let checked = try Self.check(HTMLReport.render(markdown: report.markdown, title: "chimerad report"))
        // The Markdown's headings as the CommonMark reference parser reads them.
        let markdownHeadings = try CommonMark.html(report.markdown).matches(of: #/<h([1-4])>(.*?)</h\1>/#).map { String($0.output.2) }
        #expect(checked.headings == markdownHeadings)
        var rest = checked.headings[...]
        for title in MarkdownReportTests.sectionOrder {
            let text = String(title.drop { $0 == "#" || $0 == " " })
            guard let index = rest.firstIndex(of: text) else {
                Issue.record("no section \(text) after the ones before it: \(checked.headings)")
                continue
            }
            rest = rest[(index + 1)...]
        }
    }

    @Test("each heading has the anchor GitHub gives it: the body's links to the appendix's tables lead to them")
    func headingsHaveAnchors() throws {
        let markdown = """
            # Report

            All of them in [Table A1](#table-a1), the rest in [Table A2](#table-a2).

            ## Appendix

            ### Table A1

            ### Table A2

            ### Table A1

            ## `gemma3:270m` & <b>co</b> (temperature=0.3)

            """
        let page = HTMLReport.render(markdown: markdown, title: "t")
        #expect(page.contains("<h3 id=\"table-a1\">Table A1</h3>") && page.contains("<h3 id=\"table-a1-1\">Table A1</h3>"), "\(page)")
        let ids = Set(page.matches(of: #/ id="([^"]*)"/#).map { String($0.output.1) })
        let targets = page.matches(of: #/href="#([^"]*)"/#).map { String($0.output.1) }
        #expect(!targets.isEmpty && targets.allSatisfy(ids.contains), "\(targets) \(ids)")
        // An anchor holds letters, digits, `-` and `_` only, whatever the heading.
        #expect(ids.allSatisfy { $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } }, "\(ids)")
        #expect(ids.contains("gemma3270m--co-temperature03"), "\(ids)")
        // Every id once, a heading of no letters included.
        let repeated = HTMLReport.render(markdown: "## X 1\n\n## X\n\n## X\n\n## !!!\n", title: "t")
        let all = repeated.matches(of: #/ id="([^"]*)"/#).map { String($0.output.1) }
        #expect(all == ["x-1", "x", "x-2", "section"], "\(all)")
    }

    @Test("self-contained: its style inline, and a policy that lets it fetch and run nothing")
    func selfContained() throws {
        let page = HTMLReport.render(markdown: "# Report\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n", title: "t")
        #expect(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"))
        #expect(page.contains("<style>"))
        // cmark-gfm's safe mode: raw HTML and script URLs from the Markdown are left out.
        #expect(!page.contains("javascript:") && !page.contains("onerror") && !page.contains("<img"))
        #expect(HTMLReport.render(markdown: "", title: "<b>&\"'\u{1B}").contains(#"<title>&lt;b&gt;&amp;&quot;&#39;\u{1b}</title>"#))
    }

    @Test("Debian's tidy finds no error in the page (warnings, such as cmark's align attributes, are allowed)")
    func tidyFindsNoError() throws {
        guard Self.hasTidy else {
            Issue.record("tidy is not installed: scripts/setup-test-tools installs Debian's tidy")
            return
        }
        for page in Self.pages(HostileNamesReportTests.hostile) {
            let (status, output) = try Self.withPage(page) { try Self.run(Self.tidy, ["-e", "-q", "--show-warnings", "no", $0]) }
            #expect(status < 2, "tidy: \(output)")
        }
    }
}
