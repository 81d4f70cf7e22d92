import Records

/// Bytes of one file -> an `Extraction`, or the specific reason it holds nothing usable.
///
/// The container (CSV, JSON, Markdown) is chosen by extension, or by content for
/// files without one; the shape inside it is recognised by columns and keys.
public enum ContentParser {
    public enum Outcome: Sendable, Equatable {
        case extracted(Extraction)
        case skipped(String)
    }

    enum Container {
        case csv(delimiter: UInt8?)
        case json
        case markdown
    }

    /// Bumped when parsing changes what a file yields: the store re-parses files
    /// recorded by an older revision.
    public static let version = 2

    public static func parse(_ bytes: [UInt8], fileName: String) -> Outcome {
        guard !bytes.isEmpty else { return .skipped("empty file") }
        let ext = fileExtension(fileName)
        let container: Container
        switch ext {
        case "csv": container = .csv(delimiter: nil)
        case "tsv": container = .csv(delimiter: 0x09)
        case "json": container = .json
        case "md", "markdown": container = .markdown
        case "":
            guard let sniffed = sniff(bytes) else { return .skipped("unsupported type (no extension, not JSON)") }
            container = sniffed
        default:
            return .skipped("unsupported type (.\(ext))")
        }
        let text: [UInt8]
        switch TextDecoding.decode(bytes) {
        case .text(let decoded): text = decoded
        case .notText(let reason): return .skipped(reason)
        }
        if text.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return .skipped("empty file (only whitespace)")
        }
        let stem = fileStem(fileName)
        switch container {
        case .csv(let delimiter): return parseCSV(text, delimiter: delimiter)
        case .json: return parseJSON(text, stem: stem)
        case .markdown: return parseMarkdown(text)
        }
    }

    static func parseCSV(_ text: [UInt8], delimiter: UInt8?) -> Outcome {
        let table: CSVTable
        do {
            table = try CSVTable(text: text, delimiter: delimiter)
        } catch {
            return .skipped("malformed CSV at line \(error.line): \(error.message)")
        }
        if table.rowCount == 0 {
            if let first = table.ragged.first {
                return .skipped(
                    "malformed CSV at line \(first.line): \(first.fields) fields where the header has \(table.columnCount)")
            }
            return .skipped("no data rows (header only)")
        }
        var extraction: Extraction
        if LlamaBenchFormat.matches(table) {
            extraction = LlamaBenchFormat.extract(table, shape: .llamaBenchCSV)
        } else if RunTableFormat.matches(table) {
            extraction = RunTableFormat.extract(table)
        } else if AggregateTableFormat.matches(table) {
            extraction = AggregateTableFormat.extract(table)
        } else {
            extraction = Extraction(shape: .genericCSV, series: GenericSeriesFormat.extract(table))
            if extraction.series.isEmpty { return .skipped("no benchmark data (CSV without numeric columns)") }
        }
        if !table.ragged.isEmpty {
            let lines = table.ragged.prefix(5).map { String($0.line) }.joined(separator: ", ")
            extraction.notes.append(
                "\(table.ragged.count) row(s) with a wrong field count were left out (line\(table.ragged.count > 1 ? "s" : "") \(lines)\(table.ragged.count > 5 ? ", ..." : ""))")
        }
        return .extracted(extraction)
    }

    static func parseJSON(_ text: [UInt8], stem: String) -> Outcome {
        let document: JSONValue
        do {
            document = try JSONParser.parse(text)
        } catch {
            return .skipped("malformed JSON at line \(error.line), column \(error.column): \(error.message)")
        }
        if let rows = JSONRows(document), LlamaBenchFormat.matches(rows) {
            return .extracted(LlamaBenchFormat.extract(rows, shape: .llamaBenchJSON))
        }
        if let results = document["results"], let rows = JSONRows(results), RunTableFormat.matches(rows) {
            let model = document["model"]?.string.flatMap { $0.trimmingBlanks().isEmpty ? nil : $0 }
            return .extracted(RunTableFormat.extract(rows, model: model, jsonTwin: true))
        }
        if let rows = JSONRows(document), RunTableFormat.matches(rows) {
            return .extracted(RunTableFormat.extract(rows))
        }
        if HyperfineFormat.matches(document) { return .extracted(HyperfineFormat.extract(document)) }
        if PytestBenchmarkFormat.matches(document) { return .extracted(PytestBenchmarkFormat.extract(document)) }
        if GoogleBenchmarkFormat.matches(document) { return .extracted(GoogleBenchmarkFormat.extract(document)) }
        if CompilationBenchFormat.matches(document) {
            return .extracted(CompilationBenchFormat.extract(document, fileStem: stem))
        }
        if VLLMServeFormat.matches(document) { return .extracted(VLLMServeFormat.extract(document)) }
        if RunSummaryFormat.matches(document) { return .extracted(RunSummaryFormat.extract(document)) }
        let series = GenericSeriesFormat.extract(document)
        if series.isEmpty { return .skipped("no benchmark data (JSON without numbers)") }
        return .extracted(Extraction(shape: .genericJSON, modelHint: document["model"]?.string, series: series))
    }

    static func parseMarkdown(_ text: [UInt8]) -> Outcome {
        let document = MarkdownDocument(text: text)
        guard !document.tables.isEmpty else { return .skipped("no benchmark data (Markdown without tables)") }
        var llamaBench: [LlamaBenchResult] = []
        var series: [Series] = []
        for table in document.tables {
            if LlamaBenchFormat.matches(table) {
                llamaBench += LlamaBenchFormat.extract(table)
            } else {
                series += GenericSeriesFormat.extract(table)
            }
        }
        if !llamaBench.isEmpty {
            return .extracted(Extraction(shape: .llamaBenchMarkdown, llamaBench: llamaBench, series: series))
        }
        guard !series.isEmpty else { return .skipped("no benchmark data (Markdown tables without numbers)") }
        return .extracted(Extraction(shape: .markdownTables, series: series))
    }

    private static func sniff(_ bytes: [UInt8]) -> Container? {
        let first = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 && $0 != 0xEF && $0 != 0xBB && $0 != 0xBF }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[") ? .json : nil
    }

    public static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    public static func fileStem(_ name: String) -> String {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return base }
        return String(base[..<dot])
    }
}
