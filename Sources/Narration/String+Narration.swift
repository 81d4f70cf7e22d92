extension StringProtocol {
    /// Without leading and trailing white space (Foundation-free, so the module
    /// needs nothing beyond the standard library).
    var trimmingWhiteSpace: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// Without the given characters (and white space) at the end.
    func trimmingTrailing(_ characters: String) -> String {
        var text = String(self)
        while let last = text.last, characters.contains(last) || last.isWhitespace { text.removeLast() }
        return text
    }
}
