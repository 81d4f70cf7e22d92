import NIOCore
import NIOEmbedded
import Testing

@testable import Serving

/// A client that stops reading loses its connection once nothing could be
/// written to it for the limit; one that reads again keeps it.
@Suite("Stalled writes")
struct StalledWriteTimeoutTests {
    static func connected() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: StalledWriteTimeout(limit: .seconds(10)))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9464)).wait()
        return channel
    }

    @Test("unwritable for the whole limit: closed")
    func aClientThatStopsReadingIsDropped() throws {
        let channel = try Self.connected()
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }

    @Test("writable again within the limit: kept, however long it stays open")
    func aClientThatReadsAgainIsKept() throws {
        let channel = try Self.connected()
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.advanceTime(by: .seconds(9))
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(channel.isActive)
        _ = try channel.finish()
    }
}
