import Foundation
import Testing

@testable import Settings

/// `notify.*`: a webhook URL that is one, and a headers file whose problems
/// are named by key and line, never by the secret it holds.
@Suite struct NotifySettingsTests {
    @Test func offByDefault() async throws {
        let settings = try await Settings.load(file: nil, environment: ConfigFolder.environment)
        #expect(!settings.notify.isEnabled && settings.notify.headersFile.isEmpty && !settings.notify.onReport)
        #expect(settings.notify.format == .auto && settings.notify.timeoutSeconds == 10)
    }

    @Test(
        "a webhook URL that is not http(s) with a host fails naming the key, without echoing the URL",
        arguments: [
            "ftp://host/x", "not a url", "http://", "hooks.example.com/secret-path", "https://user:pw@hooks.example.com/x",
            "https://127.0.0.1:99999/hook", "http://hooks.example.com:65536/x",
        ])
    func badURL(url: String) async throws {
        try await ConfigFolder.with { folder in
            let error = try await ConfigFolder.error("notify:\n  webhook_url: \"\(url)\"\n", in: folder)
            #expect(error.key == "notify.webhook_url")
            #expect(!error.reason.contains(url), "\(error)")
            #expect(error.description.contains("key 'notify.webhook_url': "))
        }
    }

    @Test func headersFileIsReadAndChecked() async throws {
        try await ConfigFolder.with { folder in
            let headers = folder + "/headers"
            try "# the token\r\nAuthorization: Bearer abc.def\r\n\r\nX-Team:  perf \r\n".write(toFile: headers, atomically: true, encoding: .utf8)
            let settings = try await ConfigFolder.load(
                "notify:\n  webhook_url: https://hooks.example.com/x\n  headers_file: \(headers)\n", in: folder)
            #expect(settings.notify.headersFile == headers)
            #expect(
                try WebhookHeaders.read(headers).get().fields == [
                    .init(name: "Authorization", value: "Bearer abc.def"), .init(name: "X-Team", value: "perf"),
                ])
        }
    }

    @Test(
        "a malformed headers file fails naming the key and the line, never the value",
        arguments: [
            ("Authorization Bearer s3cret\n", "line 1: expected 'Name: value'"),
            ("X-Ok: 1\nBad Name: s3cret\n", "line 2: the header name is not an HTTP token"),
            ("Content-Length: s3cret\n", "line 1: Content-Length is reserved: chimerad sets it"),
            ("Idempotency-Key: s3cret\n", "line 1: Idempotency-Key is reserved: chimerad sets it"),
            ("Authorization: Bearer s3cret\nContent-Encoding: gzip\n", "line 2: Content-Encoding is reserved: chimerad sets it"),
            ("expect: 100-continue\n", "line 1: expect is reserved: chimerad sets it"),
            ("X-Token: s3cret\u{1}more\n", "line 1: the value of X-Token holds a control character"),
        ])
    func malformedHeaders(text: String, reason: String) async throws {
        try await ConfigFolder.with { folder in
            let headers = folder + "/headers"
            try text.write(toFile: headers, atomically: true, encoding: .utf8)
            let error = try await ConfigFolder.error("notify:\n  headers_file: \(headers)\n", in: folder)
            #expect(error.key == "notify.headers_file")
            #expect(error.reason.contains(reason), "\(error)")
            #expect(!error.description.contains("s3cret"), "\(error)")
        }
    }

    @Test func aMissingUnreadableOrSpecialHeadersFileFails() async throws {
        try await ConfigFolder.with { folder in
            let fifo = folder + "/fifo"
            #expect(mkfifo(fifo, 0o600) == 0)
            for (path, reason) in [(folder + "/missing", "does not exist"), (folder, "is not a regular file"), (fifo, "is not a regular file")] {
                let error = try await ConfigFolder.error("notify:\n  headers_file: \(path)\n", in: folder)
                #expect(error.key == "notify.headers_file")
                #expect(error.reason.contains(reason), "\(error)")
            }
        }
    }

    @Test("the timeout stays under the unit's stop timeout", arguments: [0.0, -1, 26])
    func badTimeout(seconds: Double) async throws {
        try await ConfigFolder.with { folder in
            let error = try await ConfigFolder.error("notify:\n  timeout_seconds: \(seconds)\n", in: folder)
            #expect(error.key == "notify.timeout_seconds")
        }
    }
}
