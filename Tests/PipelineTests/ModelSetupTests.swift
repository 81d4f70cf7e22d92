import Foundation
import Logging
import ModelBackends
import Narration
import Pipeline
import Settings
import TestSupport
import Testing

/// Which backend the `model.*` settings give, `auto`'s fallbacks included.
@Suite("Model set-up")
struct ModelSetupTests {
    static func settings(_ yaml: String) async throws -> Settings {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-model-setup-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/chimerad.yaml"
        try Data(("state:\n  directory: \(folder)/state\n" + yaml).utf8).write(to: URL(fileURLWithPath: file))
        return try await Settings.load(file: file, environment: ["HOME": folder])
    }

    /// A venv with nothing in it: the managed server is not installed there.
    static func emptyVenv() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-empty-venv-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("auto without the managed server takes an Ollama that answers /api/version")
    func autoFallsBackToOllama() async throws {
        let ollama = try LoopbackServer { request, _ in
            request.path == "/api/version"
                ? LoopbackServer.http("200 OK", json: #"{"version":"0.12.3"}"#) : LoopbackServer.http("404 Not Found", json: "{}")
        }
        defer { ollama.stop() }
        let settings = try await Self.settings("model:\n  backend: auto\n  url: \(ollama.url)\n  venv: \(try Self.emptyVenv())\n")
        let narrator = try await ModelSetup.narrator(settings, logger: Logger(label: "test"))
        let backend = try #require(narrator.backend)
        #expect(backend.identity.backend == "ollama")
        #expect(backend.identity.model == ModelSetup.ollamaModel)
        #expect(backend.identity.options.contains("num_ctx=4096"))
        await backend.shutdown()
    }

    @Test("auto with neither: no model, and the reason names both places looked")
    func autoFindsNothing() async throws {
        let venv = try Self.emptyVenv()
        let url = "http://127.0.0.1:\(try LoopbackServer.closedPort())"
        let settings = try await Self.settings("model:\n  backend: auto\n  url: \(url)\n  venv: \(venv)\n")
        let narrator = try await ModelSetup.narrator(settings, logger: Logger(label: "test"))
        #expect(narrator.backend == nil)
        #expect(narrator.unavailableReason.contains("no model found (model.backend is auto)"))
        #expect(narrator.unavailableReason.contains(venv))
        #expect(narrator.unavailableReason.contains("scripts/setup-model"))
        #expect(narrator.unavailableReason.contains("no Ollama answered at \(url)"))
    }

    @Test("auto with a name that is no managed model means that Ollama model")
    func autoWithAnOllamaName() async throws {
        let settings = try await Self.settings("model:\n  backend: auto\n  name: llama3.1:8b\n")
        let narrator = try await ModelSetup.narrator(settings, logger: Logger(label: "test"))
        #expect(narrator.backend?.identity.backend == "ollama")
        #expect(narrator.backend?.identity.model == "llama3.1:8b")
        await narrator.backend?.shutdown()
    }

    @Test("managed with an unknown model name is a configuration error naming the key")
    func managedUnknownName() async throws {
        let settings = try await Self.settings("model:\n  backend: managed\n  name: mistral-7b\n")
        do {
            _ = try await ModelSetup.narrator(settings, logger: Logger(label: "test"))
            Issue.record("an unknown managed model was accepted")
        } catch {
            #expect(error.key == "model.name")
            #expect(error.reason.contains("smollm2-135m") && error.reason.contains("gemma3-270m"))
        }
    }

    @Test("openai and none; the options sent are the settings'")
    func explicitBackends() async throws {
        let openai = try await Self.settings(
            "model:\n  backend: openai\n  url: http://127.0.0.1:8080/v1\n  options:\n    num_ctx: 1024\n    seed: 7\n    num_gpu: 80\n")
        let narrator = try await ModelSetup.narrator(openai, logger: Logger(label: "test"))
        #expect(narrator.backend?.identity.backend == "openai")
        #expect(narrator.backend?.identity.baseURL == "http://127.0.0.1:8080")
        #expect(narrator.backend?.identity.options == "num_gpu=80, num_ctx=1024, temp=0.2, repeat_penalty=1.15, seed=7, num_predict=512")
        // A smaller window leaves the fact table less room.
        #expect(narrator.factBudget < Narrator.factBudget(contextSize: 4096, replyTokens: 512, persona: ReportJob.persona(openai)))
        await narrator.backend?.shutdown()

        let none = try await Self.settings("model:\n  backend: none\n")
        let off = try await ModelSetup.narrator(none, logger: Logger(label: "test"))
        #expect(off.backend == nil)
        #expect(off.unavailableReason == "no model configured (model.backend is none)")
    }
}
