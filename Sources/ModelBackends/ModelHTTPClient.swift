import AsyncHTTPClient
import Logging
import Records
import ModelInterface

/// The HTTP side every model backend shares: one `HTTPClient` (so connections
/// are reused between reports), the server's base address, the timeouts, and
/// the mapping of what goes wrong on the wire to a `ModelCallError`.
/// `shutdown()` must be called before it is dropped (AsyncHTTPClient requires it).
struct ModelHTTPClient: Sendable {
    /// The server, without a trailing `/`.
    let base: String
    let connectTimeout: Duration
    /// The longest silence allowed between bytes of a reply.
    let readTimeout: Duration
    let logger: Logger
    private let client: HTTPClient

    init(base: String, connectTimeout: Duration, readTimeout: Duration, logger: Logger) {
        self.base = base
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.logger = logger
        var configuration = HTTPClient.Configuration()
        configuration.timeout = HTTPClient.Configuration.Timeout(
            connect: .nanoseconds(CallDeadline.nanoseconds(connectTimeout)),
            read: .nanoseconds(CallDeadline.nanoseconds(readTimeout))
        )
        // A local server that refuses a connection is down: say so now rather
        // than retry until the call's deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The server's address as requests are built on it: no trailing `/`,
    /// and without the API's own path (`/v1`, `/api`) that users often paste.
    static func base(of url: String, droppingAPIPath apiPath: String) -> String {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix(apiPath) { base.removeLast(apiPath.count) }
        return base
    }

    /// Closes the connections; the client is unusable afterwards.
    func shutdown() async {
        do {
            try await client.shutdown()
        } catch {
            logger.debug("closing the model server's connections failed", metadata: ["error": "\(error)"])
        }
    }

    // MARK: - Requests

    func get(_ path: String) -> HTTPClientRequest {
        HTTPClientRequest(url: base + path)
    }

    /// A `POST` of `body` as JSON, asking for a reply of type `accept` (the stream's).
    func post(_ path: String, json body: JSONValue, accept: String) -> HTTPClientRequest {
        var post = HTTPClientRequest(url: base + path)
        post.method = .POST
        post.headers.add(name: "Content-Type", value: "application/json")
        post.headers.add(name: "Accept", value: accept)
        post.body = .bytes(Array(body.text.utf8))
        return post
    }

    // MARK: - Exchanges

    /// Sends `request`, mapping what can go wrong before the response head.
    /// A pooled connection the server has closed meanwhile fails with "I/O on
    /// closed channel" or a reset before any answer: that is retried once, on a
    /// new connection (nothing was answered, so nothing is repeated).
    func send(_ request: HTTPClientRequest, deadline: CallDeadline) async throws(ModelCallError) -> HTTPClientResponse {
        var retried = false
        while true {
            if deadline.hasPassed { throw .timedOut(after: deadline.budget) }
            do {
                return try await client.execute(request, timeout: .nanoseconds(CallDeadline.nanoseconds(deadline.remaining)), logger: logger)
            } catch {
                let failure = transportFailure(error, deadline: deadline, streamed: nil)
                guard !retried, Self.mayBeStaleConnection(failure) else { throw failure }
                logger.debug("retrying on a new connection", metadata: ["url": "\(request.url)", "error": "\(error)"])
                retried = true
            }
        }
    }

    /// Connection-level failures other than refusal and timeouts.
    private static func mayBeStaleConnection(_ failure: ModelCallError) -> Bool {
        switch failure {
        case .streamClosedEarly: true
        case .unreachable(_, _, let cause): cause == .other
        default: false
        }
    }

    /// A whole (small) body: error messages, `/props`.
    func collect(_ response: HTTPClientResponse, deadline: CallDeadline) async throws(ModelCallError) -> [UInt8] {
        do {
            return Array(try await response.body.collect(upTo: 1 << 20).readableBytesView)
        } catch {
            throw transportFailure(error, deadline: deadline, streamed: 0)
        }
    }

    /// Runs `exchange` with `format`, and after an HTTP 400 (the server
    /// rejecting how the reply's shape was asked for) once more with each
    /// weaker format in turn. Returns the reply and the format that worked,
    /// for the backend to remember so later calls skip the rejections.
    func withWeakerFormats<T>(
        from format: ResponseFormat,
        _ exchange: (ResponseFormat) async throws(ModelCallError) -> T
    ) async throws(ModelCallError) -> (T, ResponseFormat) {
        var format = format
        while true {
            do throws(ModelCallError) {
                return (try await exchange(format), format)
            } catch {
                guard case .httpStatus(400, let message) = error, let weaker = format.weaker else { throw error }
                logger.notice(
                    "model server rejected the response format; asking with a weaker one",
                    metadata: ["rejected": "\(format)", "next": "\(weaker)", "reason": "\(message)"]
                )
                format = weaker
            }
        }
    }

    /// A transport error as a `ModelCallError`. `streamed` is nil before the
    /// response head (the server was not reached or did not answer), else the
    /// characters of reply received before the stream broke.
    func transportFailure(_ error: any Error, deadline: CallDeadline, streamed: Int?) -> ModelCallError {
        if let error = error as? ModelCallError { return error }
        if let error = error as? HTTPClientError {
            if error == .readTimeout { return .timedOut(after: readTimeout) }
            if error == .deadlineExceeded || error == .cancelled { return .timedOut(after: deadline.budget) }
            if error == .connectTimeout {
                return .unreachable(
                    url: base, reason: "connecting timed out after \(ModelCallError.seconds(connectTimeout)) s", cause: .connectTimedOut)
            }
            if error == .remoteConnectionClosed { return .streamClosedEarly(receivedCharacters: streamed ?? 0) }
        }
        if error is CancellationError { return .timedOut(after: deadline.budget) }
        if let streamed { return .streamClosedEarly(receivedCharacters: streamed) }
        let text = String(describing: error)
        // NIO's connect errors read e.g. "connection reset (error set): Connection refused (errno: 111)".
        if text.lowercased().contains("refused") { return .unreachable(url: base, reason: "connection refused", cause: .refused) }
        return .unreachable(url: base, reason: ModelCallError.oneLine(text, limit: 120))
    }
}
