import Logging
import NIOCore

/// Sits on the listening channel: an error setting up one accepted
/// connection (an option refused, the client gone) is logged and goes no
/// further. Without it, NIO passes the error up the listening channel, which
/// ends the stream of connections, and with it the server, for one bad client.
final class AcceptErrorLog: ChannelInboundHandler, Sendable {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.warning("an HTTP connection could not be set up", metadata: ["error": "\(error)"])
    }
}
