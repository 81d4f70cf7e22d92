/// The anchors of a page's headings, made as GitHub makes them, so a
/// Markdown link to `#table-a1` leads to `Table A1` on the page as on
/// GitHub: the heading's text without its tags, lower-cased, letters,
/// digits, `-` and `_` kept, each blank a `-`; a second heading of one text
/// gets `-1`, a third `-2`.
///
///     var anchors = HeadingAnchors()
///     anchors.anchor(for: Array("Table A1".utf8)[...])   // "table-a1"
///     anchors.anchor(for: Array("Table A1".utf8)[...])   // "table-a1-1"
struct HeadingAnchors {
    private var used: [String: Int] = [:]

    /// The anchor of a heading whose HTML (escaped text, maybe tags) is `html`.
    mutating func anchor(for html: ArraySlice<UInt8>) -> String {
        anchor(forText: HeadingAnchors.text(of: html))
    }

    /// The anchor of a heading that shows `text`.
    mutating func anchor(forText text: String) -> String {
        // A heading of no letter or digit (a model named `!!!`) still gets an id.
        let slug = HeadingAnchors.slug(text)
        let base = slug.isEmpty ? "section" : slug
        guard var count = used[base] else {
            used[base] = 0
            return base
        }
        // `X 1`, `X`, `X`: the third is `x-2`, as `x-1` is the first's.
        var anchor: String
        repeat {
            count += 1
            anchor = "\(base)-\(count)"
        } while used[anchor] != nil
        used[base] = count
        used[anchor] = 0
        return anchor
    }

    /// The text the HTML shows: tags left out, the entities cmark-gfm writes read back.
    static func text(of html: ArraySlice<UInt8>) -> String {
        var text: [UInt8] = []
        var inTag = false
        for byte in html {
            if byte == UInt8(ascii: "<") { inTag = true } else if byte == UInt8(ascii: ">") { inTag = false } else if !inTag { text.append(byte) }
        }
        return String(decoding: text, as: UTF8.self)
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Lower-cased letters and digits, `-` and `_`, each blank a `-`: nothing
    /// that needs escaping in an attribute.
    static func slug(_ text: String) -> String {
        var slug = ""
        for character in text.lowercased() {
            if character == " " {
                slug.append("-")
            } else if character.isLetter || character.isNumber || character == "-" || character == "_" {
                slug.append(character)
            }
        }
        return slug
    }
}
