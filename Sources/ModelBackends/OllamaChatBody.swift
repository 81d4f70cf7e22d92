import Records
import ModelInterface

/// The JSON body of Ollama's `POST /api/chat`, built as a `JSONValue` so the
/// schema's keys keep their order. Sampling options go in `options` under
/// Ollama's names, only when set (an unset one keeps the model's default);
/// `num_ctx` always goes, since Ollama silently cuts a prompt longer than its
/// default context, and the same value each call keeps the model loaded
/// rather than reloaded for a new size.
enum OllamaChatBody {
    static func make(
        model: String, request: ModelRequest, options: ModelOptions, contextSize: Int, format: ResponseFormat, keepAlive: String
    ) -> JSONValue {
        var messages: [JSONValue] = []
        if !request.system.isEmpty { messages.append(message("system", request.system)) }
        messages.append(message("user", request.user))

        let settings: [(key: String, value: Double?)] = [
            ("num_gpu", options.gpuLayers.map(Double.init)),
            ("num_ctx", Double(contextSize)),
            ("temperature", options.temperature),
            ("top_p", options.topP),
            ("top_k", options.topK.map(Double.init)),
            ("repeat_penalty", options.repeatPenalty),
            ("seed", options.seed.map(Double.init)),
            ("num_predict", options.maxTokens.map(Double.init)),
        ]
        let sent = settings.compactMap { setting in setting.value.map { (key: setting.key, value: JSONValue.number($0)) } }

        var members: [(key: String, value: JSONValue)] = [
            ("model", .string(model)),
            ("messages", .array(messages)),
            ("stream", .bool(true)),
            ("options", .object(sent)),
            // How long the model stays loaded after the call: until the next report, ideally.
            // A bare number is seconds (-1: for ever), which Ollama reads as a number only.
            ("keep_alive", Double(keepAlive).map(JSONValue.number) ?? .string(keepAlive)),
        ]
        if let schema = request.schema {
            // Ollama ≥ 0.5 takes the schema itself (structured outputs); older ones only "json".
            switch format {
            case .jsonSchema: members.append(("format", schema))
            case .jsonObject: members.append(("format", .string("json")))
            case .none: break
            }
        }
        return .object(members)
    }

    private static func message(_ role: String, _ content: String) -> JSONValue {
        .object([("role", .string(role)), ("content", .string(content))])
    }
}
