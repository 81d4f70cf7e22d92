extension HTMLReport {
    /// The page's style, inline (the page fetches nothing): readable on a
    /// laptop and a phone, wide tables scrolling on their own rather than the
    /// page and using a wide window (text keeps a readable measure; a page
    /// capped at 78rem left half a 1920 px window empty beside a scrolling
    /// leaderboard), and a dark variant following the reader's system. On a phone a
    /// chart keeps its size and scrolls (shrunk to the column, its labels
    /// were 5 px); printed, tables are whole (their columns wrap, where the
    /// scrolling box cut them at the page's edge) and the page is light.
    static let style = """
        :root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d1d9e0; --stripe: #f6f8fa; --accent: #0969da; }
        @media (prefers-color-scheme: dark) {
          :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --stripe: #151b23; --accent: #4493f8; }
        }
        html { background: var(--bg); color: var(--fg); }
        body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans", sans-serif; }
        main { max-width: 120rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
        h1 { font-size: 1.8rem; margin: 0 0 0.75rem; padding-bottom: 0.3rem; border-bottom: 1px solid var(--line); }
        h2 { font-size: 1.35rem; margin: 2rem 0 0.6rem; padding-bottom: 0.25rem; border-bottom: 1px solid var(--line); }
        h3 { font-size: 1.1rem; margin: 1.4rem 0 0.5rem; }
        h4 { font-size: 1rem; margin: 1.2rem 0 0.4rem; }
        p, ul, ol { margin: 0.5rem 0; max-width: 60rem; }
        h1, h2, h3, h4, p, li, blockquote { overflow-wrap: anywhere; }
        li { margin: 0.15rem 0; }
        em { color: var(--muted); }
        a { color: var(--accent); }
        code { font: 0.88em/1.4 ui-monospace, "DejaVu Sans Mono", monospace; background: var(--stripe); padding: 0.1em 0.3em; border-radius: 4px; overflow-wrap: anywhere; }
        pre { background: var(--stripe); padding: 0.75rem; border-radius: 6px; overflow-x: auto; }
        pre code { padding: 0; background: none; }
        table { display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse; margin: 0.6rem 0 1rem; font-variant-numeric: tabular-nums; }
        th, td { border: 1px solid var(--line); padding: 0.3rem 0.6rem; vertical-align: top; }
        th { background: var(--stripe); text-align: left; white-space: nowrap; }
        tbody tr:nth-child(even) { background: var(--stripe); }
        td[align="right"], th[align="right"] { text-align: right; }
        figure.chart { margin: 0.8rem 0 1.2rem; overflow-x: auto; }
        figure.chart svg { max-width: 100%; height: auto; color: var(--fg); }
        @media (max-width: 52rem) {
          figure.chart svg { max-width: none; }
        }
        @media print {
          :root { color-scheme: light; --fg: #000000; --bg: #ffffff; --muted: #444c56; --line: #8c959f; --stripe: #f2f4f7; }
          body { font-size: 10pt; }
          main { max-width: none; padding: 0; }
          table { display: table; overflow: visible; font-size: 8.5pt; }
          th { white-space: normal; }
          th, td { padding: 0.15rem 0.3rem; }
          tr, figure.chart { break-inside: avoid; }
          figure.chart { overflow: visible; }
          figure.chart svg { max-width: 100%; }
          pre { white-space: pre-wrap; overflow: visible; }
        }
        """
}
