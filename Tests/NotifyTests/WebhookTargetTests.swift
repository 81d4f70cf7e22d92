import Foundation
import Notify
import Settings
import Testing

@Suite struct WebhookTargetTests {
    @Test(
        "auto picks ntfy for ntfy.sh and hosts named ntfy.*, JSON otherwise",
        arguments: [
            ("https://ntfy.sh/bench", true), ("https://NTFY.SH/bench", true), ("https://eu.ntfy.sh/x", true),
            ("https://ntfy.example.com/bench", true), ("https://hooks.example.com/ntfy", false), ("http://127.0.0.1:8080/ntfy", false),
            ("https://notntfy.sh/x", false),
        ])
    func ntfyRule(url: String, ntfy: Bool) {
        #expect(WebhookTarget.isNtfyTopic(url) == ntfy)
    }

    @Test func logsNameTheHostNeverThePath() {
        let target = WebhookTarget(url: "https://hooks.slack.com:8443/services/T000/B000/SECRET?x=1", format: .json)
        #expect(target.loggedDestination == "https://hooks.slack.com:8443")
    }

    @Test func configuredFromSettings() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-target-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let headers = folder.appendingPathComponent("headers").path
        try "Authorization: Bearer abc\n".write(toFile: headers, atomically: true, encoding: .utf8)
        var overrides = Settings.Overrides()
        overrides.set(.notifyWebhookURL, "https://ntfy.sh/bench")
        overrides.set(.notifyHeadersFile, headers)
        overrides.set(.notifyTimeout, 2.5)
        let settings = try await Settings.load(file: nil, overrides: overrides, environment: ["HOME": folder.path])
        let target = try #require(try WebhookTarget.configured(by: settings.notify).get())
        #expect(target.format == .ntfy && target.timeout == .milliseconds(2500))
        #expect(target.headers.fields == [.init(name: "Authorization", value: "Bearer abc")])

        overrides.set(.notifyFormat, "json")
        let json = try await Settings.load(file: nil, overrides: overrides, environment: ["HOME": folder.path])
        #expect(try WebhookTarget.configured(by: json.notify).get()?.format == .json)

        // Gone since the settings were checked: the problem, not a target without its token.
        try FileManager.default.removeItem(atPath: headers)
        guard case .failure = WebhookTarget.configured(by: settings.notify) else {
            Issue.record("a missing headers file must not give a target")
            return
        }
        let off = try await Settings.load(file: nil, environment: ["HOME": folder.path])
        #expect(try WebhookTarget.configured(by: off.notify).get() == nil)
    }
}
