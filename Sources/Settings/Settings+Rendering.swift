import Configuration

extension Settings {
    /// The effective configuration as YAML, for `chimerad check-config`: every
    /// key of the table, in its order, under its sections. It loads back to
    /// the same settings.
    package func renderedYAML() -> String {
        var lines = ["# effective configuration" + (configFile.map { " (from \($0), flags and defaults)" } ?? " (defaults and flags)")]
        var openSections: [Substring] = []
        for key in Key.allCases {
            let path = key.rawValue.split(separator: ".")
            guard let name = path.last else { continue }
            let sections = path.dropLast()
            // Opens the sections this key is in that the previous key was not.
            let shared = zip(openSections, sections).prefix { $0 == $1 }.count
            for depth in shared..<sections.count {
                lines.append(String(repeating: "  ", count: depth) + sections[sections.startIndex + depth] + ":")
            }
            openSections = Array(sections)
            lines.append(key.definition.rendered(self, name: String(name), depth: sections.count))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension Settings.KeyDefinition {
    /// `name: value` at `depth`, for `renderedYAML` (lines of a list or a block
    /// included).
    func rendered(_ settings: Settings, name: String, depth: Int) -> String {
        let indent = String(repeating: "  ", count: depth)
        let inner = indent + "  "
        // An unset option is shown commented out: the server's default applies.
        guard let value = content(settings) else { return "\(indent)# \(name): (\(unsetNote ?? "unset"))" }
        let text: String
        switch value {
        case .string(let string):
            if case .choice = kind {
                text = " " + string
            } else if string.isEmpty {
                text = " \"\"" + (unsetNote.map { "  # \($0)" } ?? "")
            } else if Self.readsBackAsBlock(string) {
                text = Self.block(string, indent: inner)
            } else {
                text = " " + Self.quoted(string)
            }
        case .stringArray(let items):
            text = items.isEmpty ? " []" : items.map { "\n\(inner)- \(Self.quoted($0))" }.joined()
        case .int(let number): text = " \(number)"
        case .double(let number): text = " \(number)"
        case .bool(let flag): text = " \(flag)"
        default: text = " \(value)"
        }
        return "\(indent)\(name):\(text)"
    }

    /// A double-quoted YAML scalar, escaped so it reads back exactly.
    static func quoted(_ text: String) -> String {
        var escaped = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where character.value < 0x20 || character.value == 0x7F:
                // Other control characters may not appear as they are.
                escaped += "\\x" + (character.value < 0x10 ? "0" : "") + String(character.value, radix: 16, uppercase: true)
            default: escaped.unicodeScalars.append(character)
            }
        }
        return "\"" + escaped + "\""
    }

    /// Whether `text` is several lines a literal block holds exactly: a line
    /// that starts with blanks would be taken for indentation, and control
    /// characters (a carriage return is read as a line break) need escapes.
    static func readsBackAsBlock(_ text: String) -> Bool {
        let lines = text.split(separator: "\n")
        let controls = text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7F }
        return text.contains("\n") && !lines.isEmpty && !controls
            && lines.allSatisfy { !$0.hasPrefix(" ") && !$0.hasPrefix("\t") }
    }

    /// A literal block keeps several lines readable and exact. Its chomping
    /// keeps the final line breaks: `|-` for none, `|` for one, `|+` for more.
    static func block(_ text: String, indent: String) -> String {
        let trailingBreaks = text.reversed().prefix { $0 == "\n" }.count
        let chomping = trailingBreaks == 0 ? "|-" : trailingBreaks == 1 ? "|" : "|+"
        let body = text.dropLast(trailingBreaks)
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : indent + $0 }
        return " \(chomping)\n" + lines.joined(separator: "\n") + String(repeating: "\n", count: max(0, trailingBreaks - 1))
    }
}
