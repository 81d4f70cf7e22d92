import Foundation

/// How a column of numbers written as people write them (`12.3 ms`, `1.2 s`,
/// `45%`, `3,503`) is read: a column of times in one unit, the header's
/// (`Latency (ms)`) or else its cells' most used, whatever the mix of a given
/// row; one mixing units of other quantities (`ops/s` beside `MB/s`) holds no
/// one quantity and is read as text. Markdown tables (`MarkdownRows`) and
/// CSVs whose cells carry units (`QuantityRows`) are read so.
///
///     var reading = ColumnScale.Reading()
///     for cell in ["12.3 ms", "1.2 s", "15 ms"] { reading.add(cell) }
///     let (scale, units) = reading.scale(headerUnit: nil)   // .converted(["ms": 1, "s": 1000, "": 1]), ["ms", "s"]
///     scale.value(of: "1.2 s")                              // 1200
enum ColumnScale: Equatable {
    /// Numbers whatever their unit.
    case asWritten
    /// Bare numbers only: a cell with a unit is text.
    case bare
    /// Times, multiplied by the factor of each cell's unit to the
    /// column's (keyed by unit; "" for a cell without one).
    case converted([String: Double])
    /// Numbers in units of different quantities: none is read.
    case mixed

    /// The number `cell` holds read at this scale, if any.
    func value(of cell: String, decimalComma: Bool = false) -> Double? {
        guard let quantity = ColumnScale.quantity(cell, decimalComma: decimalComma) else { return nil }
        return value(quantity.value, unit: quantity.unit)
    }

    /// `number`, written in `unit` ("" for none), read at this scale.
    func value(_ number: Double, unit: String) -> Double? {
        switch self {
        case .asWritten: return number
        case .bare: return unit.isEmpty ? number : nil
        case .converted(let factors): return factors[unit].map { number * $0 }
        case .mixed: return nil
        }
    }

    /// A column's units as its cells are read, one at a time.
    struct Reading {
        private var counts: [String: Int] = [:]
        private var order: [String] = []
        /// A cell of text was met: the column holds no numbers.
        private(set) var isText = false
        /// A cell was read through `add(_:)`: for `QuantityRows`, which hands
        /// bare numbers to `addNumber()`, a number with a unit or grouped
        /// thousands (`12.3 ms`, `3,503`) that the plain reading missed.
        private(set) var readsQuantities = false
        /// The cell that made the column text when it was a number
        /// abbreviated with a multiplier (`1.2k`, `3M`): a label to
        /// chimerad, which says so when the file holds nothing else.
        private(set) var abbreviated: String?

        /// A cell's text; a blank or a `NaN` (a value missing, in no unit)
        /// counts for nothing, and a unit no measurement is written in (a
        /// model's `7b`, `1.2k`) makes the column text: labels, not numbers.
        mutating func add(_ cell: String, decimalComma: Bool = false) {
            guard !isText, !cell.trimmingBlanks().isEmpty, !MissingValue.isMarker(cell) else { return }
            guard let quantity = ColumnScale.quantity(cell, decimalComma: decimalComma), ColumnScale.isMeasurementUnit(quantity.unit) else {
                isText = true
                if let quantity = ColumnScale.quantity(cell, decimalComma: decimalComma), ColumnScale.multipliers.contains(quantity.unit) {
                    abbreviated = cell.trimmingBlanks()
                }
                return
            }
            readsQuantities = true
            add(unit: quantity.unit)
        }

        /// A cell read as a bare number.
        mutating func addNumber() { add(unit: "") }

        /// A cell that makes the column text whatever it holds (a label such as `7b`).
        mutating func addText() { isText = true }

        private mutating func add(unit: String) {
            if counts[unit] == nil { order.append(unit) }
            counts[unit, default: 0] += 1
        }

        /// The column's scale and its units, most used first (ties in the
        /// order they first appear). A cell without a unit is in the header's
        /// unit when it names one, else in the column's; a column with a cell
        /// of text is read as written (it holds no numbers).
        func scale(headerUnit: String?) -> (scale: ColumnScale, units: [String]) {
            guard !isText else { return (.asWritten, []) }
            var counts = counts
            var order = order
            if let unitless = counts.removeValue(forKey: "") {
                order.removeAll { $0.isEmpty }
                if let headerUnit {
                    if counts[headerUnit] == nil { order.append(headerUnit) }
                    counts[headerUnit, default: 0] += unitless
                }
            }
            let units = order.indices.sorted { first, second in
                let (a, b) = (counts[order[first], default: 0], counts[order[second], default: 0])
                return a != b ? a > b : first < second
            }.map { order[$0] }
            let seconds = units.map(ColumnScale.secondsPer)
            // A unit of another quantity under a header's unit of time (`45%` under `Latency (ms)`).
            if headerUnit != nil, seconds.contains(where: { $0 == nil }) { return (.mixed, units) }
            guard let target = headerUnit ?? units.first, let perTarget = ColumnScale.secondsPer(target), !seconds.isEmpty,
                seconds.allSatisfy({ $0 != nil })
            else {
                return (units.count > 1 ? .mixed : .asWritten, units)
            }
            var factors: [String: Double] = ["": (headerUnit.flatMap(ColumnScale.secondsPer) ?? perTarget) / perTarget]
            for (unit, perUnit) in zip(units, seconds) { factors[unit] = (perUnit ?? perTarget) / perTarget }
            return (.converted(factors), units)
        }
    }

