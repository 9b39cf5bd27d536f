import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A bare TCP connection to a test server, for what an HTTP client will not do: trickle bytes, stall, send a
/// head and never the body. Collects what the server sends; `isOpen` turns false when the server closes.
final class RawClient: Sendable {
    let channel: any Channel
    private let received: NIOLockedValueBox<[UInt8]>

    private init(channel: any Channel, received: NIOLockedValueBox<[UInt8]>) {
        self.channel = channel
        self.received = received
    }

    static func connect(port: Int, host: String = "127.0.0.1") async throws -> RawClient {
        let box = NIOLockedValueBox<[UInt8]>([])
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Collector(box: box)) }
            }
            .connect(host: host, port: port).get()
        return RawClient(channel: channel, received: box)
    }

    func send(_ text: String) async throws { try await channel.writeAndFlush(ByteBuffer(string: text)).get() }
    var text: String { String(decoding: received.withLockedValue { $0 }, as: UTF8.self) }
    var isOpen: Bool { channel.isActive }
    func close() { channel.close(promise: nil) }

    /// `GET path` on a connection of its own (`Connection: close`); the status line, or "" when no answer came
    /// within `timeout`. For checks that must not depend on a kept-alive connection the hub may have closed.
    static func status(port: Int, _ path: String, timeout: Duration = .seconds(5)) async throws -> String {
        let connection = try await RawClient.connect(port: port)
        defer { connection.close() }
        try await connection.send("GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        _ = try await eventually(timeout) { connection.text.contains("\r\n") }
        // ("\r\n" is one Character in Swift: split on the string, not on "\r".)
        return connection.text.components(separatedBy: "\r\n").first ?? ""
    }

    /// Waits until `condition` holds or `timeout` passes; true when it held.
    static func eventually(_ timeout: Duration, _ condition: () -> Bool) async throws -> Bool {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let box: NIOLockedValueBox<[UInt8]>
        init(box: NIOLockedValueBox<[UInt8]>) { self.box = box }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            box.withLockedValue { $0 += bytes }
        }
    }
}
