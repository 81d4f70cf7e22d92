/// What a failed run's message says went wrong, by kind rather than by exact
/// text: "Failed to connect to Ollama", "[WinError 10061] ... refused" and
/// "connection refused" are one cause, so a report says it once.
package enum FailureCause: String, Sendable, CaseIterable, Comparable {
    /// The server was not there: refused, unreachable, reset.
    case connection
    /// The address itself was wrong (0.0.0.0 as a client address, a bad URL, an unknown host).
    case badAddress = "bad_address"
    case timeout
    case outOfMemory = "out_of_memory"
    /// The server's model runner died under the request (Ollama's "llama
    /// runner process has terminated", a segmentation fault).
    case runnerCrashed = "runner_crashed"
    /// The server did not know the model.
    case modelNotFound = "model_not_found"
    /// The server answered with an error of its own (HTTP 5xx).
    case serverError = "server_error"
    /// The run finished without producing anything to measure.
    case noOutput = "no_output"
    case other

    /// Reads a message; the first kind whose words it holds wins.
    package init(message: String) {
        let text = message.lowercased()
        // Whole words for short or numeric tokens ("oom" is not in "bloom",
        // "500" not in "took 500 ms" alone), phrases anywhere.
        let words = Set(text.split { !$0.isLetter && !$0.isNumber }.map(String.init))
        func has(_ phrases: [String]) -> Bool {
            phrases.contains { phrase in
                phrase.contains(" ") || phrase.count > 6 ? text.contains(phrase) : words.contains(phrase)
            }
        }
        if has(["10049", "address is not valid", "invalid url", "name or service not known", "getaddrinfo", "nodename nor servname", "no such host"])
        {
            self = .badAddress
        } else if has([
            "failed to connect", "connection refused", "could not connect", "connect call failed", "10061", "econnrefused",
            "connection reset", "connection aborted", "unreachable", "remote end closed", "max retries exceeded", "winerror 10061",
        ]) {
            self = .connection
        } else if has(["timed out", "timeout", "deadline exceeded"]) {
            self = .timeout
        } else if has([
            "out of memory", "oom", "cudamalloc", "insufficient memory", "cannot allocate memory", "memoryerror",
            // Ollama: "model requires more system memory (21.5 GiB) than is available (15.2 GiB)".
            "more system memory", "not enough memory", "failed to allocate", "unable to allocate", "no available memory",
            // llama.cpp's Vulkan backend.
            "outofdevicememory", "memory allocation of size",
        ]) {
            self = .outOfMemory
        } else if has([
            "runner process has terminated", "unexpectedly stopped", "runner process no longer running", "segmentation fault", "segfault",
            "core dumped", "sigsegv", "sigabrt",
        ]) {
            self = .runnerCrashed
        } else if has(["not found", "pull it first", "no such model", "unknown model"]) {
            self = .modelNotFound
        } else if has([
            "http 500", "http 502", "http 503", "status 500", "status 502", "status 503", "internal server error", "bad gateway",
            "service unavailable",
        ]) {
            self = .serverError
        } else if has(["no tokens generated", "no measurements recorded", "no inference data", "empty response"]) {
            self = .noOutput
        } else {
            self = .other
        }
    }

    /// How reports name the cause.
    package var label: String {
        switch self {
        case .connection: "could not connect to the server"
        case .badAddress: "the server's address was not valid"
        case .timeout: "timed out"
        case .outOfMemory: "ran out of memory"
        case .runnerCrashed: "the model runner crashed"
        case .modelNotFound: "the model was not found"
        case .serverError: "the server returned an error"
        case .noOutput: "produced no output"
        case .other: "other errors"
        }
    }

    package static func < (a: FailureCause, b: FailureCause) -> Bool {
        allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
    }
}
