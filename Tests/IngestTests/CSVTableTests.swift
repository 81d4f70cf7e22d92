import Testing

@testable import Ingest

@Suite struct CSVTableTests {
    /// What one pass hands out: each row's fields as strings, and its line.
    private struct Pass {
        var table: CSVTable
        var rows: [[String]] = []
        var lines: [Int] = []
    }

    private func read(_ text: String, delimiter: UInt8? = nil) throws(CSVTable.Failure) -> Pass {
        var pass = Pass(table: try CSVTable(text: Array(text.utf8), delimiter: delimiter))
        let width = pass.table.header.count
        var rows: [[String]] = []
        var lines: [Int] = []
        try pass.table.forEachRow { row in
            rows.append((0..<width).map { row.string($0) })
            lines.append(Int(row.place.dropFirst("line ".count)) ?? 0)
            return true
        }
        pass.rows = rows
        pass.lines = lines
        return pass
    }

    /// A file of numbers with no header row (times, one a line): its first
    /// line is a row, not the names of columns.
    @Test func aFirstLineOfNumbersIsARow() throws {
        let times = try read("2.117\n1.967\n2.02\n")
        #expect(times.table.isHeaderless && times.table.header == ["column 1"])
        #expect(times.rows == [["2.117"], ["1.967"], ["2.02"]] && times.lines == [1, 2, 3])
        let indexed = try read("# times\n1,2.064\n2,2.072\n")
        #expect(indexed.table.header == ["column 1", "column 2"] && indexed.rows == [["1", "2.064"], ["2", "2.072"]])
        #expect(indexed.lines == [2, 3])
        // Whole numbers read as names: threads, sizes, pandas' unnamed column, percentiles.
        let threads = try read("1,2,4,8\n10.2,5.3,2.8,1.6\n")
        #expect(!threads.table.isHeaderless && threads.table.header == ["1", "2", "4", "8"] && threads.rows.count == 1)
        for header in ["1024,512,256", "0", "50,90,99,99.9"] {
            #expect(!(try read(header + "\n1.5\n")).table.isHeaderless, "\(header)")
        }
        #expect(!(try read("name,1\na,2\n")).table.isHeaderless)
    }

    @Test func readsQuotedFieldsWithEscapesAndLineBreaks() throws {
        let pass = try read("name,note,value\n\"a, b\",\"say \"\"hi\"\"\",1.5\n\"multi\nline\",x,2\n")
        #expect(pass.table.header == ["name", "note", "value"])
        #expect(pass.rows == [["a, b", "say \"hi\"", "1.5"], ["multi\nline", "x", "2"]])
        #expect(pass.lines == [2, 3])
    }

    @Test func handlesCRLFAndMissingFinalNewline() throws {
        let pass = try read("a,b\r\n1,2\r\n3,4")
        #expect(pass.rows == [["1", "2"], ["3", "4"]])
    }

    @Test func readsCROnlyLineEnds() throws {
        // Old Mac tools end lines with a lone CR, after quoted fields too.
        let pass = try read("a,b\r1,2\r\"x\ry\",4\r\r\"z\",5")
        #expect(pass.table.header == ["a", "b"])
        #expect(pass.rows == [["1", "2"], ["x\ry", "4"], ["z", "5"]])
        #expect(pass.lines == [2, 3, 6])
    }

    @Test func keepsEmptyTrailingFields() throws {
        let pass = try read("a,b,error\n1,2,\n3,4,boom\n")
        #expect(pass.rows == [["1", "2", ""], ["3", "4", "boom"]])
    }

    @Test func skipsBlankLinesBetweenRows() throws {
        #expect(try read("a,b\n\n1,2\n\r\n3,4\n\n").rows.count == 2)
    }

    @Test func dropsRaggedRowsAndSaysWhere() throws {
        let pass = try read("a,b\n1,2\n1,2,3\n4,5\n")
        #expect(pass.rows == [["1", "2"], ["4", "5"]])
        #expect(pass.table.log.raggedCount == 1)
        #expect(pass.table.log.ragged.first?.line == 3)
        #expect(pass.table.log.rows == 2)
    }

