/// How the reply's JSON shape is asked for, strongest first. A server that
/// rejects one (HTTP 400) is asked with the next, and the backend remembers
/// what worked so later calls do not pay the rejection again.
enum ResponseFormat: Equatable {
    /// `{"type":"json_schema","json_schema":{"name":..,"schema":..}}` (llama.cpp, vLLM, LM Studio, OpenAI).
    case jsonSchema
    /// `{"type":"json_object"}`: JSON, shape unchecked.
    case jsonObject
    /// No `response_format`: the prompt alone asks for JSON.
    case none

    var weaker: ResponseFormat? {
        switch self {
        case .jsonSchema: .jsonObject
        case .jsonObject: ResponseFormat.none
        case .none: nil
        }
    }
}
