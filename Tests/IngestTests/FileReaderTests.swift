import Foundation
import TestSupport
import Testing

@testable import Ingest

#if canImport(Glibc)
import Glibc
#endif

/// What the reader does with a path that is no longer the regular file the
/// scan found: it answers at once, with a reason, and reads nothing else.
@Suite struct FileReaderTests {
    private func folder(_ label: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("file-reader-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func reason(_ outcome: FileReader.Reading) -> String? {
        if case .failed(let reason) = outcome { return reason.text }
        return nil
    }

    @Test func aFIFOIsRefusedWithoutWaitingForAWriter() async throws {
        let folder = try folder("fifo")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/results.csv"
        try SpecialFiles.makeFIFO(at: path)
        let outcome = try await BlockingCall.result(within: .seconds(5)) { FileReader.read(path, limit: 1 << 20) }
        if outcome == nil {
            // Blocked in open(): a writer that comes and goes lets the thread end.
            let writer = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            if writer >= 0 { close(writer) }
        }
        let read = try #require(outcome, "reading a FIFO did not return within 5 s")
        #expect(reason(read) == "not a regular file (FIFO)")
    }

    @Test func aSocketIsRefusedByItsKind() async throws {
        let folder = try folder("socket")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/results.csv"
        let socket = try SpecialFiles.bindSocket(at: path)
        defer { close(socket) }
        #expect(reason(FileReader.read(path, limit: 1 << 20)) == "not a regular file (socket)")
    }

    @Test func aSymbolicLinkIsNotFollowed() async throws {
        let folder = try folder("link")
        let outside = try self.folder("outside")
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(atPath: outside)
        }
        try "secret,1\n".write(toFile: outside + "/secret.csv", atomically: true, encoding: .utf8)
        // The scan found a regular file here; it was swapped for a link since.
        try FileManager.default.createSymbolicLink(atPath: folder + "/results.csv", withDestinationPath: outside + "/secret.csv")
        let outcome = FileReader.read(folder + "/results.csv", limit: 1 << 20)
        #expect(reason(outcome) == "became a symbolic link, or a folder on its path did, after the scan (not followed)")
    }

    @Test func aFolderOnThePathSwappedForALinkIsNotFollowed() throws {
        let root = try folder("parent")
        let outside = try self.folder("outside")
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: outside)
        }
        try FileManager.default.createDirectory(atPath: root + "/run", withIntermediateDirectories: true)
        try "a,b\n1,2\n".write(toFile: root + "/run/results.csv", atomically: true, encoding: .utf8)
        try "secret,1\n".write(toFile: outside + "/results.csv", atomically: true, encoding: .utf8)
        var info = stat()
        try #require(stat(root + "/run/results.csv", &info) == 0)
        let scanned = FileIdentity(info)
        // After the scan, the folder becomes a link out of the input.
        try FileManager.default.removeItem(atPath: root + "/run")
        try FileManager.default.createSymbolicLink(atPath: root + "/run", withDestinationPath: outside)
        let outcome = FileReader.read(root + "/run/results.csv", limit: 1 << 20, scanned: scanned)
        #expect(reason(outcome) == "became a symbolic link, or a folder on its path did, after the scan (not followed)")
    }

    @Test func aFileReplacedByARenameIsReadAtItsPath() throws {
        let root = try folder("renamed")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "a,b\n1,2\n".write(toFile: root + "/results.csv", atomically: false, encoding: .utf8)
        var info = stat()
        try #require(stat(root + "/results.csv", &info) == 0)
        let scanned = FileIdentity(info)
        // A benchmark writes a new file and renames it over the old one.
        try "a,b\n3,4\n".write(toFile: root + "/results.csv.tmp", atomically: false, encoding: .utf8)
        try #require(rename(root + "/results.csv.tmp", root + "/results.csv") == 0)
        guard case .contents(let bytes, _) = FileReader.read(root + "/results.csv", limit: 1 << 20, scanned: scanned) else {
            Issue.record("the renamed file was not read")
            return
        }
        #expect(bytes == Array("a,b\n3,4\n".utf8))
    }

    @Test func aRegularFileIsReadWhole() throws {
        let folder = try folder("regular")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "a,b\n1,2\n".write(toFile: folder + "/results.csv", atomically: true, encoding: .utf8)
        guard case .contents(let bytes, _) = FileReader.read(folder + "/results.csv", limit: 1 << 20) else {
            Issue.record("a regular file was not read")
            return
        }
        #expect(bytes == Array("a,b\n1,2\n".utf8))
    }
}
