import NIOCore

/// Closes a connection whose client stops reading. While a response cannot
/// go out (the socket's buffer full, the channel unwritable) the connection
/// holds one of the server's few slots and the file it is sending; a client
/// that pipelines requests for a large report and never reads would hold
/// them for good (no read, so the idle timeout never fires). Unwritable for
/// `limit`, the connection is closed.
final class StalledWriteTimeout: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    static let limit = TimeAmount.seconds(10)

    private let limit: TimeAmount
    private var closing: Scheduled<Void>?

    init(limit: TimeAmount = StalledWriteTimeout.limit) {
        self.limit = limit
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            closing?.cancel()
            closing = nil
        } else if closing == nil {
            let channel = context.channel
            closing = context.eventLoop.scheduleTask(in: limit) { channel.close(promise: nil) }
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        closing?.cancel()
        closing = nil
        context.fireChannelInactive()
    }
}
