import Foundation
import Logging
import ModelBackends
import Narration
import Settings
import ModelInterface

/// Turns the `model.*` settings into the narrator reports use: which backend,
/// at which address, with which options. `auto` takes the managed llama-server
/// when `scripts/setup-model` installed it, else an Ollama that answers on
/// 127.0.0.1:11434, else no model (the reports say why).
package enum ModelSetup {
    /// Ollama's address when `model.url` is empty.
    package static let ollamaURL = "http://127.0.0.1:11434"
    /// The Ollama model when `model.name` is empty: the same Gemma 3 270M the managed server runs.
    package static let ollamaModel = "gemma3:270m"
    /// How long `auto` waits for an Ollama to answer before settling for no model.
    static let ollamaProbeTimeout = Duration.milliseconds(800)

    /// The narrator for `settings`. Fails only on a configuration error
    /// (for `managed`, a `model.name` that is neither one of `ManagedModel`'s
    /// nor listed by a venv's manifest); a model that is simply not there gives
    /// a narrator that says why.
    package static func narrator(
        _ settings: Settings, executable: String = ModelSetup.executablePath, logger: Logger
    ) async throws(SettingsError) -> Narrator {
        let persona = ReportJob.persona(settings)
        let budget = Narrator.factBudget(
            contextSize: settings.model.options.numCtx, replyTokens: settings.model.options.numPredict, persona: persona)
        func narrator(_ backend: any ModelBackend) -> Narrator {
            Narrator(
                backend: backend, persona: persona,
                timeout: settings.model.timeoutSeconds > 0 ? .milliseconds(Int(settings.model.timeoutSeconds * 1000)) : nil,
                replyTokens: settings.model.options.numPredict, factBudget: budget)
        }
        let log = Logger(label: "chimerad.model")
        switch settings.model.backend {
        case .none:
            return Narrator(unavailable: ReportJob.noModelReason(settings))
        case .openai:
            return narrator(
                OpenAICompatibleBackend(
                    baseURL: settings.model.url, model: settings.model.name.isEmpty ? "default" : settings.model.name,
                    options: options(settings.model.options), logger: log))
        case .ollama:
            return narrator(ollama(settings, logger: log))
        case .managed:
            let venvs = managedVenvs(settings, executable: executable)
            guard let choice = managedChoice(settings, venvs: venvs) else { throw unknownManagedModel(settings, venvs: venvs) }
            do {
                return narrator(try managed(settings, choice: choice, venvs: venvs, logger: log))
            } catch {
                return Narrator(unavailable: error.description)
            }
        case .auto:
            // A name that is no managed model (and no manifest lists) names an Ollama model.
            let venvs = managedVenvs(settings, executable: executable)
            if let choice = managedChoice(settings, venvs: venvs) {
                do {
                    return narrator(try managed(settings, choice: choice, venvs: venvs, logger: log))
                } catch {
                    let url = settings.model.url.isEmpty ? ollamaURL : settings.model.url
                    if await OllamaBackend.answers(at: url, timeout: ollamaProbeTimeout) {
                        logger.info("no managed llama-server installed; using the Ollama that answers", metadata: ["url": "\(url)"])
                        let named = settings.model.name.isEmpty || managedChoice(settings, venvs: venvs, ignoringGGUF: true) != nil
                        return narrator(ollama(settings, model: named ? ollamaModel : settings.model.name, logger: log))
                    }
                    return Narrator(
                        unavailable: "no model found (model.backend is auto): \(error); no Ollama answered at \(url)")
                }
            }
            return narrator(ollama(settings, logger: log))
        }
    }

    /// The options every call sends, from `model.options.*`.
    package static func options(_ values: Settings.ModelOptionValues) -> ModelOptions {
        ModelOptions(
            temperature: values.temperature, topP: values.topP, topK: values.topK, repeatPenalty: values.repeatPenalty,
            seed: values.seed, maxTokens: values.numPredict, contextSize: values.numCtx, gpuLayers: values.numGPU)
    }

    /// This process's binary, for finding a venv beside the checkout it was built in.
    package static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first ?? "chimerad"
    }

    /// The Ollama backend; `model` defaults to `model.name`, or Gemma 3 270M when that is empty or a managed model's name.
    private static func ollama(_ settings: Settings, model: String? = nil, logger: Logger) -> OllamaBackend {
        OllamaBackend(
            baseURL: settings.model.url.isEmpty ? ollamaURL : settings.model.url,
            model: model
                ?? (settings.model.name.isEmpty || ManagedModel(rawValue: settings.model.name) != nil ? ollamaModel : settings.model.name),
            options: options(settings.model.options), keepAlive: settings.model.keepAlive, logger: logger)
    }

    /// What the managed llama-server runs: the GGUF file `model.gguf` names, or a model a manifest lists by name.
    package enum ManagedChoice: Sendable, Equatable {
        case gguf(String)
        case named(String)
    }

    /// The venvs the managed llama-server is looked for in: `model.venv`, else the usual places.
    package static func managedVenvs(_ settings: Settings, executable: String = ModelSetup.executablePath) -> [String] {
        settings.model.venv.isEmpty ? LlamaInstallation.defaultVenvs(executable: executable) : [settings.model.venv]
    }

    /// What the managed llama-server is to run for `settings`: `model.gguf` when set
    /// (unless `ignoringGGUF`), else `model.name` when it is one of `ManagedModel`'s or a
    /// manifest in `venvs` lists it, else (empty) the default model; nil for any other name.
    package static func managedChoice(_ settings: Settings, venvs: [String], ignoringGGUF: Bool = false) -> ManagedChoice? {
        if !settings.model.gguf.isEmpty, !ignoringGGUF { return .gguf(settings.model.gguf) }
        let name = settings.model.name
        if name.isEmpty { return .named(ManagedModel.default.rawValue) }
        if ManagedModel(rawValue: name) != nil || LlamaInstallation.listedModels(venvs: venvs).contains(name) { return .named(name) }
        return nil
    }

    private static func unknownManagedModel(_ settings: Settings, venvs: [String]) -> SettingsError {
        let names = Set(ManagedModel.allCases.map(\.rawValue) + LlamaInstallation.listedModels(venvs: venvs)).sorted()
        return SettingsError(
            file: settings.configFile, key: Settings.Key.modelName.rawValue,
            reason: "'\(settings.model.name)' is not a model the managed llama-server runs (\(names.joined(separator: ", ")); "
                + "scripts/setup-model --with NAME installs the optional ones, model.gguf names any GGUF file)")
    }

    /// The installation `choice` names, found in `venvs`.
    package static func installation(_ choice: ManagedChoice, venvs: [String]) throws(LlamaInstallationError) -> LlamaInstallation {
        switch choice {
        case .gguf(let path): try LlamaInstallation.locate(gguf: path, venvs: venvs)
        case .named(let name): try LlamaInstallation.locate(modelNamed: name, venvs: venvs)
        }
    }

    private static func managed(
        _ settings: Settings, choice: ManagedChoice, venvs: [String], logger: Logger
    ) throws(LlamaInstallationError) -> ManagedLlamaServer {
        let installation = try Self.installation(choice, venvs: venvs)
        return ManagedLlamaServer(
            installation: installation, contextSize: settings.model.options.numCtx, options: options(settings.model.options),
            priority: settings.model.priority == .idle ? .idle : .normal, logDirectory: settings.state.directory + "/llama-server",
            logger: logger)
    }
}
