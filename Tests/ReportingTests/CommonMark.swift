import Foundation

/// Debian's `cmark`, the CommonMark reference parser, run on Markdown text, so
/// the tests see a report as a renderer reads it rather than as the renderer's
/// own escaping imagines it. `--unsafe` keeps raw HTML in the output: the
/// default safe mode would hide exactly the injection the tests look for.
enum CommonMark {
    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "cmark or cmark-gfm is not installed: the Markdown escaping tests need Debian's cmark and cmark-gfm packages (scripts/setup installs them)"
        }
    }

    struct Failed: Error, CustomStringConvertible {
        var status: Int32
        var description: String { "cmark exited with status \(status)" }
    }

    /// The first `name` on `PATH`.
    static func executable(_ name: String = "cmark") throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw Missing()
    }

    /// `markdown` as cmark's HTML; with `github`, as GitHub's cmark-gfm
    /// reads it (its tables and its autolinks: a bare `https://...` or
    /// `www....` in text becomes a link).
    static func html(_ markdown: String, github: Bool = false) throws -> String {
        let process = Process()
        process.executableURL = try executable(github ? "cmark-gfm" : "cmark")
        process.arguments = ["--unsafe"] + (github ? ["-e", "autolink", "-e", "table"] : [])
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // cmark parses all its input before it writes, so writing everything
        // first cannot deadlock on a full output pipe.
        input.fileHandleForWriting.write(Data(markdown.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failed(status: process.terminationStatus) }
        return String(decoding: data, as: UTF8.self)
    }

    /// Text as cmark writes it into HTML.
    static func escapedHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
