import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Settings
import Systemd

/// `http.listen`: serves the output folder's published reports, their
/// index, the regressions feed and the daemon's metrics, read-only, beside
/// the daemon (a `Service` in the same group, shut down gracefully with it).
///
/// Hummingbird's HTTP/1 channel handles the protocol; the listening socket
/// is either bound here (`HOST:PORT`) or the one systemd passed
/// (`chimerad.socket`), which Hummingbird's own server cannot take, hence
/// the accept loop here. Nothing is shared with the pipeline but files it
/// has published and the metrics registry, both only read: a slow client
/// or a scrape costs the server's own work, never a report's. Files are read
/// on NIO's thread pool, off the tasks the daemon's loop runs on.
///
/// ```swift
/// let server = try await ReportServer.listening(.address(host: "127.0.0.1", port: 9464), outputDirectory: { "/srv/reports" }, metrics: registry, logger: logger)
/// let group = ServiceGroup(services: [daemon, server], logger: logger)
/// ```
package struct ReportServer: Service {
    package let listen: Settings.HTTP.Listen
    package let site: ReportSite
    private let logger: Logger
    private let http: HTTP1Channel
    private let server: NIOAsyncChannel<HTTP1Channel.Value, Never>

    /// Connections served at once; more wait in the listen queue.
    static let connectionLimit = 16

    /// A bind failure: the configuration asked for a server that cannot run.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// The address it listens on.
    package var localAddress: SocketAddress? { server.channel.localAddress }

    /// Binds (or takes the passed socket) now, before the daemon starts: a
    /// server that cannot listen stops chimerad at once, as a configuration
    /// error does, before any report. `outputDirectory` is asked at each
    /// request: a reload may move the output folder, and the server follows it.
    package static func listening(
        _ listen: Settings.HTTP.Listen, outputDirectory: @escaping @Sendable () -> String, metrics: (any MetricsExposition)?,
        logger: Logger
    ) async throws(Failure) -> ReportServer {
        let site = ReportSite(folder: outputDirectory, metrics: metrics)
        let http = HTTP1Channel(
            responder: { request, writer, _ in
                let response = try await ReportServer.respond(to: request, site: site)
                try await writer.write(response: response.head, body: response.body)
            },
            // An idle keep-alive connection is closed rather than holding a
            // slot (`connectionLimit`) for long, and so is one that trickles
            // its request's body (a trickled head never leaves the decoder,
            // so the idle timeout catches it).
            configuration: .init(additionalChannelHandlers: [RequestDeadline()], idleTimeout: .seconds(10)))
        let server = try await bind(listen, http, logger: logger)
        return ReportServer(listen: listen, site: site, logger: logger, http: http, server: server)
    }

    private init(
        listen: Settings.HTTP.Listen, site: ReportSite, logger: Logger, http: HTTP1Channel,
        server: NIOAsyncChannel<HTTP1Channel.Value, Never>
    ) {
        self.listen = listen
        self.site = site
        self.logger = logger
        self.http = http
        self.server = server
    }

    package func run() async throws {
        let (http, server, logger) = (self.http, self.server, self.logger)
        logger.notice(
            "serving reports over HTTP",
            metadata: ["listen": "\(listen.text)", "address": "\(localAddress.map { "\($0)" } ?? "?")"])
        let slots = ConnectionSlots(ReportServer.connectionLimit)
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                do {
                    try await server.executeThenClose { connections in
                        var next = connections.makeAsyncIterator()
                        while await withTaskCancellationHandler(operation: { await slots.take() }, onCancel: { slots.close() }) {
                            guard let connection = try await next.next() else {
                                slots.give()
                                break
                            }
                            group.addTask {
                                defer { slots.give() }
                                await http.handle(value: connection, logger: logger)
                            }
                        }
                    }
                } catch  where !Task.isCancelled {
                    logger.error("the HTTP server stopped accepting connections", metadata: ["error": "\(error)"])
                } catch {
                    // Cancelled with the service group: nothing to say.
                }
                // Stopping: requests in flight are short reads; keep-alive
                // connections are not waited for.
                group.cancelAll()
            }
        } onGracefulShutdown: {
            slots.close()
            server.channel.close(promise: nil)
        }
        logger.info("HTTP server stopped")
    }

    /// The listening channel `listen` asks for.
    private static func bind(
        _ listen: Settings.HTTP.Listen, _ http: HTTP1Channel, logger: Logger
    ) async throws(Failure) -> NIOAsyncChannel<HTTP1Channel.Value, Never> {
        // No options on accepted connections: inside the unit's sandbox,
        // setting TCP_NODELAY on a connection accepted from chimerad.socket's
        // socket failed with EACCES (the real-systemd test showed it), and
        // responses go out whole in one write anyway.
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(AcceptErrorLog(logger: logger)) }
            }
        let setUp: @Sendable (any Channel) -> EventLoopFuture<HTTP1Channel.Value> = { channel in
            channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(StalledWriteTimeout()) }
                .flatMap { http.setup(channel: channel, logger: logger) }
        }
        switch listen {
        case .off:
            throw Failure(description: "http.listen is off; there is nothing to serve")
        case .address(let host, let port):
            do {
                return try await bootstrap.bind(host: host, port: port, childChannelInitializer: setUp)
            } catch let error as IOError {
                // The system's words, not NIO's call signature (`bind(descriptor:ptr:bytes:): ...`).
                let reason = String(cString: strerror(error.errnoCode))
                throw Failure(description: "http.listen \(listen.text): cannot listen there: \(reason) (errno \(error.errnoCode))")
            } catch {
                throw Failure(description: "http.listen \(listen.text): cannot listen there: \(error)")
            }
        case .systemd:
            let descriptor: Int32
            do {
                descriptor = try PassedSocket.listening()
            } catch {
                throw Failure(description: error.description)
            }
            do {
                return try await bootstrap.bind(descriptor, childChannelInitializer: setUp)
            } catch {
                throw Failure(description: "http.listen systemd: the passed socket cannot be used: \(error)")
            }
        }
    }
}

extension ReportServer: CustomStringConvertible {
    /// How service-lifecycle names it in the log, without its internals.
    package var description: String { "ReportServer" }
}
