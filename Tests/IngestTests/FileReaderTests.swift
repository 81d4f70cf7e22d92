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
        #expect(reason(outcome) == "became a symbolic link after the scan (not followed)")
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
