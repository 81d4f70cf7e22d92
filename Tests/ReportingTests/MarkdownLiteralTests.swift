import Foundation
import Testing

@testable import Reporting

/// Each escaping context on its own: exact output for the cases that matter,
/// and, through cmark, that hostile text comes out as the same text and
/// nothing else (no element, link, HTML or control character).
@Suite("MarkdownLiteral")
struct MarkdownLiteralTests {
    /// Text that would add structure, markup, HTML or terminal control if written raw.
    static let hostile: [String] = [
        "m<script>alert(1)</script>", "x\n## Injected", "x\r\n## Injected", "nel\u{85}## Injected", "ls\u{2028}## Injected",
        "ps\u{2029}- item", "# Injected", "###### Injected ##", "a`b", "tick`", "`lead", "a``b```c", "```", "~~~ python",
        "<img src=x onerror=alert(1)>", "<!-- c -->", "p|q", "[link](javascript:alert(1))", "![img](x.png)",
        "<https://example.com>", "<a@b.co>", "\u{1B}[31mred\u{1B}[0m", "bell\u{07}", "csi\u{9B}31m", "del\u{7F}", "> quote",
        "- item", "+ item", "* item", "1. one", "2) two", "===", "---", "___", "- - -", "    indented code",
        "**bold** _em_ ~~strike~~ *a*b", "&lt;script&gt; &#60;b&#62; &amp;", "back\\slash\\", "\\*not em\\*",
        "[ref]: https://example.com", "<div>", "</div>", "<?php ?>", "<![CDATA[x]]>", "tab\there", "_a_b_", "a*b*c",
        "<", "x <y", "foo\\", "trailing spaces   ", "|", "\\|", "https://evil.example/login", "see www.evil.example now",
    ]

    /// Names and text the escaping must leave exactly as they are.
    static let ordinary: [String] = [
        "llama3.1:8b-instruct-q4_K_M", "num_ctx=2048", "gemma3:270m", "/in/gamma_param_tuning.csv", "p < 0.001", "-19.3%",
        "1.5 s", "Q4_0", "RTX 4090", "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M", "a <= b", "alpha (num_ctx=2048)",
        "connection refused", "HTTP 500 from server", "sort 1k", "8 → 8", "R & D", "1_000", "awww.x", "10:30", "host:8080/v1",
    ]

