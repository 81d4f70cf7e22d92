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

    /// A venv as `scripts/setup-model` leaves it, with a `llama-server` that is
    /// only a script (nothing here starts it): its manifest lists `models`, each
    /// name's GGUF a small file in `models/`. Returns the venv and the GGUFs' paths.
    static func installedVenv(models: [String]) throws -> (venv: String, ggufs: [String: String]) {
        let venv = try emptyVenv()
        let files = FileManager.default
        try files.createDirectory(atPath: venv + "/bin", withIntermediateDirectories: true)
        try files.createDirectory(atPath: venv + "/models", withIntermediateDirectories: true)
        _ = files.createFile(atPath: venv + "/bin/llama-server", contents: Data("#!/bin/sh\nexit 1\n".utf8), attributes: [.posixPermissions: 0o755])
        var ggufs: [String: String] = [:]
        for model in models {
            ggufs[model] = venv + "/models/\(model)-q4_k_m.gguf"
            _ = files.createFile(atPath: venv + "/models/\(model)-q4_k_m.gguf", contents: Data("GGUF".utf8))
        }
        let manifest: [String: Any] = ["server": venv + "/bin/llama-server", "libraries": venv + "/bin", "models": ggufs]
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: venv + "/chimerad-models.json"))
        return (venv, ggufs)
    }

    /// A GGUF file outside every venv.
    static func looseGGUF(named name: String) throws -> String {
        let path = try emptyVenv() + "/" + name
        try Data("GGUF".utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("managed: model.name selects any model the manifest lists, a built-in one or not")
    func managedSelectsAManifestModel() async throws {
        let (venv, ggufs) = try Self.installedVenv(models: ["smollm2-135m", "gemma3-270m", "qwen2.5-coder-0.5b"])
        for name in ["qwen2.5-coder-0.5b", "gemma3-270m", ""] {
            let settings = try await Self.settings("model:\n  backend: managed\n  name: \"\(name)\"\n  venv: \(venv)\n")
            let expected = name.isEmpty ? ManagedModel.default.rawValue : name
            #expect(ModelSetup.managedChoice(settings, venvs: [venv]) == .named(expected))
            let narrator = try await ModelSetup.narrator(settings, logger: Logger(label: "test"))
            let server = try #require(narrator.backend as? ManagedLlamaServer, "\(narrator.unavailableReason)")
            #expect(server.identity.backend == "managed")
            #expect(server.identity.model == expected)
            #expect(server.installation.model == ggufs[expected])
            #expect(server.installation.server == venv + "/bin/llama-server")
            await server.shutdown()
        }
    }

    @Test("auto: a name the manifest lists is the managed model's; another is Ollama's")
    func autoSelectsAManifestModel() async throws {
        let (venv, _) = try Self.installedVenv(models: ["smollm2-135m", "qwen2.5-coder-0.5b"])
        let listed = try await Self.settings("model:\n  backend: auto\n  name: qwen2.5-coder-0.5b\n  venv: \(venv)\n")
        let managed = try await ModelSetup.narrator(listed, logger: Logger(label: "test"))
        #expect(managed.backend?.identity.backend == "managed")
        #expect(managed.backend?.identity.model == "qwen2.5-coder-0.5b")
        await managed.backend?.shutdown()

        let other = try await Self.settings("model:\n  backend: auto\n  name: qwen2.5-coder:0.5b\n  venv: \(venv)\n")
        #expect(ModelSetup.managedChoice(other, venvs: [venv]) == nil)
        let ollama = try await ModelSetup.narrator(other, logger: Logger(label: "test"))
        #expect(ollama.backend?.identity.backend == "ollama")
        #expect(ollama.backend?.identity.model == "qwen2.5-coder:0.5b")
        await ollama.backend?.shutdown()
    }

    @Test("managed and auto: model.gguf is loaded by the manifest's llama-server, named by its file name, whatever model.name says")
    func ggufIsTheManagedModel() async throws {
        let (venv, _) = try Self.installedVenv(models: ["smollm2-135m"])
        let gguf = try Self.looseGGUF(named: "Qwen2.5-Coder-1.5B-Instruct.Q4_K_M.gguf")
        for backend in ["managed", "auto"] {
            for name in ["", "smollm2-135m"] {
                let settings = try await Self.settings(
                    "model:\n  backend: \(backend)\n  name: \"\(name)\"\n  gguf: \(gguf)\n  venv: \(venv)\n")
                #expect(ModelSetup.managedChoice(settings, venvs: [venv]) == .gguf(gguf))
                let narrator = try await ModelSetup.narrator(settings, logger: Logger(label: "test"))
                let server = try #require(narrator.backend as? ManagedLlamaServer, "\(narrator.unavailableReason)")
                #expect(server.identity.model == "Qwen2.5-Coder-1.5B-Instruct.Q4_K_M")
                #expect(
                    server.installation
                        == LlamaInstallation(
                            server: venv + "/bin/llama-server", libraries: venv + "/bin", model: gguf,
                            modelName: "Qwen2.5-Coder-1.5B-Instruct.Q4_K_M"))
                await server.shutdown()
            }
        }
    }

    @Test("managed: model.gguf with no llama-server installed gives no model, and says where it looked")
    func ggufWithoutServer() async throws {
        let venv = try Self.emptyVenv()
        let gguf = try Self.looseGGUF(named: "tiny.gguf")
        let settings = try await Self.settings("model:\n  backend: managed\n  gguf: \(gguf)\n  venv: \(venv)\n")
        let narrator = try await ModelSetup.narrator(settings, logger: Logger(label: "test"))
        #expect(narrator.backend == nil)
        #expect(narrator.unavailableReason.contains("no llama-server with the \(gguf) model"))
        #expect(narrator.unavailableReason.contains(venv))
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

    @Test("managed with a name no manifest lists names the manifests' models too")
    func managedUnlistedName() async throws {
        let (venv, _) = try Self.installedVenv(models: ["smollm2-135m", "qwen2.5-coder-0.5b"])
        let settings = try await Self.settings("model:\n  backend: managed\n  name: qwen2.5-coder-1.5b\n  venv: \(venv)\n")
        do {
            _ = try await ModelSetup.narrator(settings, logger: Logger(label: "test"))
            Issue.record("a model no manifest lists was accepted")
        } catch {
            #expect(error.key == "model.name")
            #expect(error.reason.contains("'qwen2.5-coder-1.5b' is not a model the managed llama-server runs"))
            #expect(error.reason.contains("gemma3-270m, qwen2.5-coder-0.5b, smollm2-135m"))
        }
    }

    @Test("openai and none; the options sent are the settings'")
    func explicitBackends() async throws {
        let openai = try await Self.settings(
            "model:\n  backend: openai\n  url: http://127.0.0.1:8080/v1\n  options:\n    num_ctx: 1024\n    seed: 7\n    num_gpu: 80\n")
        let narrator = try await ModelSetup.narrator(openai, logger: Logger(label: "test"))
        #expect(narrator.backend?.identity.backend == "openai")
        #expect(narrator.backend?.identity.baseURL == "http://127.0.0.1:8080")
        #expect(narrator.backend?.identity.options == "num_gpu=80, num_ctx=1024, temp=0.2, repeat_penalty=1.15, seed=7, num_predict=768")
        // A smaller window leaves the fact table less room.
        #expect(narrator.factBudget < Narrator.factBudget(contextSize: 4096, replyTokens: 768, persona: ReportJob.persona(openai)))
        await narrator.backend?.shutdown()

        let none = try await Self.settings("model:\n  backend: none\n")
        let off = try await ModelSetup.narrator(none, logger: Logger(label: "test"))
        #expect(off.backend == nil)
        #expect(off.unavailableReason == "no model configured (model.backend is none)")
    }
}
