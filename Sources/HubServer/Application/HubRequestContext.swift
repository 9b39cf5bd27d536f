import Hummingbird
import HubStore
import NIOCore

/// The request context of the hub: who is calling (set by the signature middleware) and the body limit.
public struct HubRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The department whose key signed this request; nil on unauthenticated routes.
    public var department: Department?
    /// The ops staff member behind a bearer token; nil outside `/api/v1/ops`.
    public var opsUser: OpsUser?
    /// Largest request body accepted; past it the answer is 413 with the error shape.
    public var maxUploadSize: Int
    /// The console session token (from the `hub_session` cookie); nil outside `/console`.
    public var consoleSession: String?
    /// A console form, read and CSRF-checked by the console middleware.
    public var form: [String: String] = [:]
    /// The socket peer's IP address (nil without a socket).
    public let peerAddress: String?
    /// Where the request came from and whether it was encrypted (set first, by `TransportMiddleware`).
    public var origin = RequestOrigin()
    /// The client address of this request: the peer, or what a trusted proxy says (`HUB_TRUSTED_PROXIES`).
    public var clientAddress: String { origin.clientAddress }

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.department = nil
        self.opsUser = nil
        self.consoleSession = nil
        self.maxUploadSize = HubConfiguration.defaultMaxBodyBytes
        self.peerAddress = source.channel.remoteAddress?.ipAddress
    }
}
