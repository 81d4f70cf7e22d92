import Foundation
import Glibc
import Logging
import Synchronization
import Testing
import TestSupport

@testable import Watching

/// The watcher against the real inotify, on real folders.
///
/// Serialized: two tests lower kernel-wide inotify limits for a moment, which
/// must not starve another test's watcher of watches or queue slots.
@Suite(.serialized) struct WatcherTests {
    /// Short enough for a quick suite, long enough for a loaded 2-core machine.
    static let settle = Duration.milliseconds(200)

    func options(_ tree: TemporaryTree, _ change: (inout WatcherOptions) -> Void = { _ in }) -> WatcherOptions {
        var options = WatcherOptions(roots: [tree.path], settle: WatcherTests.settle)
        change(&options)
        return options
    }

    func path(_ tree: TemporaryTree, _ relative: String) -> WatchedPath {
        WatchedPath(root: tree.path, path: relative)
    }

    // MARK: Writes

    @Test func aFileWrittenInPlaceIsOneChangeSet() async throws {
        let tree = try TemporaryTree()
        let session = try WatchSession(options(tree))
        #expect(session.watcher.watchedFolderCount == 1)
        try tree.write("run.csv")
        #expect(await session.waitUntil { $0.written.contains(path(tree, "run.csv")) })
        try await Task.sleep(for: .milliseconds(400))
        #expect(session.sets == [ChangeSet(written: [path(tree, "run.csv")])])
        #expect(await session.stop() < .seconds(10), "stopping the watcher must not hang")
    }

    @Test func atomicWritesCountAsWrites() async throws {
        let tree = try TemporaryTree()
        let session = try WatchSession(options(tree) { $0.isIgnored = { $0.hasSuffix(".tmp") } })
        // The temporary name is ignored: the rename into place is the write.
        try tree.write("a.csv.tmp")
        try tree.rename("a.csv.tmp", "a.csv")
        // A temporary name that is not ignored: a rename, and a write of the final name.
        try tree.write("b.partial")
        try tree.rename("b.partial", "b.csv")
        #expect(await session.waitUntil { $0.written.contains(path(tree, "a.csv")) && $0.written.contains(path(tree, "b.csv")) })
        let merged = session.merged
        #expect(!merged.written.contains(path(tree, "a.csv.tmp")))
        #expect(!merged.removed.contains(path(tree, "a.csv.tmp")))
        #expect(merged.renamed == [ChangeSet.Rename(from: path(tree, "b.partial"), to: path(tree, "b.csv"), isFolder: false)])
        #expect(session.sets.count == 1)
        await session.stop()
    }

    @Test func filesMovedInAndOutAndLinksAreReported() async throws {
        let tree = try TemporaryTree()
        let outside = try TemporaryTree("outside")
        try outside.write("arriving.csv")
        try tree.write("leaving.csv")
        try tree.write("original.csv")
        let session = try WatchSession(options(tree))
        #expect(Glibc.rename(outside.absolute("arriving.csv"), tree.absolute("arriving.csv")) == 0)
        #expect(Glibc.rename(tree.absolute("leaving.csv"), outside.absolute("leaving.csv")) == 0)
        // Links get no IN_CLOSE_WRITE: being created is their write.
        #expect(Glibc.link(tree.absolute("original.csv"), tree.absolute("hard.csv")) == 0)
        try tree.link("soft.csv", to: "original.csv")
        let expected = ChangeSet(
            written: [path(tree, "arriving.csv"), path(tree, "hard.csv"), path(tree, "soft.csv")],
            removed: [path(tree, "leaving.csv")])
        #expect(await session.waitUntil { $0.written.isSuperset(of: expected.written) && !$0.removed.isEmpty })
        try await Task.sleep(for: .milliseconds(300))
        // hard.csv's IN_ATTRIB on original.csv (its link count) is activity too.
        var merged = session.merged
        merged.written.remove(path(tree, "original.csv"))
        #expect(merged == expected)
        await session.stop()
    }

