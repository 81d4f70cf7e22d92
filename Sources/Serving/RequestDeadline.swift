import NIOCore
import NIOHTTPTypes

/// Closes a connection that does not send a whole request in time.
///
/// The server holds few connections at once (`ReportServer.connectionLimit`),
/// and the idle timeout only fires after a silence of decoded parts: a head
/// trickled a byte at a time yields none and is caught, but a request whose
/// body came a byte a second (slowloris) kept its slot for good, and twenty
/// such clients kept `/metrics` and every report from everyone else. A request
/// (head and body) must now arrive whole within `limit` of the moment the
/// connection is free to take one: when it opens, and when the last response
/// it asked for has been handed to the socket's pipeline (a reader slower
/// than the buffer drains has the idle timeout to reckon with, as before).
/// While a response is owed the clock stops; a client that stops reading it
/// is `StalledWriteTimeout`'s. The server may answer before a request's body
/// has arrived (it drains the body after): the clock then runs until it has.
///
///     HTTP1Channel(responder: respond, configuration: .init(additionalChannelHandlers: [RequestDeadline()]))
final class RequestDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    static let limit = TimeAmount.seconds(10)

    private let limit: TimeAmount
    private var closing: Scheduled<Void>?
    /// Requests received whole, and responses finished: while fewer
    /// responses than requests are finished, one is owed and the clock stops.
    private var requests = 0
    private var responses = 0

    init(limit: TimeAmount = RequestDeadline.limit) {
        self.limit = limit
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) {
            requests += 1
            // Answered already (before its body ended): the connection is
            // free now, and the next request has the limit.
            if responses >= requests { arm(context) } else { disarm() }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            responses += 1
            if responses >= requests { arm(context) }
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    private func arm(_ context: ChannelHandlerContext) {
        closing?.cancel()
        let channel = context.channel
        closing = context.eventLoop.scheduleTask(in: limit) { channel.close(promise: nil) }
    }

    private func disarm() {
        closing?.cancel()
        closing = nil
    }
}
