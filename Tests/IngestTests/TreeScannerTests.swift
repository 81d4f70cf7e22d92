import Foundation
import TestSupport
import Testing

@testable import Ingest

#if canImport(Glibc)
import Glibc
#endif

/// What the scan makes of entries that are not plain files with plain names:
/// each is listed with a reason, none vanishes from the count.
@Suite struct TreeScannerTests {
    private func folder(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scanner-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return TreeScanner.normalize(path)
    }

    private func reasons(_ problems: [ScanProblem]) -> [String: String] {
        Dictionary(problems.map { ($0.relativePath, $0.reason) }, uniquingKeysWith: { first, _ in first })
    }

    /// What a watch path through a link is known by: the path as written,
    /// whether the link is its last part (`current`) or one above it
    /// (`latest/results`); nil for a path through no link.
    @Test func aPathThroughALinkIsKnownAsWritten() throws {
        let root = try folder("link-path")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let real = TreeScanner.normalize(root)
        try FileManager.default.createDirectory(atPath: real + "/run-42/results", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: real + "/current", withDestinationPath: "run-42")
        #expect(TreeScanner.linkPath(of: real + "/current") == real + "/current")
        #expect(TreeScanner.linkPath(of: real + "/current/results/") == real + "/current/results")
        #expect(TreeScanner.linkPath(of: real + "/run-42/results/../results") == nil)
        #expect(TreeScanner.linkPath(of: real + "/nowhere/current") == nil)
        // A link left dangling is still one.
        try FileManager.default.createSymbolicLink(atPath: real + "/next", withDestinationPath: "run-43")
        #expect(TreeScanner.linkPath(of: real + "/next") == real + "/next")
    }

