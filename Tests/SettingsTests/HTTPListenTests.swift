import Foundation
import Testing

@testable import Settings

/// `http.listen`: off by default, an IP literal and a port, or the socket
/// systemd passes; anything else fails at load with the key and the reason.
@Suite struct HTTPListenTests {
    typealias Listen = Settings.HTTP.Listen

    @Test(
        "accepted values, written back in one form",
        arguments: [
            ("", Listen.off),
            ("  ", Listen.off),
            ("127.0.0.1:9464", .address(host: "127.0.0.1", port: 9464)),
            (" 127.0.0.1:80 ", .address(host: "127.0.0.1", port: 80)),
            ("[::1]:9464", .address(host: "::1", port: 9464)),
            ("[0:0:0:0:0:0:0:1]:9464", .address(host: "::1", port: 9464)),
            ("0.0.0.0:9464", .address(host: "0.0.0.0", port: 9464)),
            ("systemd", .systemd),
            ("fd", .systemd),
        ])
    func parses(text: String, expected: Listen) throws {
        #expect(try Listen.parse(text).get() == expected)
        // What check-config writes reads back the same.
        #expect(try Listen.parse(expected.text).get() == expected)
    }

    @Test(
        "refused values say why",
        arguments: [
            ("localhost:9464", "IP address"),
            ("127.0.0.1", "HOST:PORT"),
            ("127.0.0.1:", "port"),
            ("127.0.0.1:0", "port"),
            ("127.0.0.1:65536", "port"),
            ("127.0.0.1:http", "port"),
            ("::1:9464", "brackets"),
            ("[::1]9464", "[IPv6]:PORT"),
            ("[::1", "[IPv6]:PORT"),
            ("127.1:9464", "IP address"),
            ("256.0.0.1:9464", "IP address"),
            ("http://127.0.0.1:9464", "HOST:PORT"),
            ("socket", "HOST:PORT"),
        ])
    func refuses(text: String, reasonMentions: String) {
        guard case .failure(let problem) = Listen.parse(text) else {
            Issue.record("'\(text)' was accepted")
            return
        }
        #expect(problem.reason.contains(reasonMentions), "\(problem.reason)")
    }

    @Test("loopback: 127.0.0.0/8, ::1 and the passed socket; anything else is not")
    func loopback() throws {
        #expect(try Listen.parse("127.0.0.1:1").get().isLoopback)
        #expect(try Listen.parse("127.8.9.1:1").get().isLoopback)
        #expect(try Listen.parse("[::1]:1").get().isLoopback)
        #expect(Listen.systemd.isLoopback)
        #expect(try !Listen.parse("0.0.0.0:1").get().isLoopback)
        #expect(try !Listen.parse("[::]:1").get().isLoopback)
        #expect(try !Listen.parse("192.0.2.10:1").get().isLoopback)
    }

    @Test("off by default; a bad value in the file fails naming http.listen")
    func loading() async throws {
        let defaults = try await Settings.load(file: nil, environment: ["HOME": "/home/u"])
        #expect(defaults.http.listen == .off)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-listen-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("chimerad.yaml").path
        try "http:\n  listen: localhost:9464\n".write(toFile: file, atomically: true, encoding: .utf8)
        let error = try await #require(throws: SettingsError.self) {
            try await Settings.load(file: file, environment: ["HOME": "/home/u"])
        }
        #expect(error.key == "http.listen")
        #expect(error.reason.contains("host name is not resolved"), "\(error)")
        try "http:\n  listen: \"[::1]:9464\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let loaded = try await Settings.load(file: file, environment: ["HOME": "/home/u"])
        #expect(loaded.http.listen == .address(host: "::1", port: 9464))
    }
}
