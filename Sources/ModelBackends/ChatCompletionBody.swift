import Records
import ModelInterface

/// The JSON body of `POST /v1/chat/completions`, built as a `JSONValue` so
/// the schema's keys keep their order. Only set options are sent: an unset
/// one leaves the server's default, and strict servers reject unknown fields
/// only when they are present.
enum ChatCompletionBody {
    static func make(model: String, request: ModelRequest, options: ModelOptions, format: ResponseFormat) -> JSONValue {
        var messages: [JSONValue] = []
        if !request.system.isEmpty { messages.append(message("system", request.system)) }
        messages.append(message("user", request.user))

        var members: [(key: String, value: JSONValue)] = [
            ("model", .string(model)),
            ("messages", .array(messages)),
            ("stream", .bool(true)),
            // Asks for a last chunk with `usage`, for servers without llama.cpp's `timings`.
            ("stream_options", .object([("include_usage", .bool(true))])),
        ]
        if let value = options.temperature { members.append(("temperature", .number(value))) }
        if let value = options.topP { members.append(("top_p", .number(value))) }
        // top_k and repeat_penalty are llama.cpp and vLLM extensions of the OpenAI API.
        if let value = options.topK { members.append(("top_k", .number(Double(value)))) }
        if let value = options.repeatPenalty { members.append(("repeat_penalty", .number(value))) }
        if let value = options.seed { members.append(("seed", .number(Double(value)))) }
        if let value = options.maxTokens { members.append(("max_tokens", .number(Double(value)))) }

        if let schema = request.schema {
            switch format {
            case .jsonSchema:
                let named: JSONValue = .object([("name", .string(request.schemaName)), ("schema", schema)])
                members.append(("response_format", .object([("type", .string("json_schema")), ("json_schema", named)])))
            case .jsonObject:
                members.append(("response_format", .object([("type", .string("json_object"))])))
            case .none:
                break
            }
        }
        return .object(members)
    }

    private static func message(_ role: String, _ content: String) -> JSONValue {
        .object([("role", .string(role)), ("content", .string(content))])
    }
}