    @Test func fifosAndSocketsAreListedAsNotRegularFiles() throws {
        let root = try folder("special")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "a,b\n1,2\n".write(toFile: root + "/a.csv", atomically: true, encoding: .utf8)
        try SpecialFiles.makeFIFO(at: root + "/pipe.csv")
        let socket = try SpecialFiles.bindSocket(at: root + "/control.sock")
        defer { close(socket) }
        let found = try TreeScanner().scan(root: root)
        #expect(found.files.map(\.relativePath) == ["a.csv"])
        #expect(reasons(found.problems) == ["pipe.csv": "not a regular file (FIFO)", "control.sock": "not a regular file (socket)"])
        // The daemon looks at single paths the same way.
        #expect(
            TreeScanner().examine(root: root, relative: "pipe.csv")
                == .problem(ScanProblem(root: root, relativePath: "pipe.csv", skip: .notRegularFile(.fifo))))
    }

    @Test func aFollowedLinkToADeviceNamesTheDevice() throws {
        let root = try folder("device")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createSymbolicLink(atPath: root + "/null.csv", withDestinationPath: "/dev/null")
        let found = try TreeScanner(followExternalLinks: true).scan(root: root)
        #expect(found.files.isEmpty)
        #expect(reasons(found.problems) == ["null.csv": "not a regular file (character device)"])
    }

    @Test func aNameThatIsNotUTF8IsCountedWithItsBytesEscaped() throws {
        let root = try folder("names")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try SpecialFiles.writeFile(named: Array("bad".utf8) + [0xFF, 0xFE] + Array(".csv".utf8), in: root, contents: "a,b\n1,2\n")
        try SpecialFiles.makeFolder(named: [0x64, 0x69, 0x72, 0xC3], in: root)
        try "a,b\n1,2\n".write(toFile: root + "/ok-é.csv", atomically: true, encoding: .utf8)
        let found = try TreeScanner().scan(root: root)
        #expect(found.files.map(\.relativePath) == ["ok-é.csv"])
        let reasons = reasons(found.problems)
        #expect(reasons.keys.sorted() == [#"bad\xFF\xFE.csv"#, #"dir\xC3"#])
        #expect(reasons[#"bad\xFF\xFE.csv"#]?.hasPrefix("file name is not valid UTF-8") == true, "\(reasons)")
        #expect(reasons[#"dir\xC3"#]?.hasPrefix("folder name is not valid UTF-8") == true, "\(reasons)")
    }

    @Test func aLinkToTheInputFolderSaysSo() throws {
        let root = try folder("self-link")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/sub/up", withDestinationPath: root)
        let found = try TreeScanner().scan(root: root)
        let reason = try #require(reasons(found.problems)["sub/up"])
        #expect(reason.hasPrefix("symbolic link to the input folder itself"), "\(reason)")
    }

    @Test func aFollowedLinkOutIsReadThroughItsTarget() throws {
        let root = try folder("link-out")
        let outside = try folder("outside")
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: outside)
        }
        try "a,b\n1,2\n".write(toFile: outside + "/r.csv", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/r.csv", withDestinationPath: outside + "/r.csv")
        let found = try TreeScanner(followExternalLinks: true).scan(root: root)
        let file = try #require(found.files.first)
        #expect(file.relativePath == "r.csv")
        guard case .contents(let bytes, _) = FileReader.read(file.absolutePath, limit: 1 << 20) else {
            Issue.record("a followed link out was not read")
            return
        }
        #expect(bytes == Array("a,b\n1,2\n".utf8))
        // Not followed unless asked: refused, and nothing is read.
        let refused = try TreeScanner().scan(root: root)
        #expect(refused.files.isEmpty)
        #expect(refused.problems.first?.reason.hasPrefix("symbolic link to \(outside)/r.csv, outside the input folder") == true)
    }

    /// A tree wide enough to be listed on every core: every file once, in
    /// byte order, every problem with its reason, whatever thread listed it.
    @Test func aWideTreeIsListedWholeAndInOrder() throws {
        let root = try folder("wide")
        defer { try? FileManager.default.removeItem(atPath: root) }
        var expected: [String] = []
        for top in 0..<3 {
            for inner in 0..<(TreeScanner.sharedLevel + 5) {
                let relative = "t\(top)/f\(inner)"
                try FileManager.default.createDirectory(atPath: root + "/" + relative, withIntermediateDirectories: true)
                for name in ["b.csv", "a.csv"] {
                    try "a,b\n1,2\n".write(toFile: root + "/" + relative + "/" + name, atomically: true, encoding: .utf8)
                    expected.append(relative + "/" + name)
                }
            }
        }
        try SpecialFiles.makeFIFO(at: root + "/t2/f7/pipe.csv")
        try SpecialFiles.makeFIFO(at: root + "/t0/f3/pipe.csv")
        for _ in 0..<3 {
            let found = try TreeScanner().scan(root: root)
            #expect(found.files.map(\.relativePath) == expected.sorted(by: ByteOrder.precedes))
            #expect(found.problems.map(\.relativePath) == ["t0/f3/pipe.csv", "t2/f7/pipe.csv"])
            #expect(found.problems.allSatisfy { $0.reason == "not a regular file (FIFO)" })
        }
    }

    /// Followed links that lead back into folders already entered (here two
    /// links to one outside folder, in many folders listed side by side):
    /// each folder is walked once, so no file is counted twice.
    @Test func aFolderReachedTwiceThroughFollowedLinksIsWalkedOnce() throws {
        let root = try folder("twice")
        let outside = try folder("twice-outside")
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: outside)
        }
        try "a,b\n1,2\n".write(toFile: outside + "/r.csv", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: outside + "/again", withDestinationPath: outside)
        for index in 0..<(TreeScanner.sharedLevel + 2) {
            try FileManager.default.createDirectory(atPath: root + "/d\(index)", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: root + "/d\(index)/out", withDestinationPath: outside)
        }
        let found = try TreeScanner(followExternalLinks: true).scan(root: root)
        #expect(found.files.map(\.relativePath) == ["d0/out/r.csv"])
    }

    /// A followed link to a folder that holds chimerad's own output and
    /// state: they are left out by their real paths, in a walk and when the
    /// daemon looks at one path through the link.
    @Test func chimeradsOwnFoldersAreLeftOutBehindAFollowedLink() throws {
        let top = try folder("own-behind-link")
        defer { try? FileManager.default.removeItem(atPath: top) }
        let root = top + "/in"
        for sub in ["in", "out", "state"] { try FileManager.default.createDirectory(atPath: top + "/" + sub, withIntermediateDirectories: true) }
        try "a,b\n1,2\n".write(toFile: root + "/a.csv", atomically: true, encoding: .utf8)
        try "{}".write(toFile: top + "/out/latest.json", atomically: true, encoding: .utf8)
        try "x".write(toFile: top + "/state/chimerad.sqlite", atomically: true, encoding: .utf8)
        try "a,b\n3,4\n".write(toFile: top + "/other.csv", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/up", withDestinationPath: top)
        let scanner = TreeScanner(excluded: [top + "/out", top + "/state"], followExternalLinks: true)
        let found = try scanner.scan(root: root)
        #expect(found.files.map(\.relativePath) == ["a.csv", "up/other.csv"])
        #expect(scanner.examine(root: root, relative: "up/out/latest.json") == .nothing)
        #expect(scanner.scan(root: root, folder: "up/state").files.isEmpty)
        #expect(scanner.scan(root: root, folder: "up").files.map(\.relativePath) == ["up/other.csv"])
    }

    /// A path that is not there is named by its deepest folder that is,
    /// resolved: the name it had while it was there.
    @Test func aMissingPathBehindALinkKeepsItsRealName() throws {
        let base = try folder("missing-behind-link")
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base + "/real/results", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: base + "/link", withDestinationPath: base + "/real")
        #expect(TreeScanner.normalize(base + "/link/results") == base + "/real/results")
        try FileManager.default.removeItem(atPath: base + "/real/results")
        #expect(TreeScanner.normalize(base + "/link/results") == base + "/real/results")
        #expect(TreeScanner.normalize(base + "/link/./gone/../results/") == base + "/real/results")
        #expect(TreeScanner.normalize("/no-such-top-\(UUID().uuidString)/x").hasSuffix("/x"))
    }
}
