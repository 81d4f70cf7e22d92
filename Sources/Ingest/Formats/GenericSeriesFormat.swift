import Foundation
import Records

/// Numbers from files that match no known shape, kept as named series so nothing
/// numeric is dropped: numeric CSV columns, JSON leaves by path (array indices
/// folded to `[]`), numeric Markdown table columns.
enum GenericSeriesFormat {
    static let maximumSeries = 200

    static func extract(_ table: some Tabular) -> [Series] {
        var series: [Series] = []
        for column in table.header.indices where table.isNumericColumn(column) {
            let values = (0..<table.rowCount).compactMap { table.double($0, column) }
            series.append(Series(name: table.header[column], values: values))
            if series.count == maximumSeries { break }
        }
        return series
    }

    static func extract(_ document: JSONValue) -> [Series] {
        var order: [String] = []
        var values: [String: [Double]] = [:]
        func walk(_ value: JSONValue, _ path: String) {
            switch value {
            case .number(let number):
                if values[path] == nil {
                    guard order.count < maximumSeries else { return }
                    order.append(path)
                }
                values[path, default: []].append(number)
            case .object(let members):
                for (key, child) in members { walk(child, path.isEmpty ? key : path + "." + key) }
            case .array(let elements):
                for child in elements { walk(child, path + "[]") }
            default:
                break
            }
        }
        walk(document, "")
        return order.map { Series(name: $0, values: values[$0] ?? []) }
    }

    static func extract(_ table: MarkdownDocument.Table) -> [Series] {
        var series: [Series] = []
        for (column, name) in table.header.enumerated() {
            var numbers: [Double] = []
            var allNumeric = true
            for row in table.rows where !row[column].isEmpty {
                guard let value = cellNumber(row[column]) else {
                    allNumeric = false
                    break
                }
                numbers.append(value)
            }
            guard allNumeric, !numbers.isEmpty else { continue }
            let label = name.isEmpty ? "column \(column + 1)" : name
            series.append(Series(name: table.heading.isEmpty ? label : "\(table.heading) › \(label)", values: numbers))
        }
        return series
    }

    /// `**102.85**`, `3,503`, `0.165 s`, `17%`: a number with emphasis, thousands
    /// separators or a short unit after it.
    static func cellNumber(_ cell: String) -> Double? {
        var text = Substring(cell.filter { $0 != "*" && $0 != "`" }).trimmingCharacters()
        if text.range(of: #"^-?\d{1,3}(,\d{3})+(\.\d+)?"#, options: .regularExpression) != nil {
            text = Substring(text.filter { $0 != "," })
        }
        let numberEnd = text.firstIndex { !($0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" || $0 == "E") } ?? text.endIndex
        guard let value = NumberParsing.double(text[..<numberEnd]) else { return nil }
        let unit = text[numberEnd...].trimmingCharacters()
        guard unit.count <= 6, unit.allSatisfy({ $0.isLetter || $0 == "%" || $0 == "/" || $0 == "×" }) else { return nil }
        return value
    }
}
