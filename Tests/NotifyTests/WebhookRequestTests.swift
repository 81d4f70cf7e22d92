import Foundation
import Notify
import Settings
import Store
import Testing

/// What a post carries, before any network: the JSON body as queued, ntfy's
/// plain text, and headers that nothing from a benchmark file can reach.
@Suite struct WebhookRequestTests {
    private static func event(model: String = "llama3.1:8b") -> WebhookEvent {
        WebhookEvent(
            id: "urn:chimerad:regression:5f0c:3:opened", event: .regressionOpened, time: "2026-12-02T12:00:00Z",
            title: "Regression #3 opened: \(model) tok/s -19.3% (p=0.0007)", text: "Regression #3 \(model): tok/s 78.43 → 63.20.",
            inputs: ["/srv/bench"], reportPath: "/srv/reports/chimera-report-20261202T120000Z.md",
            regression: .init(
                id: 3, model: model, configuration: ["num_ctx": "4096"], environment: [:], metric: "tokens_per_second",
                direction: "higher_is_better", baselineMedian: 78.43, baselineRuns: 20, baselineSessions: 2, currentMedian: 63.2,
                currentRuns: 10, changePercent: -19.3, ciPercent: [-23.0, -15.1], pValue: 0.0007, qValue: 0.0014, sources: ["runs/new.csv"],
                openedAt: "2026-12-02T12:00:00Z", resolvedAt: nil, resolution: nil))
    }

    private static func entry(_ event: WebhookEvent) throws -> Store.OutboxEntry {
        Store.OutboxEntry(eventID: event.id, kind: .opened, payload: try event.jsonText())
    }

    private static func value(_ name: String, in request: WebhookRequest) -> String? {
        request.headers.last { $0.name.lowercased() == name.lowercased() }?.value
    }

    @Test func jsonPostCarriesTheQueuedBodyAndTheEventIDAsIdempotencyKey() throws {
        let event = Self.event()
        let request = try WebhookRequest(entry: Self.entry(event), target: WebhookTarget(url: "https://hooks.example.com/x", format: .json))
        #expect(Self.value("Content-Type", in: request) == "application/json")
        #expect(Self.value("Idempotency-Key", in: request) == event.id)
        #expect(Self.value("X-Chimerad-Event", in: request) == "regression.opened")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(body["id"] as? String == event.id && body["event"] as? String == "regression.opened")
        #expect(body["schema"] as? String == "chimerad.webhook/1" && body["report_path"] as? String == event.reportPath)
        let regression = try #require(body["regression"] as? [String: Any])
        for key in ["id", "model", "configuration", "metric", "baseline_median", "current_median", "change_percent", "p_value", "sources"] {
            #expect(regression[key] != nil, "\(key)")
        }
        #expect(try WebhookEvent.decode(String(decoding: request.body, as: UTF8.self)) == event)
    }

    @Test func ntfyGetsOneLineOfTextAndItsHeaders() throws {
        let request = try WebhookRequest(entry: Self.entry(Self.event()), target: WebhookTarget(url: "https://ntfy.sh/bench", format: .ntfy))
        #expect(String(decoding: request.body, as: UTF8.self) == "Regression #3 opened: llama3.1:8b tok/s -19.3% (p=0.0007)")
        #expect(Self.value("Content-Type", in: request) == "text/plain; charset=utf-8")
        #expect(Self.value("Title", in: request) == "chimerad: regression opened")
        #expect(Self.value("Priority", in: request) == "high")
        #expect(Self.value("Tags", in: request)?.contains("warning") == true)
    }

    @Test(
        "a hostile model name reaches no header and leaves the text one line",
        arguments: ["evil\r\nX-Injected: 1", "a\u{0}b\u{7}c", "line\u{2028}sep", "tab\tand\u{85}next"])
    func hostileNames(model: String) throws {
        for format in [WebhookTarget.Format.json, .ntfy] {
            let request = try WebhookRequest(
                entry: Self.entry(Self.event(model: model)), target: WebhookTarget(url: "http://127.0.0.1:9/h", format: format))
            #expect(!request.headers.contains { $0.name.lowercased() == "x-injected" })
            for field in request.headers {
                #expect(field.value.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) }, "\(field.name)")
            }
            if format == .ntfy {
                let text = String(decoding: request.body, as: UTF8.self)
                #expect(!text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{2028}" }, "\(text)")
            }
        }
    }

    @Test func headerValuesAreCleanedEvenForOurOwnIds() {
        #expect(WebhookRequest.headerValue("urn:x\r\nEvil: 1") == "urn:x??Evil: 1")
        #expect(WebhookRequest.headerValue("modèle") == "mod?le")
    }

    @Test func headersFileFieldsWinOverChimeradsOptionalOnes() throws {
        let headers = WebhookHeaders(fields: [
            .init(name: "Authorization", value: "Bearer s3cret"), .init(name: "priority", value: "5"), .init(name: "X-Tag", value: "a"),
            .init(name: "X-Tag", value: "b"),
        ])
        let target = WebhookTarget(url: "https://ntfy.example.com/t", format: .ntfy, headers: headers)
        let request = try WebhookRequest(entry: Self.entry(Self.event()), target: target)
        #expect(Self.value("Authorization", in: request) == "Bearer s3cret")
        #expect(request.headers.filter { $0.name.lowercased() == "priority" }.map(\.value) == ["5"])
        #expect(request.headers.filter { $0.name == "X-Tag" }.map(\.value) == ["a", "b"])
    }

    @Test func aDamagedStoredBodyCannotBePostedToNtfy() {
        let entry = Store.OutboxEntry(eventID: "urn:x", kind: .opened, payload: "{not json")
        #expect(throws: (any Error).self) { try WebhookRequest(entry: entry, target: WebhookTarget(url: "https://ntfy.sh/t", format: .ntfy)) }
    }

    /// A JSON receiver shows what it is sent: a name's right-to-left
    /// override, BEL and ESC went raw in `title` and `text` (campaign s33b),
    /// where the feed, the journal and the commands write them out.
    @Test func anEventsTitleAndTextWriteOutHiddenCharacters() throws {
        let event = WebhookEvent(
            id: "urn:x", event: .regressionOpened, time: "2026-12-07T00:00:00Z", title: "Regression #1 opened: evil\u{202E}lmth.exe\u{7}",
            text: "line one \u{1B}[31m\nline two", inputs: ["/srv"], reportPath: "/out/r.md")
        #expect(event.title == #"Regression #1 opened: evil\u{202e}lmth.exe\u{7}"#)
        #expect(event.text == "line one \\u{1b}[31m\nline two", "a line break of the text stays")
    }

    @Test func plainTextIsOneLineAndBounded() {
        #expect(WebhookRequest.plainText("a\n\n b \r\n c ", limit: 100) == "a b c")
        // Invisible characters are gaps too; an emoji's joiner stays, and the emoji whole.
        #expect(WebhookRequest.plainText("llama3:8b\u{200B} x\u{FEFF}y 👩\u{200D}💻", limit: 100) == "llama3:8b x y 👩\u{200D}💻")
        #expect(WebhookRequest.plainText(String(repeating: "x", count: 50), limit: 10) == String(repeating: "x", count: 9) + "…")
    }
}
