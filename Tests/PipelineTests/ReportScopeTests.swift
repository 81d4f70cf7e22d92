import Ingest
import Records
import Store
import Testing

@testable import Pipeline

/// The report's first stage, from values alone.
@Suite struct ReportScopeTests {
    private func entry(
        _ root: String, _ path: String, _ status: RegistryEntry.Status, changed: Int64, created: Int64, reason: String? = nil
    ) -> RegistryEntry {
        RegistryEntry(
            root: root, path: path, device: 1, inode: 1, size: 1, modifiedNanoseconds: 1, contentHash: "h", status: status,
            shape: status == .analyzed ? .ollamaRuns : nil, reason: reason,
            reasonCode: reason == nil ? nil : .legacy, modelHint: nil, parserVersion: 1,
            changedSequence: changed, createdSequence: created)
    }

    private func outcome(_ entries: [RegistryEntry], scope: [IngestPass.Scope], problems: [ScanProblem] = []) -> IngestPass.Ingested {
        IngestPass.Ingested(
            filesSeen: entries.count + problems.count, parsed: 0, rehashedUnchanged: 0, unchanged: 0, deleted: 0, problems: problems,
            sequence: 9, scope: scope, entries: entries)
    }

    private func previous(sequence: Int64) -> ReportRecord {
        ReportRecord(
            generatedAt: "2026-01-01T00:00:00Z", trigger: "manual", markdownPath: "a.md", jsonPath: "a.json", sequence: sequence,
            roots: ["/r"], digest: "{}")
    }

    @Test func whatMovedSinceTheLastReportIsSortedOut() {
        let ingested = outcome(
            [
                entry("/r", "old.csv", .analyzed, changed: 2, created: 1),
                entry("/r", "edited.csv", .analyzed, changed: 6, created: 1),
                entry("/r", "new.csv", .analyzed, changed: 7, created: 7),
                entry("/r", "gone.csv", .deleted, changed: 8, created: 1),
                entry("/r", "gone-long-ago.csv", .deleted, changed: 3, created: 1),
                entry("/r", "notes.txt", .skipped, changed: 1, created: 1, reason: "empty file"),
            ], scope: [.init(root: "/r", onlyPath: nil)],
            problems: [ScanProblem(root: "/r", relativePath: "pipe", skip: .notRegularFile(.fifo))])
        let scope = ReportScope(ingested: ingested, previous: previous(sequence: 5), renamed: [])
        #expect(scope.analysed.map(\.path) == ["old.csv", "edited.csv", "new.csv"])
        #expect(scope.inputs.changed == ["edited.csv", "new.csv"])
        #expect(scope.inputs.added == ["new.csv"])
        #expect(scope.inputs.deleted == ["gone.csv"])
        #expect(scope.inputs.skipped.map(\.path) == ["notes.txt", "pipe"])
        #expect(scope.inputs.filesAnalyzed == 3)
        #expect(scope.reportKey == ["/r"])

        let first = ReportScope(ingested: ingested, previous: nil, renamed: [])
        #expect(first.inputs.added.count == 4, "with no earlier report every file still there is new")
    }

    /// A folder given through a link is remembered under the link, there or
    /// not: the folder it led to deleted (`rm -rf run-43`) or a share behind
    /// it not mounted, the report was "the first over these inputs" again.
    /// With several inputs, its files are shown under the link's name.
    @Test func aLinkedFolderIsRememberedUnderItsLinkThereOrNot() {
        let linked = ["/srv/runs/run-43": "/srv/current"]
        var there = outcome([entry("/srv/runs/run-43", "n.csv", .analyzed, changed: 1, created: 1)], scope: [.init(root: "/srv/runs/run-43")])
        there.linkedInputs = linked
        #expect(there.reportKey == ["/srv/current"])
        var gone = outcome([], scope: [])
        gone.missingRoots = ["/srv/runs/run-43"]
        gone.linkedInputs = linked
        #expect(gone.reportKey == ["/srv/current"])
        var several = outcome(
            [entry("/srv/runs/run-43", "n.csv", .analyzed, changed: 1, created: 1), entry("/x/a", "one.csv", .analyzed, changed: 1, created: 1)],
            scope: [.init(root: "/srv/runs/run-43"), .init(root: "/x/a")])
        several.linkedInputs = linked
        let scope = ReportScope(ingested: several, previous: nil, renamed: [])
        #expect(scope.analysed.map(\.path).sorted() == ["a/one.csv", "current/n.csv"], "\(scope.analysed.map(\.path))")
        #expect(scope.reportKey == ["/srv/current", "/x/a"])
    }

