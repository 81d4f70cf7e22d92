import Records

/// An array of JSON objects seen as a table: the union of their keys, in
/// first-seen order. The document is already in memory; rows are looked up
/// in it as they are handed out, not copied into dictionaries.
struct JSONRows: Tabular {
    typealias Failure = Never

    let header: [String]
    let columnNames: [String]
    private let elements: [JSONValue]
    private let columnOfKey: [String: Int]

    init?(_ value: JSONValue) {
        guard let elements = value.elements, !elements.isEmpty else { return nil }
        var header: [String] = []
        var columnOfKey: [String: Int] = [:]
        for element in elements {
            guard let members = element.members else { return nil }
            for (key, _) in members where columnOfKey[key] == nil {
                columnOfKey[key] = header.count
                header.append(key)
            }
        }
        self.header = header
        columnNames = header.map(ColumnName.canonical)
        self.elements = elements
        self.columnOfKey = columnOfKey
    }

    func forEachRow(_ body: (Row) -> Bool) {
        // Per column, the index of the member holding it (the last one, when
        // an object repeats a key), for this row and the one before.
        var slots = [Int](repeating: -1, count: header.count)
        var previousSlots = slots
        var previousMembers: [(String, JSONValue)] = []
        for (ordinal, element) in elements.enumerated() {
            let members = element.members ?? []
            for index in slots.indices { slots[index] = -1 }
            for (index, member) in members.enumerated() {
                if let column = columnOfKey[member.0] { slots[column] = index }
            }
            let row = Row(
                members: members, slots: slots, previousMembers: previousMembers, previousSlots: previousSlots, ordinal: ordinal)
            guard body(row) else { return }
            swap(&slots, &previousSlots)
            previousMembers = members
        }
    }

    struct Row: TabularRow {
        fileprivate let members: [(String, JSONValue)]
        fileprivate let slots: [Int]
        fileprivate let previousMembers: [(String, JSONValue)]
        fileprivate let previousSlots: [Int]
        let ordinal: Int

        var place: String { "element \(ordinal + 1)" }

        func value(_ column: Int) -> JSONValue? {
            slots[column] < 0 ? nil : members[slots[column]].1
        }

        func string(_ column: Int) -> String {
            Row.text(value(column))
        }

        func double(_ column: Int) -> Double? { value(column)?.double }

        /// JSON numbers have a decimal point; a comma in a string groups thousands.
        var writesDecimalComma: Bool { false }

        func timestamp(_ column: Int) -> Double? {
            switch value(column) {
            case .number(let number):
                return TimestampParsing.epochNumber(number).flatMap { seconds in
                    seconds >= TimestampParsing.earliest && seconds <= TimestampParsing.latest ? seconds : nil
                }
            case .string(let text): return TimestampParsing.secondsSinceEpoch(text)
            default: return nil
            }
        }

        func isBlank(_ column: Int) -> Bool {
            guard let value = value(column) else { return true }
            if case .string(let text) = value { return text.trimmingBlanks().isEmpty }
            return value.isNull
        }

        func byteCount(_ column: Int) -> Int {
            switch value(column) {
            case .string(let text): text.utf8.count
            case .object, .array: Int.max
            case nil: 0
            default: string(column).utf8.count
            }
        }

        func fingerprint(_ column: Int) -> UInt64 {
            Fingerprint.of(Row.wholeText(value(column)))
        }

        func sameAsPrevious(_ column: Int) -> Bool {
            guard ordinal > 0 else { return false }
            let previous = previousSlots[column] < 0 ? nil : previousMembers[previousSlots[column]].1
            return Row.wholeText(value(column)) == Row.wholeText(previous)
        }

        /// Numbers of an array (nested ones too) and numbers written as strings.
        func numbers(_ column: Int, limit: Int) -> [Double] {
            var values: [Double] = []
            func collect(_ value: JSONValue) {
                guard values.count < limit else { return }
                switch value {
                case .number(let number): values.append(number)
                case .string(let text): values += NumberList.parse(text, limit: limit - values.count)
                case .array(let elements): for element in elements { collect(element) }
                default: break
                }
            }
            if let value = value(column) { collect(value) }
            return values
        }

        /// A cell as text, cut like every kept text: scalars as written,
        /// containers as compact JSON.
        private static func text(_ value: JSONValue?) -> String {
            guard let value else { return "" }
            switch value {
            case .object, .array: return JSONWriter.compact(value)
            default: return value.scalarText ?? ""
            }
        }

        /// The same, strings uncut: what identifies a cell (a prompt is
        /// matched with its CSV twin's by the hash of its whole text).
        private static func wholeText(_ value: JSONValue?) -> String {
            if case .string(let text) = value { return text }
            guard let value else { return "" }
            switch value {
            case .object, .array: return JSONWriter.compact(value)
            default: return value.scalarText ?? ""
            }
        }
    }
}

extension JSONRows {
    /// An array of objects whose objects hold objects (`{"model": "m",
    /// "results": {"tokens_s": 50}}`), each one level flatter: a nested
    /// object's members are columns of their own, named by their key
    /// (`tokens_s`) unless that name is taken by another column, then by
    /// their path (`results.tokens_s`). Nil when no element nests an object.
    ///
    /// Read by path, `runs[].results.tokens_s` pooled every model's runs.
    static func flattened(_ value: JSONValue) -> JSONValue? {
        guard let elements = value.elements, elements.contains(where: { $0.members?.contains { $1.members != nil } ?? false })
        else { return nil }
        // How often each leaf key is a column, at top level or nested.
        var uses: [String: Set<String>] = [:]
        for element in elements {
            for (key, member) in element.members ?? [] {
                if let nested = member.members {
                    for (leaf, _) in nested { uses[leaf, default: []].insert(key + "." + leaf) }
                } else {
                    uses[key, default: []].insert(key)
                }
            }
        }
        return .array(
            elements.map { element in
                guard let members = element.members else { return element }
                var flat: [(key: String, value: JSONValue)] = []
                for (key, member) in members {
                    guard let nested = member.members else {
                        flat.append((key, member))
                        continue
                    }
                    for (leaf, value) in nested { flat.append(((uses[leaf]?.count ?? 0) > 1 ? key + "." + leaf : leaf, value)) }
                }
                return .object(flat)
            })
    }
}
