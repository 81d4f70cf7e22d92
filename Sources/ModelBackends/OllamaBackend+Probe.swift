import Logging
import ModelInterface

extension OllamaBackend {
    /// Whether an Ollama answers at `baseURL` (`GET /api/version` is 200)
    /// within `timeout`: `model.backend: auto` asks before choosing it, so a
    /// machine without one gets "no model" at once instead of failing reports.
    package static func answers(at baseURL: String, timeout: Duration) async -> Bool {
        let base = ModelHTTPClient.base(of: baseURL, droppingAPIPath: apiPath)
        let http = ModelHTTPClient(
            base: base, connectTimeout: timeout, readTimeout: timeout, logger: Logger(label: "chimerad.model.ollama"))
        let deadline = CallDeadline(budget: timeout)
        let answered: Bool
        do throws(ModelCallError) {
            let response = try await http.send(http.get("/api/version"), deadline: deadline)
            _ = try await http.collect(response, deadline: deadline)
            answered = response.status.code == 200
        } catch {
            answered = false
        }
        await http.shutdown()
        return answered
    }
}
