import Records

@testable import Ingest

/// A file's text as `ContentParser` reads it, for tests: what it extracted,
/// or (thrown) why it skipped the file.
enum ParsedText {
    struct Skipped: Error { var reason: String }

    static func extract(_ text: String, _ name: String) throws -> Extraction {
        switch ContentParser.parse(Array(text.utf8), fileName: name) {
        case .extracted(let extraction): return extraction
        case .skipped(let reason): throw Skipped(reason: reason.text)
        }
    }

    /// Why the file is skipped; nil when it is read.
    static func skipReason(_ bytes: [UInt8], _ name: String) -> String? {
        if case .skipped(let reason) = ContentParser.parse(bytes, fileName: name) { return reason.text }
        return nil
    }

    static func skipReason(_ text: String, _ name: String) -> String? {
        skipReason(Array(text.utf8), name)
    }
}