    @Test func aFileAppendedSlowlyIsReadOnceItIsQuiet() async throws {
        let tree = try TemporaryTree()
        let session = try WatchSession(options(tree) { $0.settle = .milliseconds(600) })
        let file = open(tree.absolute("log.csv"), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        try #require(file >= 0)
        let opened = ContinuousClock.now
        // A row every 100 ms for 1.8 s: never quiet for the settle time. From a
        // thread of its own: on a busy machine a Task.sleep waits for a free
        // thread of the cooperative pool, and that pause let the file settle.
        let longestGap = try await appendRows(to: file, count: 18, every: 100_000, since: opened, thenClose: true)
        // A machine so busy that the appending thread stalled for the settle
        // time made the file quiet: then it was rightly read in between, and
        // only what is read is checked.
        let stalled = longestGap >= .milliseconds(550)
        #expect(await session.waitForSets(1))
        try await Task.sleep(for: .milliseconds(500))
        if stalled {
            #expect(session.sets.allSatisfy { $0 == ChangeSet(written: [path(tree, "log.csv")]) })
        } else {
            #expect(session.sets == [ChangeSet(written: [path(tree, "log.csv")])], "longest gap between rows: \(longestGap)")
        }
        await session.stop()
    }

    @Test func constantActivityIsReportedAfterMaxDelayWithoutTheBusyFile() async throws {
        let tree = try TemporaryTree()
        let session = try WatchSession(
            options(tree) {
                $0.settle = .milliseconds(300)
                $0.maxDelay = .seconds(1)
            })
        try tree.write("done.csv")
        let file = open(tree.absolute("busy.csv"), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        try #require(file >= 0)
        let opened = ContinuousClock.now
        // 3 s of appends, 50 ms apart, from a thread of their own: on a busy
        // machine a Task.sleep waits for a free thread of the cooperative pool,
        // and a pause past the settle time would let busy.csv through.
        let arrivedWhileBusy = SetsArrived()
        let longestGap = try await appendRows(to: file, count: 60, every: 50_000, since: opened) {
            arrivedWhileBusy.count.withLock { $0 = session.sets.count }
        }
        close(file)
        let done = path(tree, "done.csv")
        let busy = path(tree, "busy.csv")
        #expect(await session.waitUntil { $0.written.contains(busy) })
        // What is checked is the order, not when the test looked: done.csv
        // came out on its own while busy.csv was still being written.
        let sets = session.sets
        let firstWithDone = sets.firstIndex { $0.written.contains(done) }
        let firstWithBusy = sets.firstIndex { $0.written.contains(busy) }
        #expect(firstWithDone != nil, "forced out after maxDelay")
        // A machine so busy that the appending thread stalled for the settle
        // time made busy.csv quiet: then it was rightly let through early.
        if longestGap < .milliseconds(250), let firstWithDone, let firstWithBusy {
            #expect(firstWithDone < firstWithBusy, "held back while busy; sets: \(sets)")
            // And none of what came before its last row named it.
            let whileBusy = sets.prefix(arrivedWhileBusy.count.withLock { $0 })
            #expect(!whileBusy.contains { $0.written.contains(busy) }, "held back while busy; sets: \(sets)")
        }
        await session.stop()
    }

    @Test func tenThousandFilesAreOneOrAFewChangeSets() async throws {
        let tree = try TemporaryTree()
        try tree.makeFolder("sweep")
        // What is checked is the settle grouping. Under a busy test run the
        // writes below took up to 17 s, and the default maxDelay (5 s) rightly
        // forced a set out every 5 s of them: it is held out of the way.
        let session = try WatchSession(
            options(tree) {
                $0.settle = .milliseconds(300)
                $0.maxDelay = .seconds(600)
            })
        let count = 10_000
        // A pause of the writer past the settle time (the machine busy
        // elsewhere) rightly ends a set: each is counted, and allowed one more.
        var pauses = 0
        var last = ContinuousClock.now
        for index in 0..<count {
            try tree.write("sweep/run-\(index).csv", "i\n\(index)\n")
            let now = ContinuousClock.now
            if now - last >= .milliseconds(300) { pauses += 1 }
            last = now
        }
        let expected = (0..<count).map { path(tree, "sweep/run-\($0).csv") }
        let arrived = await session.waitUntil(timeout: .seconds(20)) { changes in expected.allSatisfy { changes.covers($0) } }
        #expect(arrived)
        try await Task.sleep(for: .milliseconds(500))
        #expect(session.sets.count <= 3 + pauses, "got \(session.sets.count) change sets, the writer paused \(pauses) times")
        await session.stop()
    }

    // MARK: Folders

    @Test func filesWrittenRightAfterMkdirAreNotMissed() async throws {
        let tree = try TemporaryTree()
        let session = try WatchSession(options(tree))
        try tree.makeFolder("new")
        try tree.write("new/first.csv")
        try tree.makeFolder("a/b/c")
        try tree.write("a/b/c/deep.csv")
        #expect(
            await session.waitUntil {
                $0.covers(path(tree, "new/first.csv")) && $0.covers(path(tree, "a/b/c/deep.csv"))
            })
        #expect(session.merged.foldersToScan.contains(path(tree, "new")))
        #expect(session.merged.foldersToScan.contains(path(tree, "a")))
        #expect(!session.merged.rescanAll)
        #expect(session.watcher.watchedFolderCount == 5)
        // The new folders are watched: later writes arrive as writes.
        try tree.write("a/b/c/later.csv")
        try tree.write("new/later.csv")
        #expect(
            await session.waitUntil {
                $0.written.contains(path(tree, "a/b/c/later.csv")) && $0.written.contains(path(tree, "new/later.csv"))
            })
        await session.stop()
    }

