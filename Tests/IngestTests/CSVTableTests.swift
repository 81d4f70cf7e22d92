import Testing

@testable import Ingest

@Suite struct CSVTableTests {
    private func table(_ text: String, delimiter: UInt8? = nil) throws -> CSVTable {
        try CSVTable(text: Array(text.utf8), delimiter: delimiter)
    }

    @Test func readsQuotedFieldsWithEscapesAndLineBreaks() throws {
        let t = try table("name,note,value\n\"a, b\",\"say \"\"hi\"\"\",1.5\n\"multi\nline\",x,2\n")
        #expect(t.header == ["name", "note", "value"])
        #expect(t.rowCount == 2)
        #expect(t.string(0, 0) == "a, b")
        #expect(t.string(0, 1) == "say \"hi\"")
        #expect(t.double(0, 2) == 1.5)
        #expect(t.string(1, 0) == "multi\nline")
        #expect(t.line(ofRow: 1) == 3)
    }

    @Test func handlesCRLFAndMissingFinalNewline() throws {
        let t = try table("a,b\r\n1,2\r\n3,4")
        #expect(t.rowCount == 2)
        #expect(t.string(0, 1) == "2")
        #expect(t.double(1, 1) == 4)
    }

    @Test func keepsEmptyTrailingFields() throws {
        let t = try table("a,b,error\n1,2,\n3,4,boom\n")
        #expect(t.rowCount == 2)
        #expect(t.isBlank(0, 2))
        #expect(t.string(1, 2) == "boom")
    }

    @Test func skipsBlankLinesBetweenRows() throws {
        let t = try table("a,b\n\n1,2\n\r\n3,4\n\n")
        #expect(t.rowCount == 2)
    }

    @Test func dropsRaggedRowsAndSaysWhere() throws {
        let t = try table("a,b\n1,2\n1,2,3\n4,5\n")
        #expect(t.rowCount == 2)
        #expect(t.ragged.count == 1)
        #expect(t.ragged.first?.line == 3)
    }

    @Test func reportsUnterminatedQuoteWithItsLine() {
        #expect(throws: CSVTable.Failure(line: 3, message: "unterminated quoted field")) {
            try table("a,b\n1,2\n\"open,4\n5,6\n")
        }
    }

    @Test func reportsGarbageAfterClosingQuote() {
        #expect(throws: CSVTable.Failure(line: 2, message: "unexpected character after a closing quote")) {
            try table("a,b\n\"x\"y,2\n")
        }
    }

    @Test func sniffsSemicolonsAndTabs() throws {
        #expect(try table("a;b\n1;2\n").string(0, 1) == "2")
        #expect(try table("a\tb\n1\t2\n").string(0, 1) == "2")
    }

    @Test func fingerprintsEqualAcrossQuotingStyles() throws {
        let plain = try table("p\nhello world\n")
        let quoted = try table("p\n\"hello world\"\n")
        #expect(plain.fingerprint(0, 0) == quoted.fingerprint(0, 0))
        #expect(plain.fingerprint(0, 0) == Fingerprint.of("hello world"))
    }
}