    /// What a reader should see of `text` on one line: line feeds, carriage
    /// returns and tabs as spaces, every other hidden character written out
    /// (`\u{1b}`), trimmed. Restated here rather than taken from the code under test.
    static func shown(_ text: String, trim: Bool = true) -> String {
        var line = ""
        for scalar in text.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars {
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: line += " "
            case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0x200B...0x200F, 0x061C, 0x2060...0x2064, 0xFEFF, 0xAD,
                0x034F, 0x115F, 0x1160, 0x180E, 0x3164, 0xFE00...0xFE0F, 0xFFA0, 0xFFF9...0xFFFB, 0xE0000...0xE007F, 0xE0100...0xE01EF:
                line += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: line.unicodeScalars.append(scalar)
            }
        }
        return trim ? line.trimmingCharacters(in: .whitespaces) : line
    }

    @Test("ordinary names stay as they are in every one-line context")
    func ordinaryNamesUnchanged() {
        for name in Self.ordinary {
            #expect(MarkdownLiteral.inline(name) == name)
            #expect(MarkdownLiteral.heading(name) == name)
            #expect(MarkdownLiteral.tableCell(name) == name)
            #expect(MarkdownLiteral.codeSpan(name) == "`" + name + "`")
        }
    }

    @Test(
        "inline text: exact escapes",
        arguments: [
            ("m<script>alert(1)</script>", #"m\<script>alert(1)\</script>"#),
            ("<!-- c -->", #"\<!-- c -->"#),
            ("a`b", #"a\`b"#),
            ("[link](javascript:alert(1))", #"\[link\](javascript:alert(1))"#),
            ("x\n## Injected", "x ## Injected"),
            ("# Injected", ##"\# Injected"##),
            ("> quote", #"\> quote"#),
            ("- item", #"\- item"#),
            ("---", #"\---"#),
            ("+ item", #"\+ item"#),
            ("1. one", #"1\. one"#),
            ("2) two", #"2\) two"#),
            ("===", #"\==="#),
            ("~~~", #"\~\~\~"#),
            ("```", #"\`\`\`"#),
            ("___", #"\_\_\_"#),
            ("*a* _b_ a_b", #"\*a\* \_b\_ a_b"#),
            ("&lt; &#60; R & D", #"\&lt; \&#60; R & D"#),
            (#"C:\dir\"#, #"C:\\dir\\"#),
            ("  padded  ", "padded"),
            ("\u{1B}[31mred\u{07}\u{9B}1m\u{7F}", #"\\u{1b}\[31mred\\u{7}\\u{9b}1m\\u{7f}"#),
            ("a\u{2028}b\u{2029}c\u{85}d\te", #"a\\u{2028}b\\u{2029}c\\u{85}d e"#),
            ("a|b", "a|b"),
        ])
    func inline(input: String, expected: String) {
        #expect(MarkdownLiteral.inline(input) == expected)
    }

    @Test("a heading escapes every #, so none closes it; a cell escapes every |")
    func headingAndCell() {
        #expect(MarkdownLiteral.heading("c# #") == ##"c\# \#"##)
        #expect(MarkdownLiteral.heading("x\n## Injected") == ##"x \#\# Injected"##)
        #expect(MarkdownLiteral.tableCell("a|b") == #"a\|b"#)
        #expect(MarkdownLiteral.tableCell(#"\|"#) == #"\\\|"#)
        #expect(MarkdownLiteral.tableCell("\u{1B}\u{9B}") == #"\\u{1b}\\u{9b}"#)
        #expect(MarkdownLiteral.tableCell("\t\n") == " ")
        // A cell holds no blocks: what would start one at a line's start stays as it is.
        #expect(MarkdownLiteral.tableCell("# - 1. > ===") == "# - 1. > ===")
        #expect(MarkdownLiteral.tableCell("<b>*x*") == #"\<b>\*x\*"#)
    }

    @Test(
        "a code span's fence is longer than any backtick run in it",
        arguments: [
            ("/in/a.csv", "`/in/a.csv`"),
            ("a`b", "``a`b``"),
            ("`x", "`` `x ``"),
            ("a``b`", "``` a``b` ```"),
            (" lead", "`  lead `"),
            ("x\ny", "`x y`"),
            ("<script>", "`<script>`"),
            ("\u{1B}[31m", #"`\u{1b}[31m`"#),
            ("", ""),
        ])
    func codeSpan(input: String, expected: String) {
        #expect(MarkdownLiteral.codeSpan(input) == expected)
    }

    @Test("a code block's fence is longer than any backtick run, and every line break is a line feed")
    func codeBlock() {
        #expect(MarkdownLiteral.codeBlock("plain") == "```\nplain\n```")
        #expect(MarkdownLiteral.codeBlock("a\n```\nb") == "````\na\n```\nb\n````")
        #expect(MarkdownLiteral.codeBlock("a\r\nb\rc\u{2028}d") == "```\na\nb\nc\nd\n```")
        #expect(MarkdownLiteral.codeBlock("\u{1B}x\ty\u{9B}") == "```\n\\u{1b}x\ty\\u{9b}\n```")
    }

    @Test("cmark reads hostile inline text, headings and cells back as that text and nothing more")
    func hostileInlineRoundTrips() throws {
        for text in Self.hostile {
            let plain = Self.shown(text)
            guard !plain.isEmpty else { continue }
            let expected = CommonMark.escapedHTML(plain)
            // At the start of a line and of a list item, where block syntax would start.
            #expect(try CommonMark.html(MarkdownLiteral.inline(text)) == "<p>\(expected)</p>\n", "\(text.debugDescription)")
            #expect(
                try CommonMark.html("- " + MarkdownLiteral.inline(text)) == "<ul>\n<li>\(expected)</li>\n</ul>\n", "\(text.debugDescription)")
            #expect(try CommonMark.html("## " + MarkdownLiteral.heading(text)) == "<h2>\(expected)</h2>\n", "\(text.debugDescription)")
            // Plain CommonMark has no tables: a row must at least read as its text there.
            let row = try CommonMark.html("| " + MarkdownLiteral.tableCell(text) + " |")
            #expect(row == "<p>| \(expected) |</p>\n", "\(text.debugDescription)")
        }
    }

    /// GitHub's renderer links a bare URL or `www.` name in text; one from
    /// the data (a model named after a page, an error quoting one) must not
    /// become a link a reader clicks in the report.
    @Test("GitHub's autolinks find no link in text from the data")
    func noAutolinks() throws {
        let texts = [
            "https://evil.example/login", "see http://a.example/c.", "HTTPS://EVIL.example", "www.evil.example", "(WWW.Evil.example/x)",
            "ftp://x.example/z", "![i](http://evil.example/p.png)", "<http://evil.example/auto>", "model-https://x.example",
        ]
        for text in texts {
            for markdown in [
                MarkdownLiteral.inline(text), "## " + MarkdownLiteral.heading(text),
                "| a |\n|---|\n| " + MarkdownLiteral.tableCell(text) + " |",
            ] {
                let html = try CommonMark.html(markdown, github: true)
                #expect(!html.contains("<a ") && html.contains(CommonMark.escapedHTML(text)), "\(text): \(html)")
            }
        }
    }

    @Test("cmark reads hostile code spans and code blocks back as that text")
    func hostileCodeRoundTrips() throws {
        for text in Self.hostile {
            let plain = Self.shown(text, trim: false)
            if plain.contains(where: { $0 != " " }) {
                #expect(
                    try CommonMark.html("- " + MarkdownLiteral.codeSpan(text) + ", after")
                        == "<ul>\n<li><code>\(CommonMark.escapedHTML(plain))</code>, after</li>\n</ul>\n",
                    "\(text.debugDescription)")
            }
            let block = try CommonMark.html(MarkdownLiteral.codeBlock(text) + "\n\n## After")
            #expect(block.hasSuffix("</code></pre>\n<h2>After</h2>\n"), "\(text.debugDescription): \(block)")
            #expect(Self.occurrences(of: "<pre>", in: block) == 1, "\(text.debugDescription): \(block)")
        }
    }

    @Test("no control character survives any context")
    func controlsDropped() {
        let controls =
            String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
            + "\u{7F}" + String(String.UnicodeScalarView((0x80...0x9F).compactMap(Unicode.Scalar.init))) + "\u{2028}\u{2029}"
        let text = "a" + controls + "b"
        for escaped in [
            MarkdownLiteral.inline(text), MarkdownLiteral.heading(text), MarkdownLiteral.tableCell(text), MarkdownLiteral.codeSpan(text),
        ] {
            #expect(!escaped.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x2028...0x2029).contains($0.value) })
        }
        let block = MarkdownLiteral.codeBlock(text)
        #expect(!block.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) })
        #expect(MarkdownLiteral.withoutControls("a\u{1B}b\u{9B}c\nd\te\u{2028}") == "abc\nd\te")
    }

    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test("bidirectional overrides are written out in every context, never obeyed")
    func bidiControls() {
        let name = "evil\u{202E}gnp.exe \u{2067}x\u{2069}"
        for escaped in [MarkdownLiteral.inline(name), MarkdownLiteral.heading(name), MarkdownLiteral.tableCell(name), MarkdownLiteral.codeSpan(name)]
        {
            #expect(!escaped.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) })
        }
        #expect(MarkdownLiteral.codeSpan(name) == #"`evil\u{202e}gnp.exe \u{2067}x\u{2069}`"#)
    }

    @Test("a name that holds the written-out form as text does not read like the character")
    func writtenOutFormInTheTextItself() {
        #expect(MarkdownLiteral.codeSpan("a\\u{1b}") == #"`a\u{5c}u{1b}`"#)
        #expect(MarkdownLiteral.codeSpan("a\u{1B}") == #"`a\u{1b}`"#)
        #expect(MarkdownLiteral.codeSpan(#"back\slash\"#) == #"`back\slash\`"#)
    }

    @Test("joiners that shape a script or an emoji stay; elsewhere they are written out")
    func joiners() {
        #expect(MarkdownLiteral.codeSpan("می\u{200C}خواهم") == "`می\u{200C}خواهم`")
        #expect(MarkdownLiteral.codeSpan("👩\u{200D}💻") == "`👩\u{200D}💻`")
        #expect(MarkdownLiteral.codeSpan("same\u{200D}") == #"`same\u{200d}`"#)
        #expect(MarkdownLiteral.codeSpan("tag\u{E0041}") == #"`tag\u{e0041}`"#)
        // Between two ASCII letters a joiner shapes nothing: `lla‍ma` read as `llama` (campaign s33b).
        #expect(MarkdownLiteral.codeSpan("lla\u{200D}ma") == #"`lla\u{200d}ma`"#)
        #expect(MarkdownLiteral.codeSpan("lla\u{200C}ma") == #"`lla\u{200c}ma`"#)
    }

    @Test("names that differ only by a hidden character stay apart")
    func hiddenCharactersKeepNamesApart() {
        let names = [
            "same", "same\u{1B}", "same\u{202E}", "same\u{200B}", "same\u{FEFF}", "\u{1B}", "\u{85}", #"same\u{1b}"#, "same\u{FE0F}",
        ]
        for place in [MarkdownLiteral.inline, MarkdownLiteral.heading, MarkdownLiteral.tableCell] {
            let shown = names.map(place)
            #expect(Set(shown).count == names.count, "\(shown)")
            #expect(!shown.contains { $0.trimmingCharacters(in: .whitespaces).isEmpty }, "\(shown)")
        }
    }
}
