import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 connection with the server's limits: at most ``SyncServerLimits/maxConnections`` open at
/// once (one more is answered 503 and closed before anything is read from it) and a ``ConnectionDeadlineHandler`` on
/// every connection.
struct LimitedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let load: ServerLoad

    init(responder: @escaping HTTPChannelHandler.Responder, load: ServerLoad) {
        let limits = load.limits
        self.base = HTTP1Channel(
            responder: responder,
            configuration: .init(additionalChannelHandlers: [ConnectionDeadlineHandler(limits: limits)]))
        self.load = load
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let load = self.load
        if load.enterConnection() {
            channel.closeFuture.whenComplete { _ in load.leaveConnection() }
        } else {
            logger.warning("refused a connection: \(load.limits.maxConnections) connections are open")
            do {
                try channel.pipeline.syncOperations.addHandler(RefuseConnectionHandler(), position: .first)
            } catch {
                channel.close(promise: nil)
            }
        }
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the sync server's limits (see ``SyncServerLimits``); wrap it in TLS like Hummingbird's `.http1()`.
    static func limitedHTTP1(load: ServerLoad) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in LimitedHTTP1Channel(responder: responder, load: load) }
    }
}

/// Answers a connection beyond the limit with a 503 and closes it, without reading its request.
final class RefuseConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let answer: String = {
        let body = #"{"error":{"code":"unavailable","message":"The server has too many open connections; retry in a moment."}}"#
        return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\nRetry-After: 1\r\n"
            + "Connection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }()

    private var answered = false

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        refuse(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Whatever the client sent is dropped: nothing of a refused connection reaches the server.
    }

    private func refuse(_ context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: Self.answer))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
