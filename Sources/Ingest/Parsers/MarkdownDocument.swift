/// The parts of a Markdown note that carry data: pipe tables, each with the
/// heading it sits under. Prose is not data and is ignored.
struct MarkdownDocument {
    struct Table: Equatable {
        /// The nearest heading above the table ("" when none).
        var heading: String
        var header: [String]
        var rows: [[String]]
        /// 1-based line of the header row.
        var line: Int
    }

    var tables: [Table] = []

    init(text: [UInt8]) {
        let lines = String(decoding: text, as: UTF8.self).split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var heading = ""
        var index = 0
        while index < lines.count {
            let line = lines[index].trimmingCharacters()
            if line.hasPrefix("#") {
                heading = String(line.drop { $0 == "#" }).trimmingBlanks()
                index += 1
                continue
            }
            if MarkdownDocument.isRow(line), index + 1 < lines.count,
                MarkdownDocument.isSeparator(lines[index + 1].trimmingCharacters())
            {
                let header = MarkdownDocument.cells(line)
                var rows: [[String]] = []
                var next = index + 2
                while next < lines.count {
                    let candidate = lines[next].trimmingCharacters()
                    guard MarkdownDocument.isRow(candidate) else { break }
                    var cells = MarkdownDocument.cells(candidate)
                    // Short rows are padded, long ones cut: Markdown renderers do the same.
                    if cells.count < header.count { cells += Array(repeating: "", count: header.count - cells.count) }
                    rows.append(Array(cells.prefix(header.count)))
                    next += 1
                }
                tables.append(Table(heading: heading, header: header, rows: rows, line: index + 1))
                index = next
                continue
            }
            index += 1
        }
    }

    private static func isRow(_ line: Substring) -> Bool {
        line.hasPrefix("|") && line.dropFirst().contains("|")
    }

    private static func isSeparator(_ line: Substring) -> Bool {
        guard isRow(line) else { return false }
        let cells = cells(line)
        return !cells.isEmpty
            && cells.allSatisfy { cell in
                let core = cell.filter { $0 != ":" }
                return core.count >= 1 && core.allSatisfy { $0 == "-" }
            }
    }

    private static func cells(_ line: Substring) -> [String] {
        var body = line
        if body.hasPrefix("|") { body = body.dropFirst() }
        if body.hasSuffix("|") { body = body.dropLast() }
        var cells: [String] = []
        var current = ""
        var escaped = false
        for character in body {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                cells.append(current.trimmingBlanks())
                current = ""
            } else {
                current.append(character)
            }
        }
        cells.append(current.trimmingBlanks())
        return cells
    }
}

extension Substring {
    func trimmingCharacters() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
        return text
    }
}
