import Hummingbird
import HubStore
import NIOCore

/// The request context of the hub: who is calling (set by the signature middleware) and the body limit.
public struct HubRequestContext: RequestContext, RemoteAddressRequestContext {
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
    /// The peer of the connection (the sign-in throttle counts attempts per address).
    public var remoteAddress: SocketAddress?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.department = nil
        self.opsUser = nil
        self.consoleSession = nil
        self.maxUploadSize = HubConfiguration.defaultMaxBodyBytes
        self.remoteAddress = source.channel.remoteAddress
    }
}
