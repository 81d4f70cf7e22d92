import Records
import Testing

/// One rule names a report for the writer, the ingest that skips reports
/// and the server: a name one accepts the others accept.
struct ReportNamingTests {
    @Test func aReportsNamesAreTheStampAndAnOptionalSequence() {
        for base in ["chimera-report-20261206T101500Z", "chimera-report-20261206T101500Z-2", "chimera-report-20261206T101500Z-1234567"] {
            #expect(ReportNaming.isBase(base), "\(base)")
            for ending in ["md", "json", "html"] { #expect(ReportNaming.isFileName(base + "." + ending), "\(base).\(ending)") }
        }
        for name in [
            "chimera-report-20261206T101500Z.csv", "chimera-report-20261206T1015Z.json", "chimera-report-20261206T101500Z-.json",
            "chimera-report-20261206T101500Z-0.json", "chimera-report-20261206T101500Z-1.json", "chimera-report-20261206T101500Z-12345678.json",
            "my-chimera-report-20261206T101500Z.json", "chimera-report-20261206T101500Zx.json", "chimera-report.json",
            "chimera-report-2026120xT101500Z.md", "chimera-report-20261206T101500Z", "latest.md",
        ] {
            #expect(!ReportNaming.isFileName(name), "\(name)")
        }
    }
}