    @Test func severalInputsShowPathsUnderTheirNamesAndOneFileScopesToItself() {
        let entries = [
            entry("/x/a", "one.csv", .analyzed, changed: 1, created: 1),
            entry("/y/b", "two.csv", .analyzed, changed: 1, created: 1),
            entry("/y/b", "three.csv", .analyzed, changed: 1, created: 1),
        ]
        let both = ReportScope(
            ingested: outcome(entries, scope: [.init(root: "/x/a", onlyPath: nil), .init(root: "/y/b", onlyPath: nil)]), previous: nil,
            renamed: [])
        #expect(both.analysed.map(\.path) == ["a/one.csv", "b/two.csv", "b/three.csv"])
        #expect(both.labels.storedPath("/y/b", "b/two.csv") == "two.csv")
        let single = ReportScope(ingested: outcome(entries, scope: [.init(root: "/y/b", onlyPath: "two.csv")]), previous: nil, renamed: [])
        #expect(single.analysed.map(\.path) == ["two.csv"])
        #expect(single.contains(root: "/y/b", path: "two.csv") && !single.contains(root: "/y/b", path: "three.csv"))
    }

    @Test func aCopyIsSkippedNamingTheFileRegisteredFirstWhoseResultsCount() {
        let entries = [
            entry("/x/a", "archive/run.csv", .analyzed, changed: 8, created: 8),
            entry("/x/a", "run.csv", .analyzed, changed: 2, created: 2),
            entry("/x/a", "twin-b.csv", .analyzed, changed: 3, created: 3),
            entry("/y/b", "run.csv", .analyzed, changed: 4, created: 4),
        ]
        func same(_ root: String, _ path: String, _ created: Int64) -> Store.SameContent {
            Store.SameContent(root: root, path: path, createdSequence: created, modifiedNanoseconds: 7)
        }
        // The backup sorts first by path; the file the registry had first is the original.
        let sets = [
            [same("/x/a", "archive/run.csv", 8), same("/x/a", "run.csv", 2), same("/y/b", "run.csv", 4)],
            [same("/x/a", "twin-b.csv", 3), same("/z/out-of-scope", "twin-b.csv", 1)],
        ]
        let one = ReportScope(
            ingested: outcome(entries, scope: [.init(root: "/x/a", onlyPath: nil)]), previous: nil, renamed: [], sameContent: sets)
        #expect(one.analysed.map(\.path) == ["run.csv", "twin-b.csv"], "a file alike only outside the scope counts")
        #expect(one.inputs.filesAnalyzed == 2)
        #expect(
            one.inputs.skipped == [
                .init(path: "archive/run.csv", reason: SkipReason.copyOf(original: "run.csv").text)
            ])

        let both = ReportScope(
            ingested: outcome(entries, scope: [.init(root: "/x/a", onlyPath: nil), .init(root: "/y/b", onlyPath: nil)]),
            previous: nil, renamed: [], sameContent: sets)
        #expect(both.analysed.map(\.path) == ["a/run.csv", "a/twin-b.csv"])
        #expect(both.inputs.skipped.map(\.path) == ["a/archive/run.csv", "b/run.csv"])
        #expect(both.inputs.skipped.allSatisfy { $0.reason == SkipReason.copyOf(original: "a/run.csv").text })
    }

    /// A copy has its original's modification time (`cp -p`), or appeared
    /// after the original was stored (`cp -r`, new times: a hyperfine night
    /// dated by its file would otherwise come back as a new session, tested
    /// against the nights after it). Files first seen together with other
    /// times are nights of their own.
    @Test func copiesHaveTheOriginalsTimeOrCameLater() {
        let entries = ["a/hyperfine.json", "b/hyperfine.json", "c/hyperfine.json", "d/hyperfine.json"].map {
            entry("/r", $0, .analyzed, changed: 1, created: 1)
        }
        // Nights a and b are the same numbers, a day apart, first seen together; c is
        // a's backup made with `cp -p`; d one made with `cp -r` after a report.
        let set = [("a", 100, 1), ("b", 200, 1), ("c", 100, 1), ("d", 300, 2)].map { night, time, created in
            Store.SameContent(
                root: "/r", path: night + "/hyperfine.json", createdSequence: Int64(created), modifiedNanoseconds: Int64(time))
        }
        let scope = ReportScope(
            ingested: outcome(entries, scope: [.init(root: "/r", onlyPath: nil)]), previous: nil, renamed: [], sameContent: [set])
        #expect(scope.analysed.map(\.path) == ["a/hyperfine.json", "b/hyperfine.json"])
        #expect(scope.inputs.skipped.map(\.path) == ["c/hyperfine.json", "d/hyperfine.json"])
        #expect(scope.inputs.skipped.allSatisfy { $0.reason == SkipReason.copyOf(original: "a/hyperfine.json").text })
        // A night's env.json naming the same host as the night before's is no copy: it holds no session.
        var sidecars = ["a/env.json", "b/env.json"].map { entry("/r", $0, .analyzed, changed: 1, created: 1) }
        for index in sidecars.indices { sidecars[index].shape = .genericJSON }
        let same = [("a", 100, 1), ("b", 200, 2)].map { night, time, created in
            Store.SameContent(root: "/r", path: night + "/env.json", createdSequence: Int64(created), modifiedNanoseconds: Int64(time))
        }
        let nights = ReportScope(
            ingested: outcome(sidecars, scope: [.init(root: "/r", onlyPath: nil)]), previous: nil, renamed: [], sameContent: [same])
        #expect(nights.analysed.map(\.path) == ["a/env.json", "b/env.json"] && nights.inputs.skipped.isEmpty)
    }
}
