import Foundation
import ModelInterface

/// An error body as OpenAI-compatible servers write it:
/// `{"error":{"message":..,"type":..,"code":..}}` (OpenAI, llama.cpp, vLLM),
/// `{"error":"text"}`, `{"detail":..}` or `{"message":..}`. Read loosely: any
/// of them, or the raw text, becomes the message.
struct ServerErrorBody {
    /// The `error` object (or string) of a body or a stream chunk.
    struct Detail: Decodable {
        var message: String?
        var type: String?
        var code: String?
        /// llama.cpp's context overflow figures.
        var nPromptTokens: Int?
        var nCtx: Int?

        init(message: String?) {
            self.message = message
        }

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                message = text
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            message = try? container.decode(String.self, forKey: .message)
            type = try? container.decode(String.self, forKey: .type)
            // `code` is a number (llama.cpp: 400) or a string (OpenAI: "model_not_found").
            code = (try? container.decode(String.self, forKey: .code)) ?? (try? container.decode(Int.self, forKey: .code)).map(String.init)
            nPromptTokens = try? container.decode(Int.self, forKey: .nPromptTokens)
            nCtx = try? container.decode(Int.self, forKey: .nCtx)
        }

        private enum CodingKeys: String, CodingKey {
            case message, type, code, nPromptTokens, nCtx
        }

        /// Whether the server says the prompt did not fit (llama.cpp's type, or the wording of others).
        var isContextOverflow: Bool {
            if type == "exceed_context_size_error" || code == "context_length_exceeded" { return true }
            let text = (message ?? "").lowercased()
            return text.contains("context") && (text.contains("exceed") || text.contains("too long") || text.contains("maximum context"))
        }

        var isModelNotFound: Bool {
            code == "model_not_found" || type == "model_not_found"
        }
    }

    private struct Envelope: Decodable {
        var error: Detail?
        var detail: String?
        var message: String?
    }

    var detail: Detail

    init(bytes: [UInt8]) {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        if let envelope = try? decoder.decode(Envelope.self, from: Data(bytes)) {
            if let error = envelope.error {
                detail = error
                return
            }
            if let text = envelope.detail ?? envelope.message {
                detail = Detail(message: text)
                return
            }
        }
        let raw = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        detail = Detail(message: raw.isEmpty ? nil : raw)
    }

    var message: String { ModelCallError.oneLine(detail.message ?? "") }
}
