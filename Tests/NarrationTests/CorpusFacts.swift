import Analysis
import Foundation
import Ingest
import Records

/// The shared corpus (`../shared/corpus/chimeraforge` beside the checkout)
/// turned into facts the way `chimerad report` does: scan, parse, analyse.
enum CorpusFacts {
    /// The corpus folder, or nil when this checkout has none beside it.
    static var root: String? {
        let here = URL(fileURLWithPath: #filePath)  // .../Tests/NarrationTests/CorpusFacts.swift
        let checkout = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let corpus = checkout.deletingLastPathComponent().appendingPathComponent("shared/corpus/chimeraforge").path
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: corpus, isDirectory: &isFolder) && isFolder.boolValue ? corpus : nil
    }

    static let missingReason = "../shared/corpus/chimeraforge is not beside this checkout"

    static func facts() throws -> Facts? {
        guard let root else { return nil }
        let (files, problems) = try TreeScanner().scan(root: root)
        var extracted: [(String, Extraction)] = []
        var skipped = problems.map { InputFacts.Skipped(path: $0.relativePath, reason: $0.reason) }
        for file in files.sorted(by: { $0.relativePath < $1.relativePath }) {
            guard case .contents(let bytes, _) = FileReader.read(file.absolutePath, limit: 1 << 28) else {
                skipped.append(InputFacts.Skipped(path: file.relativePath, reason: "unreadable"))
                continue
            }
            switch ContentParser.parse(bytes, fileName: file.relativePath) {
            case .extracted(let extraction): extracted.append((file.relativePath, extraction))
            case .skipped(let reason): skipped.append(InputFacts.Skipped(path: file.relativePath, reason: reason.text))
            }
        }
        var analyzer = Analyzer(
            catalog: extracted.map { Analyzer.CatalogEntry(path: $0.0, shape: $0.1.shape, modelHint: $0.1.modelHint) })
        for (path, extraction) in extracted { analyzer.add(path: path, extraction: extraction) }
        let paths = extracted.map(\.0) + skipped.map(\.path)
        let inputs = InputFacts(
            roots: [root], filesSeen: files.count + problems.count, filesAnalyzed: extracted.count, skipped: skipped,
            changed: paths, deleted: [], added: paths)
        return analyzer.finish(inputs: inputs, previous: nil, previousAt: nil)
    }
}
