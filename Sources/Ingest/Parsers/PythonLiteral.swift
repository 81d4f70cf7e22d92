/// A Python literal as a harness writes it with `str(options)` instead of
/// `json.dumps(options)`: `{'temperature': 0.3, 'stream': False}`. Read as
/// the JSON it stands for, so the same options written either way are one
/// configuration (written as text, every night under the other spelling was
/// a group of its own, never compared with the rest).
///
///     PythonLiteral.json("{'num_ctx': 2048, 'stop': None}")  // {"num_ctx": 2048, "stop": null}
///
/// Only what JSON has: single- or double-quoted strings, numbers, `True`,
/// `False`, `None`, lists and dicts. Anything else (a tuple, a set, a call)
/// gives nil, and the caller keeps the text as it is.
enum PythonLiteral {
    /// The JSON text of `text`, or nil when it holds what JSON has not.
    static func json(_ text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "'", "\"":
                guard let end = string(scalars, from: index, into: &out) else { return nil }
                index = end
            case "(", ")":
                return nil
            case _ where scalar.properties.isAlphabetic:
                var end = index
                while end < scalars.count, scalars[end].properties.isAlphabetic || scalars[end] == "_" { end += 1 }
                switch String(String.UnicodeScalarView(scalars[index..<end])) {
                case "True": out.append(contentsOf: "true".unicodeScalars)
                case "False": out.append(contentsOf: "false".unicodeScalars)
                case "None": out.append(contentsOf: "null".unicodeScalars)
                // Exponents and the like are JSON's own; a bare name is not.
                case "e", "E": out.append(contentsOf: scalars[index..<end])
                default: return nil
                }
                index = end
            default:
                out.append(scalar)
                index += 1
            }
        }
        return String(out)
    }

    /// Copies the quoted string starting at `start` as a JSON string; the
    /// index after its closing quote, or nil when it is not closed.
    private static func string(_ scalars: [Unicode.Scalar], from start: Int, into out: inout String.UnicodeScalarView) -> Int? {
        let quote = scalars[start]
        out.append("\"")
        var index = start + 1
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == quote {
                out.append("\"")
                return index + 1
            }
            if scalar == "\\", index + 1 < scalars.count {
                // `\'` is a quote JSON writes bare; other escapes mean the same in both.
                let next = scalars[index + 1]
                if next == "'" {
                    out.append("'")
                } else {
                    out.append(scalar)
                    out.append(next)
                }
                index += 2
                continue
            }
            if scalar == "\"" { out.append("\\") }
            out.append(scalar)
            index += 1
        }
        return nil
    }
}
