import Foundation
import Records
import Testing

@testable import Analysis

/// The run values a session keeps for its strip plot: bounded per session,
/// kept for the newest sessions only, spread over the session, and carried
/// through the group cache.
@Suite("Session run values")
struct SessionRunsTests {
    static func facts(sessions: Int, runs: (Int) -> Int) -> Facts {
        var analyzer = Analyzer(catalog: (0..<sessions).map { Analyzer.CatalogEntry(path: "/in/s\($0).csv", shape: .ollamaRuns, modelHint: nil) })
        for index in 0..<sessions {
            let values = (0..<runs(index)).map { Double(index * 1000 + $0) }
            let set = RunSet(
                model: "m", configuration: [],
                runs: values.indices.map {
                    LLMRun(ordinal: $0, promptKey: UInt64($0 + 1), tokensPerSecond: values[$0], ttftSeconds: 0.1, evalCount: 10)
                })
            analyzer.add(path: "/in/s\(index).csv", extraction: Extraction(shape: .ollamaRuns, runSets: [set]))
        }
        return analyzer.finish(
            inputs: InputFacts(roots: ["/in"], filesSeen: sessions, filesAnalyzed: sessions, skipped: [], changed: [], deleted: [], added: []),
            previous: nil, previousAt: nil)
    }

    @Test("the newest sessions keep their runs (all up to the limit, else the limit spread over the session); older ones none")
    func boundedAndNewestOnly() throws {
        let count = SessionFigures.sessionsWithRuns + 3
        let facts = Self.facts(sessions: count, runs: { $0 % 2 == 0 ? 7 : 1_000 })
        let sessions = try #require(facts.runGroups.first).sessions
        #expect(sessions.count == count)
        for (position, session) in sessions.enumerated() {
            let runs = session.tokensPerSecond.runs
            guard position >= count - SessionFigures.sessionsWithRuns else {
                #expect(runs.isEmpty && session.ttftSeconds.runs.isEmpty)
                continue
            }
            #expect(runs.count == min(session.tokensPerSecond.n, SessionFigures.runLimit))
            #expect(session.ttftSeconds.runs.count == runs.count)
            // From the session's own values, first to last: its start and its end are both drawn.
            let index = Int(session.source.dropFirst(5).dropLast(4)) ?? -1
            #expect(runs.allSatisfy { Int($0) / 1000 == index })
            if session.tokensPerSecond.n > SessionFigures.runLimit {
                #expect(runs.first == Double(index * 1000) && (runs.last ?? 0) > Double(index * 1000 + 900))
            }
        }
    }

    @Test("a group's run values survive the group cache")
    func throughTheCache() throws {
        let facts = Self.facts(sessions: 3, runs: { _ in 60 })
        let result = GroupResult(group: try #require(facts.runGroups.first), failures: [])
        let decoded = try GroupResult(decoding: result.encoded())
        #expect(decoded == result)
        #expect(decoded.group.sessions.allSatisfy { $0.tokensPerSecond.runs.count == SessionFigures.runLimit })
    }

    static func extraction(_ index: Int, runs: Int) -> Extraction {
        // Scattered, repeated and unordered values: quartiles that interpolate.
        let set = RunSet(
            model: "m", configuration: [],
            runs: (0..<runs).map {
                LLMRun(
                    ordinal: $0, promptKey: UInt64($0 + 1), tokensPerSecond: Double(($0 * 37 + index) % 23) + 0.5,
                    ttftSeconds: $0 % 5 == 0 ? .nan : Double(($0 * 11) % 7) / 10, evalCount: 10)
            })
        return Extraction(shape: .ollamaRuns, runSets: [set])
    }

    @Test("a session's figures are computed when its file is digested, are those of its values, and survive the digest's bytes")
    func figuresInTheDigest() throws {
        for runs in [0, 1, 2, 5, 250] {
            let digest = FileDigest(Self.extraction(3, runs: runs))
            let set = try #require(digest.runSets.first)
            var tokens = set.tokensPerSecond
            var ttft = set.warmTTFT
            let figures = try #require(set.figures)
            #expect(figures.tokensPerSecond == SessionFigures(&tokens))
            #expect(figures.ttft == SessionFigures(&ttft))
            let decoded = try FileDigest(decoding: digest.encoded())
            #expect(decoded.runSets.first?.figures == figures)
            // A set built otherwise (a twin's runs left out) has none, and says so.
            var bare = digest
            bare.runSets[0].figures = nil
            #expect(try FileDigest(decoding: bare.encoded()).runSets.first?.figures == nil)
            // A digest of format 5 (before the figures; a rewritten file's kept
            // earlier version cannot be digested again) is read, without them.
            let current = bare.encoded()
            #expect(current.first == UInt8(FileDigest.binaryVersion) && current.last == 0)
            let older = try FileDigest(decoding: [5] + current.dropFirst().dropLast())
            #expect(older.runSets == bare.runSets)
            #expect(throws: BinaryReader.Failure.self) { try FileDigest(decoding: [4] + current.dropFirst().dropLast()) }
        }
    }

    @Test("sessions read from stored digests, with their figures or without, have the figures the files give")
    func figuresFromDigestsAndFiles() throws {
        func facts(_ add: (inout Analyzer, String, Extraction) throws -> Void) throws -> [Session] {
            var analyzer = Analyzer(catalog: (0..<6).map { Analyzer.CatalogEntry(path: "/in/s\($0).csv", shape: .ollamaRuns, modelHint: nil) })
            for index in 0..<6 { try add(&analyzer, "/in/s\(index).csv", Self.extraction(index, runs: 5 + 40 * index)) }
            let facts = analyzer.finish(
                inputs: InputFacts(roots: ["/in"], filesSeen: 6, filesAnalyzed: 6, skipped: [], changed: [], deleted: [], added: []),
                previous: nil, previousAt: nil)
            return try #require(facts.runGroups.first).sessions
        }
        let fromFiles = try facts { analyzer, path, extraction in analyzer.add(path: path, extraction: extraction) }
        let fromDigests = try facts { analyzer, path, extraction in
            analyzer.add(path: path, digest: try FileDigest(decoding: FileDigest(extraction).encoded()))
        }
        let computed = try facts { analyzer, path, extraction in
            var digest = FileDigest(extraction)
            for index in digest.runSets.indices { digest.runSets[index].figures = nil }
            analyzer.add(path: path, digest: digest)
        }
        #expect(fromFiles.count == 6)
        #expect(fromFiles.map(\.tokensPerSecond) == fromDigests.map(\.tokensPerSecond))
        #expect(fromFiles.map(\.ttftSeconds) == fromDigests.map(\.ttftSeconds))
        #expect(computed.map(\.tokensPerSecond) == fromDigests.map(\.tokensPerSecond))
        #expect(computed.map(\.ttftSeconds) == fromDigests.map(\.ttftSeconds))
        #expect(fromFiles.allSatisfy { $0.tokensPerSecond.median != nil && $0.tokensPerSecond.lowerQuartile != nil })
    }

    @Test("values that are not finite are not kept")
    func onlyFinite() {
        #expect(SessionFigures.spread([1, .nan, .infinity, 2][...]) == [1, 2])
        #expect(SessionFigures.spread(ArraySlice((0..<1_000).map(Double.init))).count == SessionFigures.runLimit)
    }
}