    @Test func deletedFilesAndFoldersAreRemoved() async throws {
        let tree = try TemporaryTree()
        try tree.makeFolder("old/inner")
        try tree.write("old/inner/x.csv")
        try tree.write("gone.csv")
        let session = try WatchSession(options(tree))
        #expect(session.watcher.watchedFolderCount == 3)
        try tree.remove("gone.csv")
        try tree.remove("old")
        #expect(
            await session.waitUntil {
                $0.removed.isSuperset(of: [path(tree, "gone.csv"), path(tree, "old"), path(tree, "old/inner")])
            })
        #expect(session.merged.written.isEmpty)
        #expect(!session.merged.rescanAll)
        #expect(await waitFor { session.watcher.watchedFolderCount == 1 })
        await session.stop()
    }

    @Test func renamesKeepTheirHistoryAndTheWatchesFollow() async throws {
        let tree = try TemporaryTree()
        try tree.makeFolder("before/sub")
        try tree.write("a.csv")
        let session = try WatchSession(options(tree))
        try tree.rename("a.csv", "b.csv")
        try tree.rename("before", "after")
        #expect(await session.waitUntil { $0.renamed.count == 2 })
        #expect(
            session.merged.renamed == [
                ChangeSet.Rename(from: path(tree, "a.csv"), to: path(tree, "b.csv"), isFolder: false),
                ChangeSet.Rename(from: path(tree, "before"), to: path(tree, "after"), isFolder: true),
            ])
        #expect(session.merged.removed.isEmpty)
        try tree.write("after/sub/new.csv")
        #expect(await session.waitUntil { $0.written.contains(path(tree, "after/sub/new.csv")) })
        #expect(!session.merged.written.contains(path(tree, "before/sub/new.csv")))
        await session.stop()
    }

    @Test func treesMovedInAreWatchedAndTreesMovedOutAreForgotten() async throws {
        let tree = try TemporaryTree()
        let outside = try TemporaryTree("outside")
        try FileManager.default.createDirectory(atPath: outside.absolute("incoming/x/y"), withIntermediateDirectories: true)
        try outside.write("incoming/x/y/run.csv")
        try tree.makeFolder("leaving/inner")
        let session = try WatchSession(options(tree))
        #expect(Glibc.rename(outside.absolute("incoming"), tree.absolute("incoming")) == 0)
        #expect(Glibc.rename(tree.absolute("leaving"), outside.absolute("leaving")) == 0)
        #expect(
            await session.waitUntil {
                $0.foldersToScan.contains(path(tree, "incoming")) && $0.removed.contains(path(tree, "leaving"))
            })
        #expect(session.merged.covers(path(tree, "incoming/x/y/run.csv")))
        #expect(session.watcher.watchedFolderCount == 4)
        let before = session.sets.count
        try outside.write("leaving/inner/after.csv")
        try tree.write("incoming/x/y/second.csv")
        #expect(await session.waitUntil { $0.written.contains(path(tree, "incoming/x/y/second.csv")) })
        try await Task.sleep(for: .milliseconds(300))
        #expect(session.sets.dropFirst(before).allSatisfy { $0.written == [path(tree, "incoming/x/y/second.csv")] })
        await session.stop()
    }

    // MARK: What is not reported

    @Test func excludedFoldersAndIgnoredFilesProduceNothing() async throws {
        let tree = try TemporaryTree()
        try tree.makeFolder("out")
        let session = try WatchSession(
            options(tree) {
                $0.excluded = [tree.absolute("out"), tree.absolute("state")]
                $0.isIgnored = { $0.hasSuffix(".swp") || $0.hasSuffix("~") }
            })
        #expect(session.watcher.watchedFolderCount == 1)
        try tree.write("out/chimera-report.md")
        try tree.makeFolder("state/deeper")
        try tree.write("state/deeper/chimerad.sqlite")
        try tree.write(".run.csv.swp")
        try tree.write("notes~")
        try tree.remove("notes~")
        try await Task.sleep(for: .milliseconds(800))
        #expect(session.sets.isEmpty)
        #expect(session.watcher.watchedFolderCount == 1)
        try tree.write("kept.csv")
        #expect(await session.waitForSets(1))
        #expect(session.sets == [ChangeSet(written: [path(tree, "kept.csv")])])
        await session.stop()
    }

    // MARK: Links

    @Test func linksOutOfTheRootAreFollowedOnlyWhenAsked() async throws {
        let tree = try TemporaryTree()
        let outside = try TemporaryTree("outside")
        try FileManager.default.createDirectory(atPath: outside.absolute("data"), withIntermediateDirectories: true)
        // A loop: the target holds a link back to itself; and a link inside the root.
        try FileManager.default.createSymbolicLink(atPath: outside.absolute("data/again"), withDestinationPath: outside.path)
        try tree.makeFolder("inside")
        try tree.link("alias", to: tree.absolute("inside"))
        try tree.link("external", to: outside.path)
        try tree.link("twice", to: outside.path)

        let following = try WatchSession(options(tree) { $0.followExternalLinks = true })
        // root, inside, the outside folder and its data folder, each once: `alias`
        // leads inside the root, `twice` to a folder already watched, and the loop back.
        #expect(following.watcher.watchedFolderCount == 4)
        let notFollowing = try WatchSession(options(tree))
        #expect(notFollowing.watcher.watchedFolderCount == 2)

        try outside.write("data/run.csv")
        // Reported under whichever link reached the folder first.
        let underEither = [path(tree, "external/data/run.csv"), path(tree, "twice/data/run.csv")]
        #expect(await following.waitUntil { !$0.written.isDisjoint(with: underEither) })
        #expect(following.merged.written.intersection(underEither).count == 1)
        // A link made later is followed too.
        let later = try TemporaryTree("later")
        try later.write("late.csv")
        try tree.link("later", to: later.path)
        #expect(await following.waitUntil { $0.foldersToScan.contains(path(tree, "later")) })
        try later.write("later.csv")
        #expect(await following.waitUntil { $0.written.contains(path(tree, "later/later.csv")) })

        #expect(notFollowing.merged.written.allSatisfy { !$0.path.contains("/") })
        #expect(notFollowing.merged.foldersToScan.isEmpty)
        await following.stop()
        await notFollowing.stop()
    }

    // MARK: Roots

    @Test func aDeletedRootIsRescannedAndWatchedAgainWhenItReturns() async throws {
        let parent = try TemporaryTree()
        try parent.makeFolder("results/sub")
        let root = parent.absolute("results")
        let session = try WatchSession(WatcherOptions(roots: [root], settle: WatcherTests.settle, rescanInterval: .seconds(1)))
        #expect(session.watcher.watchedFolderCount == 2)
        try parent.remove("results")
        #expect(await session.waitUntil { $0.rescanAll })
        #expect(session.logs.entries(at: .warning).contains { $0.message.contains("was deleted") })
        #expect(await waitFor { session.watcher.watchedFolderCount == 0 })
        try parent.makeFolder("results")
        #expect(await session.waitUntil { $0.foldersToScan.contains(WatchedPath(root: root, path: "")) })
        try parent.write("results/back.csv")
        #expect(await session.waitUntil { $0.written.contains(WatchedPath(root: root, path: "back.csv")) })
        await session.stop()
    }

    /// The owner says where its watch paths lead now: a link switched to
    /// another folder asks for a full rescan with no event from the kernel
    /// (the old folder is untouched), once; while the owner still watches
    /// the old one (its switch failed), again once a rescan interval.
    @Test func aRootPathLeadingElsewhereAsksForARescanOncePerInterval() async throws {
        let parent = try TemporaryTree()
        try parent.makeFolder("run-41")
        try parent.makeFolder("run-42")
        let root = parent.absolute("run-41")
        let ledTo = SwitchedPath(root)
        // Links are checked every 2 s; a rescan is asked for again after 4 s.
        let session = try WatchSession(
            WatcherOptions(
                roots: [root], settle: WatcherTests.settle, rescanInterval: .seconds(4), currentRoots: { [ledTo.value] }))
        try await Task.sleep(for: .seconds(3))
        #expect(session.sets.isEmpty, "no switch, no change set")
        ledTo.switch(to: parent.absolute("run-42"))
        #expect(await session.waitUntil { $0.rescanAll })
        #expect(session.logs.entries(at: .debug).contains { $0.message.contains("leads elsewhere now") })
        // A busy machine only makes the next ask later, never sooner.
        try await Task.sleep(for: .seconds(1))
        #expect(session.sets.count == 1, "said once: \(session.sets)")
        #expect(await waitFor { session.sets.count >= 2 && session.sets.allSatisfy(\.rescanAll) }, "asked again: \(session.sets)")
        await session.stop()
    }

    @Test func aRootMovedWithItsParentIsNoticedAtTheNextRescan() async throws {
        let parent = try TemporaryTree()
        try parent.makeFolder("outer/results")
        let root = parent.absolute("outer/results")
        let session = try WatchSession(WatcherOptions(roots: [root], settle: WatcherTests.settle, rescanInterval: .seconds(1)))
        // No event reaches the root's own watch when a parent folder is renamed.
        try parent.rename("outer", "renamed")
        #expect(await session.waitUntil { $0.rescanAll })
        // The rescan's check finds another folder (or none) at the path; a
        // mount elsewhere on the machine (other tests mount tmpfs) can bring
        // a reconcile first, which finds the path gone. Either notices it.
        #expect(
            session.logs.entries(at: .warning).contains {
                $0.message.contains("no longer the folder") || $0.message.contains("watch folder is gone")
            }, "\(session.logs.entries(at: .warning).map(\.message))")
        #expect(await waitFor { session.watcher.watchedFolderCount == 0 })
        try parent.makeFolder("outer/results")
        #expect(await session.waitUntil { $0.foldersToScan.contains(WatchedPath(root: root, path: "")) })
        await session.stop()
    }

    @Test func aRootThatDoesNotExistYetIsWatchedOnceItAppears() async throws {
        let parent = try TemporaryTree()
        let root = parent.absolute("later")
        let session = try WatchSession(WatcherOptions(roots: [root], settle: WatcherTests.settle, rescanInterval: .seconds(1)))
        #expect(session.watcher.watchedFolderCount == 0)
        #expect(session.logs.entries(at: .warning).contains { $0.metadata["folder"] == "\(root)" })
        try parent.makeFolder("later")
        #expect(await session.waitUntil { $0.foldersToScan.contains(WatchedPath(root: root, path: "")) })
        try parent.write("later/x.csv")
        #expect(await session.waitUntil { $0.written.contains(WatchedPath(root: root, path: "x.csv")) })
        await session.stop()
    }

    @Test func aRootInsideAnotherIsReportedAsItself() async throws {
        let tree = try TemporaryTree()
        try tree.makeFolder("inner/deep")
        let inner = tree.absolute("inner")
        let session = try WatchSession(WatcherOptions(roots: [tree.path, inner], settle: WatcherTests.settle))
        #expect(session.watcher.watchedFolderCount == 3)
        try tree.write("inner/deep/x.csv")
        try tree.write("top.csv")
        #expect(await session.waitUntil { $0.written.count == 2 })
        #expect(session.merged.written == [WatchedPath(root: inner, path: "deep/x.csv"), path(tree, "top.csv")])
        await session.stop()
    }

    // MARK: Lifecycle

    @Test func stopEndsTheStreamPromptlyAndOnlyOnce() async throws {
        let tree = try TemporaryTree()
        let session = try WatchSession(options(tree) { $0.settle = .seconds(10) })
        try tree.write("pending.csv")
        let stopping = Task.detached { session.watcher.stop() }
        await stopping.value
        #expect(await session.stop() < .seconds(10), "stopping the watcher must not hang")
        session.watcher.stop()
        #expect(session.watcher.watchedFolderCount == 0)
        #expect { try session.watcher.start() } throws: { ($0 as? WatcherError)?.kind == .notStartable }

        // Stopped before it was started: the stream ends too.
        let unstarted = try Watcher(options: options(tree), logger: LogRecorder().logger)
        unstarted.stop()
        var count = 0
        for await _ in unstarted.changes { count += 1 }
        #expect(count == 0)
    }

    // MARK: Kernel limits (root only)

    @Test(.enabled(if: KernelSetting.isRoot, "needs root to lower fs.inotify.max_queued_events"))
    func aQueueOverflowTriggersAFullRescan() async throws {
        let tree = try TemporaryTree()
        try tree.makeFolder("flood")
        let logs = LogRecorder()
        let watcher: Watcher
        do {
            let lock = await InotifyLimitLock.exclusive()
            defer { withExtendedLifetime(lock) {} }
            let saved = try #require(KernelSetting.read("max_queued_events"))
            // One event: a rename queues two in one system call, so the queue
            // overflows whatever the reader's pace (with 16, a reader that kept
            // up with the writes missed the overflow now and then).
            try KernelSetting.write("max_queued_events", 1)
            // The queue is sized when the instance is created: restore at once.
            defer { try? KernelSetting.write("max_queued_events", saved) }
            watcher = try Watcher(options: options(tree), logger: logs.logger)
        }
        try watcher.start()
        let session = WatchSession(started: watcher, logs: logs)
        for index in 0..<2_000 { try tree.write("flood/f\(index).csv") }
        try FileManager.default.moveItem(atPath: tree.path + "/flood/f0.csv", toPath: tree.path + "/flood/renamed.csv")
        try tree.makeFolder("flood/made-during")
        #expect(await session.waitUntil(timeout: .seconds(10)) { $0.rescanAll })
        #expect(logs.entries(at: .warning).contains { $0.message.contains("overflowed") })
        // The reconcile walked the tree: the folder made during the flood is watched.
        try await Task.sleep(for: .milliseconds(500))
        try tree.write("flood/made-during/after.csv")
        #expect(await session.waitUntil(timeout: WatchSession.patience) { $0.written.contains(path(tree, "flood/made-during/after.csv")) })
        #expect(watcher.watchedFolderCount == 3)
        await session.stop()
    }

    @Test(.enabled(if: KernelSetting.isRoot, "needs root to lower fs.inotify.max_user_watches"))
    func runningOutOfWatchesFallsBackToPeriodicRescans() async throws {
        let tree = try TemporaryTree()
        for branch in 0..<8 { try tree.makeFolder("b\(branch)/x/y/z") }
        let logs = LogRecorder()
        let options = options(tree) { $0.rescanInterval = .seconds(1) }
        let watcher = try Watcher(options: options, logger: logs.logger)
        do {
            let lock = await InotifyLimitLock.exclusive()
            defer { withExtendedLifetime(lock) {} }
            let saved = try #require(KernelSetting.read("max_user_watches"))
            // Room for the root and a few folders of the 33: the rest fail with ENOSPC.
            try KernelSetting.write("max_user_watches", KernelSetting.watchesInUseByRoot() + 4)
            defer { try? KernelSetting.write("max_user_watches", saved) }
            try watcher.start()
        }
        let session = WatchSession(started: watcher, logs: logs)
        let unwatchedAtStart = watcher.unwatchedFolderCount
        #expect(unwatchedAtStart > 0)
        let errors = logs.entries(at: .error)
        #expect(errors.count == 1, "the limit is logged once, not once per folder")
        #expect(errors.first?.message.contains("sysctl -w fs.inotify.max_user_watches=") == true)
        #expect(errors.first?.metadata["max_user_watches"] != nil)
        // The next rescan lists the folders that could not be watched, and the
        // limit being back up, watches them.
        #expect(await session.waitUntil(timeout: WatchSession.patience) { $0.foldersToScan.count >= unwatchedAtStart })
        #expect(await waitFor { watcher.unwatchedFolderCount == 0 && watcher.watchedFolderCount == 33 })
        #expect(logs.entries(at: .error).count == 1)
        for branch in 0..<8 { try tree.write("b\(branch)/x/y/z/late.csv") }
        #expect(
            await session.waitUntil { changes in
                (0..<8).allSatisfy { changes.written.contains(path(tree, "b\($0)/x/y/z/late.csv")) }
            })
        await session.stop()
    }

    @Test(.enabled(if: KernelSetting.isRoot, "needs root to lower fs.inotify.max_user_instances"))
    func tooManyInotifyInstancesIsAClearError() async throws {
        let tree = try TemporaryTree()
        let result: Result<Watcher, WatcherError>
        do {
            let lock = await InotifyLimitLock.exclusive()
            defer { withExtendedLifetime(lock) {} }
            let saved = try #require(KernelSetting.read("max_user_instances"))
            try KernelSetting.write("max_user_instances", 0)
            defer { try? KernelSetting.write("max_user_instances", saved) }
            result = Result { () throws(WatcherError) in try Watcher(options: options(tree), logger: LogRecorder().logger) }
        }
        #expect(throws: WatcherError.self) { try result.get() }
        if case .failure(let error) = result {
            #expect("\(error)".contains("fs.inotify.max_user_instances"))
            #expect(error.kind == .inotifyUnavailable && error.code == EMFILE, "the kernel's errno is kept")
        }
    }
}