    /// The scale of a column of `cells`.
    static func of(_ cells: some Sequence<String>, headerUnit: String?) -> (scale: ColumnScale, units: [String]) {
        var reading = Reading()
        for cell in cells {
            reading.add(cell)
            if reading.isText { break }
        }
        return reading.scale(headerUnit: headerUnit)
    }

    /// A column's header as read at `scale` (times named with their unit:
    /// `Time (ms)`), and the note saying what reading it changed, if anything.
    static func labelled(_ header: String, column: Int, scale: ColumnScale, units: [String], headerUnit: String?) -> (header: String, note: String?) {
        let name = header.isEmpty ? "column \(column + 1)" : header
        switch scale {
        case .asWritten, .bare:
            return (header, nil)
        case .converted:
            let unit = headerUnit ?? units.first ?? ""
            let named = headerUnit == nil ? "\(name) (\(unit))" : header
            return (named, units.count > 1 ? "\(name): times written in \(list(units)), read in \(unit)" : nil)
        case .mixed:
            return (header, "\(name) mixes units (\(list(units))): read as text")
        }
    }

    /// `ms, s and us`.
    private static func list(_ units: [String]) -> String {
        units.count < 2 ? units.joined() : units.dropLast().joined(separator: ", ") + " and " + (units.last ?? "")
    }

    /// Whether `unit` is one a measurement is written in: a time, a
    /// percentage, a ratio (`1.3x`), a rate a second or a size. A model's
    /// `7b` or a card's `2gpu` is a label: read as a number, a `model` column
    /// of `7b` and `13b` became a series, and no longer split the latencies.
    static func isMeasurementUnit(_ unit: String) -> Bool {
        let unit = unit.lowercased()
        if unit.isEmpty || unit == "%" || unit == "x" || secondsPer(unit) != nil { return true }
        if unit.hasSuffix("/s") || unit.hasSuffix("ps") { return unit.count > 2 }
        return measurementUnits.contains(unit)
    }

    /// The suffixes of numbers written short (`1.2k`, `3M`): read as
    /// labels, since the same letters name labels (`2k` of context, `7B`
    /// parameters) and the multiplier is a guess.
    static let multipliers: Set<String> = ["k", "K", "M", "G"]

    /// Sizes and rates named without `/s`.
    private static let measurementUnits: Set<String> = [
        "kb", "mb", "gb", "tb", "kib", "mib", "gib", "tib", "bytes", "iops", "rps", "qps", "tps", "fps", "hz", "khz", "mhz", "ghz", "w",
    ]

    /// Seconds in one of a unit of time (`ms`, `s`, `min`, `h`), nil for any other unit.
    static func secondsPer(_ unit: String) -> Double? {
        let unit = unit.lowercased()
        if let exponent = QuantityText.secondsExponent(unit) { return pow(10, Double(exponent)) }
        switch unit {
        case "min", "mins", "minute", "minutes": return 60
        case "h", "hr", "hrs", "hour", "hours": return 3600
        default: return nil
        }
    }

    /// The unit of time a header names in parentheses at its end (`Latency (ms)`), if any.
    static func headerUnit(_ header: String) -> String? {
        let trimmed = header.trimmingBlanks()
        guard trimmed.hasSuffix(")"), let open = trimmed.lastIndex(of: "(") else { return nil }
        let unit = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)].trimmingCharacters()
        return secondsPer(String(unit)) != nil ? String(unit) : nil
    }

    /// A cell's number and the unit written after it (`""` when none; `×` as
    /// `x`, `µs` as `us`). In a file that writes a decimal comma (`0,125 s`)
    /// a comma is the decimal point; elsewhere only thousands grouped as such
    /// (`1,050.5`, never `0,125`) lose their commas.
    static func quantity(_ cell: String, decimalComma: Bool = false) -> (value: Double, unit: String)? {
        var text = Substring(cell.filter { $0 != "*" && $0 != "`" }).trimmingCharacters()
        if decimalComma {
            if !text.contains("."), text.count(where: { $0 == "," }) == 1 { text = Substring(text.replacingOccurrences(of: ",", with: ".")) }
        } else if text.range(of: #"^-?[1-9]\d{0,2}(,\d{3})+(\.\d+)?"#, options: .regularExpression) != nil {
            text = Substring(text.filter { $0 != "," })
        }
        let numberEnd = text.firstIndex { !($0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" || $0 == "E") } ?? text.endIndex
        guard let value = NumberParsing.double(text[..<numberEnd]) else { return nil }
        let unit = text[numberEnd...].trimmingCharacters()
        guard unit.count <= 6, unit.allSatisfy({ $0.isLetter || $0 == "%" || $0 == "/" || $0 == "×" }) else { return nil }
        // `1.3×` and `1.2x` are one unit, and so are `µs` (micro sign or mu) and `us`.
        let spelled = unit.replacingOccurrences(of: "×", with: "x")
        return (value, spelled == "µs" || spelled == "μs" ? "us" : spelled)
    }
}
