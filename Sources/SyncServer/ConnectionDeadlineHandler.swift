import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client is too slow: a request head that does not arrive within the header timeout, a
/// body that stalls or trickles below the minimum rate, a kept-alive connection left idle, and, once the server is
/// shutting down, any connection still open after the shutdown timeout.
///
/// It sits after the HTTP decoder, so it sees whole request parts: the time to a head is counted from the connection
/// opening (or from the previous response, for a kept-alive connection), and body bytes as they are decoded. One
/// repeating check on the connection's event loop compares the state with the clock; nothing is scheduled per byte.
final class ConnectionDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Where the connection is in its request cycle.
    enum Phase {
        /// Waiting for a request head that must be complete by `deadline`.
        case awaitingHead(deadline: NIODeadline)
        /// Reading a request body that began at `start`.
        case readingBody(start: NIODeadline, received: Int, lastProgress: NIODeadline)
        /// The request has been read; the server is answering it.
        case answering
    }

    let limits: SyncServerLimits
    private var phase: Phase
    private var responsePending = false
    private var shutdownDeadline: NIODeadline?
    private var check: Scheduled<Void>?

    init(limits: SyncServerLimits) {
        self.limits = limits
        self.phase = .awaitingHead(deadline: .now() + TimeAmount(limits.headerTimeout))
    }

    /// How often the state is checked: a quarter of the shortest time limit, between 50 ms and 1 s.
    var checkInterval: TimeAmount {
        let shortest = min(limits.headerTimeout, limits.bodyTimeout, limits.idleTimeout, limits.shutdownTimeout)
        return max(.milliseconds(50), min(.seconds(1), TimeAmount(shortest / 4)))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        phase = .awaitingHead(deadline: .now() + TimeAmount(limits.headerTimeout))
        scheduleCheck(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        check?.cancel()
        check = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        check?.cancel()
        check = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let now = NIODeadline.now()
        switch unwrapInboundIn(data) {
        case .head:
            phase = .readingBody(start: now, received: 0, lastProgress: now)
            responsePending = true
        case let .body(buffer):
            if case let .readingBody(start, received, _) = phase {
                phase = .readingBody(start: start, received: received + buffer.readableBytes, lastProgress: now)
            }
        case .end:
            phase = responsePending ? .answering : .awaitingHead(deadline: now + TimeAmount(limits.idleTimeout))
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            responsePending = false
            // An answer sent before its body was read (a refusal) leaves the body to be read, still against the clock.
            if case .answering = phase { phase = .awaitingHead(deadline: .now() + TimeAmount(limits.idleTimeout)) }
        }
        context.write(data, promise: promise)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, shutdownDeadline == nil {
            shutdownDeadline = .now() + TimeAmount(limits.shutdownTimeout)
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: - Checking

    private func scheduleCheck(_ context: ChannelHandlerContext) {
        guard check == nil else { return }
        check = context.eventLoop.assumeIsolated().scheduleTask(in: checkInterval) {
            self.check = nil
            guard context.channel.isActive else { return }
            if self.isOverdue(at: .now()) {
                context.close(promise: nil)
            } else {
                self.scheduleCheck(context)
            }
        }
    }

    /// True when the connection has broken a time limit by `now`.
    func isOverdue(at now: NIODeadline) -> Bool {
        if let shutdownDeadline, now >= shutdownDeadline { return true }
        switch phase {
        case let .awaitingHead(deadline):
            return now >= deadline
        case let .readingBody(start, received, lastProgress):
            let grace = TimeAmount(limits.bodyTimeout)
            if now - lastProgress >= grace { return true }
            let pastGrace = now - start - grace
            guard pastGrace > .zero else { return false }
            let owed = Double(limits.minimumBodyBytesPerSecond) * Double(pastGrace.nanoseconds) / 1e9
            return Double(received) < owed
        case .answering:
            return false
        }
    }
}

extension TimeAmount {
    /// The same length of time as a `Duration`, to the nanosecond.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
