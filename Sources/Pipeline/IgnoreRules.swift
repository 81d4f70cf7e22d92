#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `watch.ignore` patterns, ready to test every file of a large tree on
/// every pass: the usual shapes (`*.swp`, `.#*`, `*~`) become plain suffix and
/// prefix tests; anything else goes to `fnmatch(3)`.
package struct IgnoreRules: Sendable {
    private enum Rule: Sendable {
        case suffix(String)
        case prefix(String)
        case glob(String)
    }

    private let rules: [(pattern: String, rule: Rule, wholePath: Bool)]

    package init(_ patterns: [String]) {
        let special: Set<Character> = ["*", "?", "[", "]", "\\"]
        rules = patterns.map { pattern in
            let wholePath = pattern.contains("/")
            if !wholePath, pattern.hasPrefix("*"), !pattern.dropFirst().contains(where: special.contains) {
                return (pattern, .suffix(String(pattern.dropFirst())), false)
            }
            if !wholePath, pattern.hasSuffix("*"), !pattern.dropLast().contains(where: special.contains) {
                return (pattern, .prefix(String(pattern.dropLast())), false)
            }
            return (pattern, .glob(pattern), wholePath)
        }
    }

    /// The first pattern the file matches: its name, or its path relative to the
    /// root when the pattern holds a `/`.
    package func match(_ relativePath: String) -> String? {
        guard !rules.isEmpty else { return nil }
        // Byte-wise: this runs for every file of every pass, and comparing
        // `Character`s costs ten times as much for the same answer on names.
        let bytes = relativePath.utf8
        let name = bytes.lastIndex(of: UInt8(ascii: "/")).map { bytes[bytes.index(after: $0)...] } ?? bytes[...]
        for (pattern, rule, wholePath) in rules {
            switch rule {
            case .suffix(let suffix):
                if name.count >= suffix.utf8.count && name.suffix(suffix.utf8.count).elementsEqual(suffix.utf8) { return pattern }
            case .prefix(let prefix):
                if name.starts(with: prefix.utf8) { return pattern }
            case .glob(let glob):
                let subject = wholePath ? relativePath : String(Substring(name))
                if fnmatch(glob, subject, 0) == 0 { return pattern }
            }
        }
        return nil
    }
}
