import Testing

@testable import Watching

@Suite struct PathsAndTableTests {
    @Test func containmentIsByWholeComponents() {
        let folder = WatchedPath(root: "/r", path: "a")
        #expect(WatchedPath(root: "/r", path: "a").isAtOrUnder(folder))
        #expect(WatchedPath(root: "/r", path: "a/b").isAtOrUnder(folder))
        #expect(!WatchedPath(root: "/r", path: "ab").isAtOrUnder(folder))
        #expect(!WatchedPath(root: "/s", path: "a/b").isAtOrUnder(folder))
        #expect(WatchedPath(root: "/r", path: "x").isAtOrUnder(WatchedPath(root: "/r", path: "")))
        #expect(WatchedPath.isAbsolute("/anything", atOrUnder: "/"))
        #expect(!WatchedPath.isAbsolute("/data/ab", atOrUnder: "/data/a"))
    }

    @Test func movingAPrefixKeepsTheRest() {
        let from = WatchedPath(root: "/r", path: "a")
        let to = WatchedPath(root: "/s", path: "x/y")
        #expect(WatchedPath(root: "/r", path: "a/b/c.csv").moved(from: from, to: to) == WatchedPath(root: "/s", path: "x/y/b/c.csv"))
        #expect(WatchedPath(root: "/r", path: "a").moved(from: from, to: to) == to)
        #expect(WatchedPath(root: "/r", path: "ab").moved(from: from, to: to) == nil)
        #expect(
            WatchedPath(root: "/r", path: "b").moved(from: WatchedPath(root: "/r", path: ""), to: to)
                == WatchedPath(root: "/s", path: "x/y/b"))
        #expect(WatchedPath.absolute("/r/a/b", movedFrom: "/r/a", to: "/r/z") == "/r/z/b")
        #expect(WatchedPath.absolute("/elsewhere/b", movedFrom: "/r/a", to: "/r/z") == nil)
    }

    @Test func aFolderMoveRepointsEveryWatchUnderIt() {
        var table = WatchTable()
        func folder(_ path: String, _ absolute: String, _ inode: UInt64, anchor: Bool = false) -> WatchTable.Folder {
            WatchTable.Folder(
                path: WatchedPath(root: "/r", path: path), absolute: absolute,
                identity: FolderIdentity(device: 1, inode: inode), isAnchor: anchor)
        }
        table.set(1, folder("", "/r", 1, anchor: true))
        table.set(2, folder("a", "/r/a", 2))
        table.set(3, folder("a/b", "/r/a/b", 3))
        // A followed link inside `a`: its watch is on the target, elsewhere.
        table.set(4, folder("a/link", "/outside", 4, anchor: true))
        table.set(5, folder("ab", "/r/ab", 5))
        table.moveFolder(
            from: WatchedPath(root: "/r", path: "a"), to: WatchedPath(root: "/r", path: "z"), absoluteFrom: "/r/a",
            absoluteTo: "/r/z")
        #expect(table[2]?.path.path == "z" && table[2]?.absolute == "/r/z")
        #expect(table[3]?.path.path == "z/b" && table[3]?.absolute == "/r/z/b")
        #expect(table[4]?.path.path == "z/link" && table[4]?.absolute == "/outside")
        #expect(table[5]?.path.path == "ab")
        #expect(table.watch(at: WatchedPath(root: "/r", path: "a")) == nil)
        #expect(table.watch(at: WatchedPath(root: "/r", path: "z/b")) == 3)
        #expect(table.watch(of: FolderIdentity(device: 1, inode: 3)) == 3)
        #expect(Set(table.watches(atOrUnder: WatchedPath(root: "/r", path: "z"))) == [2, 3, 4])
        table.remove(3)
        #expect(table.watch(at: WatchedPath(root: "/r", path: "z/b")) == nil)
        #expect(table.count == 4)
    }

    @Test func inotifyRecordsAreSplitWithTheirPaddedNames() {
        var bytes: [UInt8] = []
        func record(_ watch: Int32, _ mask: UInt32, _ cookie: UInt32, _ name: String, padTo length: Int) {
            withUnsafeBytes(of: watch.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: mask.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: cookie.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: UInt32(length).littleEndian) { bytes += $0 }
            var name = Array(name.utf8)
            name += [UInt8](repeating: 0, count: length - name.count)
            bytes += name
        }
        record(1, InotifyMask([.create, .isFolder]).rawValue, 0, "new", padTo: 16)
        record(2, InotifyMask.deleteSelf.rawValue, 0, "", padTo: 0)
        record(1, InotifyMask.movedFrom.rawValue, 7, "résultats.csv", padTo: 32)
        // A truncated record at the end is not read past the buffer.
        record(3, InotifyMask.modify.rawValue, 0, "cut", padTo: 16)
        bytes.removeLast(8)
        var events: [InotifyEvent] = []
        bytes.withUnsafeBytes { Inotify.parse($0, into: &events) }
        #expect(
            events == [
                InotifyEvent(watch: 1, mask: [.create, .isFolder], cookie: 0, name: "new"),
                InotifyEvent(watch: 2, mask: .deleteSelf, cookie: 0, name: ""),
                InotifyEvent(watch: 1, mask: .movedFrom, cookie: 7, name: "résultats.csv"),
            ])
    }
}
