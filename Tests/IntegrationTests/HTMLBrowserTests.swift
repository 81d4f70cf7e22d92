import Foundation
import Testing

/// The HTML report in a real browser: Debian's chromium, headless, with no
/// network at all (its own empty network namespace), loads the page from disk
/// and takes a screenshot. scripts/setup-test-tools installs chromium and
/// `.venv-test` (Pillow reads the screenshot).
@Suite("The HTML report in a real browser", .serialized)
struct HTMLBrowserTests {
    static let chromium = "/usr/bin/chromium"
    static let python = Chimerad.repository.path + "/.venv-test/bin/python"
    static var canRun: Bool {
        FileManager.default.isExecutableFile(atPath: chromium) && FileManager.default.isExecutableFile(atPath: python)
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")
    }

    struct Ink: Decodable {
        var width: Int
        var height: Int
        var drawn: Double
        var bands: [Double]
    }

    /// Loads `page` without a network and screenshots it; the console lines
    /// the page logged (errors, policy violations) and how much is drawn.
    static func load(_ page: String, in folder: String, window: String = "1280,1600") async throws -> (console: [String], ink: Ink) {
        let shot = folder + "/shot-\(UUID().uuidString).png"
        let (status, output) = try await Chimerad.shell([
            "unshare", "-n", chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + folder + "/profile",
            "--enable-logging=stderr", "--v=0", "--hide-scrollbars", "--window-size=" + window, "--screenshot=" + shot,
            "file://" + page,
        ])
        try #require(status == 0 && FileManager.default.fileExists(atPath: shot), "chromium failed (\(status)): \(output)")
        // Messages of the page itself; chromium's own (D-Bus, GPU, and its own chrome:// pages:
        // "Slow network is detected ... composebox_input.js" on a busy machine) are not the page's.
        let console = output.split(separator: "\n").map(String.init).filter {
            $0.contains(":CONSOLE") && !$0.contains("source: chrome://")
        }
        let (inkStatus, inkOutput) = try await Chimerad.shell([
            python, Chimerad.repository.path + "/Tests/Tools/screenshot_ink.py", shot, "--bands", "4",
        ])
        try #require(inkStatus == 0, "\(inkOutput)")
        let json = try #require(inkOutput.split(separator: "\n").last.map(String.init))
        return (console, try JSONDecoder().decode(Ink.self, from: Data(json.utf8)))
    }

    @Test(
        "latest.html loads with no network, logs nothing to the console, and draws a page, not a blank",
        .enabled(if: canRun, "needs chromium, unshare and .venv-test (scripts/setup-test-tools installs them)"))
    func loadsAndDraws() async throws {
        let folder = try Chimerad.temporaryFolder("browser")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/out"
        let examples = Chimerad.repository.appendingPathComponent("examples/results").path
        let result = try await Chimerad.run(["report", "--input", examples, "--output", out, "--state", folder + "/state", "--model", "none"])
        try #require(result.status == 0, "\(result.stderr)")
        let page = try String(contentsOfFile: out + "/latest.html", encoding: .utf8)
        #expect(page.contains("<figure class=\"chart\">\n<svg "), "the leaderboard's chart is inline")
        // report.json lists each chart; the Markdown links its file, the page draws it inline.
        let markdown = try String(contentsOfFile: out + "/latest.md", encoding: .utf8)
        let base = try FileManager.default.destinationOfSymbolicLink(atPath: out + "/latest.md").replacingOccurrences(of: ".md", with: "")
        let charts = try Chimerad.json(out + "/latest.json")["charts"] as? [[String: Any]] ?? []
        let paths = charts.compactMap { $0["path"] as? String }
        #expect(paths.first == "charts/\(base)/leaderboard.svg")
        // The examples hold runs, a sweep and llama-bench results: each kind is drawn.
        let kinds = Set(charts.compactMap { $0["kind"] as? String })
        #expect(kinds.isSuperset(of: ["leaderboard", "runs", "sweep", "llama-bench-prefill", "llama-bench-decode"]), "\(kinds)")
        for path in paths {
            #expect(markdown.contains("](\(path))"), "\(path) is not linked")
            let svg = try String(contentsOfFile: out + "/" + path, encoding: .utf8)
            #expect(svg.hasPrefix("<svg ") && page.contains(svg), "\(path) is not inline")
            // Each SVG alone, as a browser opens the file: no console message, and drawn.
            let (console, ink) = try await Self.load(out + "/" + path, in: folder, window: "800,500")
            #expect(console.isEmpty, "\(path): \(console)")
            #expect(ink.drawn > 0.005, "\(path): \(ink)")
        }
        let (console, ink) = try await Self.load(out + "/latest.html", in: folder)
        #expect(console.isEmpty, "\(console)")
        #expect(ink.width == 1280 && ink.height == 1600)
        // Text and tables in every quarter of the first screen.
        #expect(ink.drawn > 0.03, "\(ink)")
        #expect(ink.bands.allSatisfy { $0 > 0.01 }, "\(ink)")
    }

    @Test(
        "the check itself: a page that runs a script or fetches from the network is caught",
        .enabled(if: canRun, "needs chromium, unshare and .venv-test (scripts/setup-test-tools installs them)"))
    func theCheckCatchesWhatItLooksFor() async throws {
        let folder = try Chimerad.temporaryFolder("browser-check")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let page = folder + "/bad.html"
        try """
        <!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><title>t</title></head>
        <body><img src="https://example.com/x.png"><script>console.error("boom")</script></body></html>
        """.write(toFile: page, atomically: true, encoding: .utf8)
        let (console, ink) = try await Self.load(page, in: folder)
        #expect(console.count >= 2, "\(console)")
        #expect(ink.drawn < 0.01, "\(ink)")
    }
}