    @Test func reportsUnterminatedQuoteWithItsLine() {
        #expect(throws: CSVTable.Failure(line: 3, message: "unterminated quoted field")) {
            try read("a,b\n1,2\n\"open,4\n5,6\n")
        }
    }

    @Test("a last row cut inside its quoted field (a file read mid-write) is left out; the rows before it are read")
    func leavesOutALastRowCutInsideQuotes() throws {
        let pass = try read("a,b\n1,\"x\"\n2,\"{\"\"temper")
        #expect(pass.rows == [["1", "x"]])
        #expect(pass.table.log.cutLastRow == 3)
        #expect(pass.table.log.raggedCount == 0)
        // A quote left open lines before the end is no cut row: every row after it would go.
        #expect(throws: CSVTable.Failure(line: 2, message: "unterminated quoted field")) { try read("a,b\n1,\"x\n2,3\n4,5") }
    }

    @Test("a last row with no line end is left out only when its last number has fewer decimals than its column's every other")
    func leavesOutALastRowCutInItsNumber() throws {
        let cut = try read("a,b\nx,45.05\ny,45.53\nz,4")
        #expect(cut.rows == [["x", "45.05"], ["y", "45.53"]])
        #expect(cut.table.log.cutLastRow == 4 && cut.table.log.lastRowCut == .inNumber)
        #expect(try read("a,b\nx,45.05\ny,45.53\nz,4.1").rows.count == 2)
        // Whole: as many decimals, a column of mixed decimals or whole numbers, a quoted number, a line end.
        for text in [
            "a,b\nx,45.05\ny,45.53\nz,9.75", "a,b\nx,45.5\ny,45.53\nz,4", "a,b\nx,45\ny,46\nz,4", "a,b\nx,45.05\nz,\"4\"", "a,b\nx,45.05\nz,4\n",
        ] {
            let pass = try read(text)
            #expect(pass.rows.count == text.split(separator: "\n").count - 1, "\(text)")
            #expect(pass.table.log.cutLastRow == nil, "\(text)")
        }
    }

    @Test func reportsGarbageAfterClosingQuote() {
        #expect(throws: CSVTable.Failure(line: 2, message: "unexpected character after a closing quote")) {
            try read("a,b\n\"x\"y,2\n")
        }
    }

    @Test func sniffsSemicolonsAndTabs() throws {
        #expect(try read("a;b\n1;2\n").rows == [["1", "2"]])
        #expect(try read("a\tb\n1\t2\n").rows == [["1", "2"]])
    }

    @Test func fingerprintsEqualAcrossQuotingStyles() throws {
        let texts = ["p\nhello world\n", "p\n\"hello world\"\n", "p\n\"say \"\"hi\"\" twice, \"\"hi\"\"\"\n"]
        var fingerprints: [UInt64] = []
        for text in texts {
            try CSVTable(text: Array(text.utf8)).forEachRow { row in
                fingerprints.append(row.fingerprint(0))
                return true
            }
        }
        #expect(fingerprints == [Fingerprint.of("hello world"), Fingerprint.of("hello world"), Fingerprint.of("say \"hi\" twice, \"hi\"")])
    }

    @Test func readsNumbersAndComparesWithTheRowBefore() throws {
        let table = try CSVTable(text: Array("m,v\nx,1.5\nx, 2 \n\"x\",\ny,3\n".utf8))
        var doubles: [Double?] = []
        var same: [Bool] = []
        try table.forEachRow { row in
            doubles.append(row.double(1))
            same.append(row.sameAsPrevious(0))
            return true
        }
        #expect(doubles == [1.5, 2, nil, 3])
        // A field compares by its content, quoted or not.
        #expect(same == [false, true, true, false])
    }

    @Test func stopsWhenTheCallerDoesAndPassesAgain() throws {
        let table = try CSVTable(text: Array("a\n1\n2\n3\n".utf8))
        var first: [String] = []
        try table.forEachRow { row in
            first.append(row.string(0))
            return first.count < 2
        }
        var second: [String] = []
        try table.forEachRow { row in
            second.append(row.string(0))
            return true
        }
        #expect(first == ["1", "2"])
        #expect(second == ["1", "2", "3"])
    }

    @Test func cutsLongTextsButHashesThemWhole() throws {
        let long = String(repeating: "é", count: 3000)  // 6000 bytes
        let table = try CSVTable(text: Array("model,v\n\"\(long)\",1\n".utf8))
        var text = ""
        var fingerprint: UInt64 = 0
        try table.forEachRow { row in
            text = row.string(0)
            fingerprint = row.fingerprint(0)
            return true
        }
        #expect(text == String(repeating: "é", count: 2048) + "…")
        #expect(fingerprint == Fingerprint.of(long))
        #expect(table.log.cuts.count == 1)
        #expect(table.log.cuts.note == "1 text longer than 4 KiB was cut to its first 4 KiB (5.9 KiB, at line 2, column model)")
    }
}
