import Testing

@testable import Watching

@Suite struct SettleWindowTests {
    let start = ContinuousClock.now
    let root = "/r"

    func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }
    func file(_ path: String) -> WatchedPath { WatchedPath(root: root, path: path) }

    @Test func nothingPendingHasNoDeadline() {
        var window = SettleWindow(settle: .milliseconds(300), maxDelay: .seconds(5))
        #expect(window.deadline == nil)
        #expect(window.takeReady(at: at(10_000)) == nil)
        #expect(window.isEmpty)
    }

    @Test func aChangeSetWaitsUntilTheTreeIsQuiet() {
        var window = SettleWindow(settle: .milliseconds(300), maxDelay: .seconds(5))
        window.fileActivity(file("a.csv"), at: at(0))
        #expect(window.deadline == at(300))
        #expect(window.takeReady(at: at(299)) == nil)
        window.fileActivity(file("b.csv"), at: at(200))
        #expect(window.deadline == at(500))
        #expect(window.takeReady(at: at(400)) == nil)
        #expect(window.takeReady(at: at(500)) == ChangeSet(written: [file("a.csv"), file("b.csv")]))
        #expect(window.isEmpty)
        #expect(window.deadline == nil)
    }

    @Test func aBurstOfTenThousandFilesIsOneChangeSet() {
        var window = SettleWindow(settle: .milliseconds(300), maxDelay: .seconds(5))
        var emitted: [ChangeSet] = []
        for index in 0..<10_000 {
            // One file every 0.2 ms: 2 s of writing, checked as the reader would after each event.
            let now = start + .microseconds(index * 200)
            window.fileActivity(file("f\(index).csv"), at: now)
            if let ready = window.takeReady(at: now) { emitted.append(ready) }
        }
        if let ready = window.takeReady(at: at(2_300)) { emitted.append(ready) }
        #expect(emitted.count == 1)
        #expect(emitted.first?.written.count == 10_000)
    }

    @Test func constantActivityIsForcedOutAfterMaxDelayHoldingBackBusyFiles() {
        var window = SettleWindow(settle: .milliseconds(300), maxDelay: .seconds(1))
        window.fileActivity(file("done.csv"), at: at(0))
        window.removed(file("old.csv"), at: at(10))
        window.folderToScan(file("new"), at: at(20))
        // log.csv is appended every 100 ms, never quiet for 300 ms.
        var time = 0
        while time <= 1_000 {
            window.fileActivity(file("log.csv"), at: at(time))
            time += 100
        }
        #expect(window.deadline == at(1_000))
        let forced = window.takeReady(at: at(1_000))
        #expect(forced == ChangeSet(written: [file("done.csv")], removed: [file("old.csv")], foldersToScan: [file("new")]))
        // Still busy: the next forced emission has nothing to give, and no busy loop either.
        while time <= 2_500 {
            window.fileActivity(file("log.csv"), at: at(time))
            time += 100
        }
        #expect(window.takeReady(at: at(2_000)) == nil)
        #expect(window.deadline.map { $0 > at(2_000) } == true)
        // Quiet at last.
        #expect(window.takeReady(at: at(2_700)) == nil)
        #expect(window.takeReady(at: at(2_800)) == ChangeSet(written: [file("log.csv")]))
        #expect(window.isEmpty)
    }

    /// `mkdir night-17 && cp big.csv night-17/`: the folder's scan would
    /// list the file half-written, so a forced emission holds the folder
    /// back with it; both go out once the file is quiet.
    @Test func aNewFolderWaitsForTheFileBeingWrittenInIt() {
        var window = SettleWindow(settle: .milliseconds(300), maxDelay: .seconds(5))
        window.folderToScan(file("night-17"), at: at(0))
        window.folderToScan(file("other"), at: at(0))
        var forced: ChangeSet?
        for tick in 1...60 {
            // Written every 100 ms for 6 s.
            window.fileActivity(file("night-17/big.csv"), at: at(tick * 100))
            if let ready = window.takeReady(at: at(tick * 100)) { forced = ready }
        }
        #expect(forced == ChangeSet(foldersToScan: [file("other")]), "\(String(describing: forced))")
        #expect(window.takeReady(at: at(6_200)) == nil)
        #expect(window.takeReady(at: at(6_300)) == ChangeSet(written: [file("night-17/big.csv")], foldersToScan: [file("night-17")]))
        #expect(window.isEmpty)
    }

    /// Files dropped round-robin into folders just made: a forced emission
    /// that holds a busy new folder back holds its quiet files too. They
    /// went out without the folder's first file, which only its scan finds
    /// (written before its watch), so the report was of no one moment.
    @Test func aNewFolderHeldBackHoldsItsQuietFilesToo() {
        var window = SettleWindow(settle: .milliseconds(300), maxDelay: .seconds(1))
        window.folderToScan(file("s00"), at: at(0))
        window.fileActivity(file("s00/t0001.csv"), at: at(100))
        window.fileActivity(file("elsewhere.csv"), at: at(100))
        for time in stride(from: 200, through: 1_000, by: 100) { window.fileActivity(file("s00/t0002.csv"), at: at(time)) }
        #expect(window.takeReady(at: at(1_000)) == ChangeSet(written: [file("elsewhere.csv")]))
        // Once quiet, the folder goes out with all its files.
        #expect(
            window.takeReady(at: at(1_300))
                == ChangeSet(written: [file("s00/t0001.csv"), file("s00/t0002.csv")], foldersToScan: [file("s00")]))
        #expect(window.isEmpty)
    }

    /// Held back once, never twice: a log appended every second in a new
    /// folder (or anywhere in a watch folder that came back) would keep
    /// its scan back for good.
    @Test func aFolderScanIsHeldBackOnceAndAWatchFolderNever() {
        var window = SettleWindow(settle: .milliseconds(300), maxDelay: .seconds(5))
        window.folderToScan(file("logs"), at: at(0))
        window.folderToScan(file(""), at: at(0))
        var emitted: [ChangeSet] = []
        for tick in 1...120 {
            window.fileActivity(file("logs/app.log"), at: at(tick * 100))
            if let ready = window.takeReady(at: at(tick * 100)) { emitted.append(ready) }
        }
        #expect(emitted.count == 2, "\(emitted)")
        #expect(emitted.first?.foldersToScan == [file("")], "the watch folder's scan goes out at once")
        #expect(emitted.last?.foldersToScan == [file("logs")], "the folder's, at the next forced emission")
    }

    @Test func aFileQuietForTheSettleTimeGoesOutWithAForcedEmission() {
        var window = SettleWindow(settle: .milliseconds(300), maxDelay: .seconds(1))
        window.fileActivity(file("a.csv"), at: at(0))
        window.fileActivity(file("a.csv"), at: at(650))  // written again: its clock restarts
        window.fileActivity(file("b.csv"), at: at(100))
        for time in stride(from: 0, through: 1_000, by: 50) { window.fileActivity(file("busy.csv"), at: at(time)) }
        #expect(window.takeReady(at: at(1_000)) == ChangeSet(written: [file("a.csv"), file("b.csv")]))
        #expect(window.activeFileCount == 1)
    }

    @Test func renamingAFolderMovesItsPendingFilesAndScans() {
        var window = SettleWindow(settle: .milliseconds(300), maxDelay: .seconds(5))
        window.folderToScan(file("new"), at: at(0))
        window.folderToScan(file("new/deeper"), at: at(0))
        window.folderToScan(file("newer"), at: at(0))
        window.fileActivity(file("new/a.csv"), at: at(10))
        window.fileActivity(file("newish.csv"), at: at(10))
        let rename = ChangeSet.Rename(from: file("new"), to: file("moved"), isFolder: true)
        window.renamed(rename, at: at(20))
        let ready = window.takeReady(at: at(320))
        // moved/deeper is inside moved: scanning moved covers it.
        #expect(ready?.foldersToScan == [file("moved"), file("newer")])
        #expect(ready?.written == [file("moved/a.csv"), file("newish.csv")])
        #expect(ready?.renamed == [rename])
    }

    @Test func renamingAFileMovesItsActivityAndKeepsTheOrder() {
        var window = SettleWindow(settle: .milliseconds(300), maxDelay: .seconds(5))
        window.fileActivity(file("a.tmp"), at: at(0))
        let first = ChangeSet.Rename(from: file("a.tmp"), to: file("a.csv"), isFolder: false)
        let second = ChangeSet.Rename(from: file("a.csv"), to: file("b.csv"), isFolder: false)
        window.renamed(first, at: at(10))
        window.renamed(second, at: at(20))
        let ready = window.takeReady(at: at(320))
        #expect(ready?.renamed == [first, second])
        #expect(ready?.written == [file("b.csv")])
    }

    @Test func aRescanAloneIsAChangeSet() {
        var window = SettleWindow(settle: .zero, maxDelay: .seconds(5))
        window.rescanAll(at: at(0))
        #expect(window.takeReady(at: at(0)) == ChangeSet(rescanAll: true))
    }

    @Test func foldersInsideAFolderToScanAreLeftOut() {
        let folders: Set<WatchedPath> = [
            file("a"), file("a/b"), file("a/b/c"), file("a-b"), file("ab/c"), WatchedPath(root: "/s", path: "a/b"),
        ]
        #expect(
            SettleWindow.outermost(folders) == [file("a"), file("a-b"), file("ab/c"), WatchedPath(root: "/s", path: "a/b")])
        #expect(SettleWindow.outermost([file(""), file("x/y")]) == [file("")])
    }
}