/// Where a watch path leads, switched by a test as a link would be.
private final class SwitchedPath: Sendable {
    private let target: Mutex<String>
    init(_ target: String) { self.target = Mutex(target) }
    var value: String { target.withLock { $0 } }
    func `switch`(to path: String) { target.withLock { $0 = path } }
}

/// Polls `condition` for up to `WatchSession.patience`.
func waitFor(_ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + WatchSession.patience
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}

/// How many change sets had arrived at a point another thread marks.
private final class SetsArrived: Sendable {
    let count = Mutex(0)
}

/// Appends `count` numbered rows to `file`, `every` microseconds apart, from
/// a thread of its own: a Task.sleep on a busy machine's starved pool can
/// pause past the settle time. Returns the longest gap there was between two
/// writes (a busy machine may stall the thread). With `thenClose`, closes the
/// file right after the last row on that thread: a close that waited for the
/// starved pool came after the settle time, and was a write of its own.
/// The gaps are counted from `opened` (the file's creation is activity too:
/// a thread slow to start left it quiet). `beforeLastRow` runs on that thread just
/// before the last row is written.
@discardableResult
private func appendRows(
    to file: Int32, count: Int, every microseconds: UInt32, since opened: ContinuousClock.Instant = .now, thenClose: Bool = false,
    beforeLastRow: @escaping @Sendable () -> Void = {}
) async throws -> Duration {
    let longest = try await BlockingCall.result(within: .seconds(60)) { () -> Duration in
        let clock = ContinuousClock()
        var last = opened
        var longest = Duration.zero
        for row in 0..<count {
            if row == count - 1 { beforeLastRow() }
            let line = Array("\(row),\(row * 2)\n".utf8)
            _ = line.withUnsafeBytes { write(file, $0.baseAddress, $0.count) }
            let now = clock.now
            longest = max(longest, now - last)
            last = now
            if thenClose && row == count - 1 { break }
            usleep(microseconds)
        }
        if thenClose { close(file) }
        return longest
    }
    return try #require(longest)
}
