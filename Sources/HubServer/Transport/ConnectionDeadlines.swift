import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes

/// Deadlines on every connection, so slow or idle clients cannot hold sockets, memory and upload slots:
///
/// - a new connection must deliver a complete request head within `header` (a slowloris trickling header
///   bytes is cut off there, however steadily it trickles);
/// - once the head is in, the whole body must arrive within `read`;
/// - between requests on a kept-alive connection, the next head must arrive within `idle`.
///
/// When a deadline passes the connection is closed without an answer. No deadline runs while the hub is
/// working on a request it has fully read.
///
/// Also: when the hub answers a request before having read its body (a refusal decided from the headers,
/// such as an unknown key), the answer says `Connection: close`, the hub stops sending and closes the
/// connection shortly after — it never drains a body it has already refused.
final class ConnectionDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    struct Limits: Sendable {
        var header: TimeAmount
        var read: TimeAmount
        var idle: TimeAmount
        /// How long a connection refused mid-body stays open for the client to read the answer.
        var linger: TimeAmount = .seconds(2)
    }

    let limits: Limits
    let logger: Logger
    private var deadline: Scheduled<Void>?
    /// A request head has arrived and its end has not.
    private var readingBody = false
    /// Requests read (at least their head) and not yet answered.
    private var inFlight = 0
    private var closeAfterAnswer = false

    init(limits: Limits, logger: Logger) {
        self.limits = limits
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context, limits.header, "header") }
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelActive(context: ChannelHandlerContext) {
        if deadline == nil { arm(context, limits.header, "header") }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            inFlight += 1
            readingBody = true
            arm(context, limits.read, "read")
        case .body:
            break
        case .end:
            readingBody = false
            disarm()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            // Answering the request whose body is still arriving: it will not be read any further.
            if readingBody && inFlight == 1 {
                closeAfterAnswer = true
                head.headerFields[.connection] = "close"
                context.write(wrapOutboundOut(.head(head)), promise: promise)
                return
            }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            inFlight = max(0, inFlight - 1)
            if closeAfterAnswer {
                context.writeAndFlush(data, promise: promise)
                // Half-close first so the client reads the answer before the socket goes (a full close with
                // unread input would send a reset that can destroy it), then close for good.
                context.close(mode: .output, promise: nil)
                arm(context, limits.linger, "linger")
                return
            }
            if inFlight == 0 && !readingBody { arm(context, limits.idle, "idle") }
            context.write(data, promise: promise)
        }
    }

    private func arm(_ context: ChannelHandlerContext, _ after: TimeAmount, _ phase: StaticString) {
        disarm()
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let logger = logger
        deadline = context.eventLoop.scheduleTask(in: after) {
            logger.debug("connection deadline passed, closing", metadata: ["phase": "\(phase)"])
            loopBound.value.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}

@available(*, unavailable)
extension ConnectionDeadlines: Sendable {}
