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
    /// (a `model.name` that is no managed model); a model that is simply not
    /// there gives a narrator that says why.
    package static func narrator(
        _ settings: Settings, executable: String = ModelSetup.executablePath, logger: Logger
    ) async throws(SettingsError) -> Narrator {
        let persona = ReportJob.persona(settings)
        let budget = Narrator.factBudget(
            contextSize: settings.model.options.numCtx, replyTokens: settings.model.options.numPredict, persona: persona)
        func narrator(_ backend: any ModelBackend) -> Narrator {
            Narrator(backend: backend, persona: persona, timeout: .milliseconds(Int(settings.model.timeoutSeconds * 1000)), factBudget: budget)
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
            let model = try managedModel(settings)
            do {
                return narrator(try managed(settings, model: model, executable: executable, logger: log))
            } catch {
                return Narrator(unavailable: error.description)
            }
        case .auto:
            // A name that is no managed model names an Ollama model.
            if settings.model.name.isEmpty || ManagedModel(rawValue: settings.model.name) != nil {
                let model = try managedModel(settings)
                do {
                    return narrator(try managed(settings, model: model, executable: executable, logger: log))
                } catch {
                    let url = settings.model.url.isEmpty ? ollamaURL : settings.model.url
                    if await OllamaBackend.answers(at: url, timeout: ollamaProbeTimeout) {
                        logger.info("no managed llama-server installed; using the Ollama that answers", metadata: ["url": "\(url)"])
                        return narrator(ollama(settings, logger: log))
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

    private static func ollama(_ settings: Settings, logger: Logger) -> OllamaBackend {
        OllamaBackend(
            baseURL: settings.model.url.isEmpty ? ollamaURL : settings.model.url,
            model: settings.model.name.isEmpty || ManagedModel(rawValue: settings.model.name) != nil ? ollamaModel : settings.model.name,
            options: options(settings.model.options), keepAlive: settings.model.keepAlive, logger: logger)
    }

    private static func managedModel(_ settings: Settings) throws(SettingsError) -> ManagedModel {
        if settings.model.name.isEmpty { return .default }
        guard let model = ManagedModel(rawValue: settings.model.name) else {
            let names = ManagedModel.allCases.map(\.rawValue).joined(separator: ", ")
            throw SettingsError(
                file: settings.configFile, key: Settings.Key.modelName.rawValue,
                reason: "'\(settings.model.name)' is not a model the managed llama-server runs (\(names))")
        }
        return model
    }

    private static func managed(
        _ settings: Settings, model: ManagedModel, executable: String, logger: Logger
    ) throws(LlamaInstallationError) -> ManagedLlamaServer {
        let venvs = settings.model.venv.isEmpty ? LlamaInstallation.defaultVenvs(executable: executable) : [settings.model.venv]
        let installation = try LlamaInstallation.locate(model: model, venvs: venvs)
        return ManagedLlamaServer(
            installation: installation, contextSize: settings.model.options.numCtx, options: options(settings.model.options),
            priority: settings.model.priority == .idle ? .idle : .normal, logDirectory: settings.state.directory + "/llama-server",
            logger: logger)
    }
}
