import HubStore
import Hummingbird
import NIOCore

/// The request context every route starts with: where the request came from and the body limit. Routes that
/// need a caller run in a typed child context (`DepartmentRequestContext`, `OpsRequestContext`,
/// `ConsoleRequestContext`) whose caller is not optional: the group's authenticating middleware puts what it
/// found in `identity`, and the child context is made from it or the request is refused.
public struct HubRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Largest request body accepted; past it the answer is 413 with the error shape.
    public var maxUploadSize: Int
    /// The socket peer's IP address (nil without a socket).
    public let peerAddress: String?
    /// Where the request came from and whether it was encrypted (set first, by `TransportMiddleware`).
    public var origin = RequestOrigin()
    /// The client address of this request: the peer, or what a trusted proxy says (`HUB_TRUSTED_PROXIES`).
    public var clientAddress: String { origin.clientAddress }
    /// What the authenticating middleware of the route's group established; read only by the child contexts.
    var identity: Identity?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.maxUploadSize = HubConfiguration.defaultMaxBodyBytes
        self.peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Who is calling, as one of the three authenticating middlewares found it.
    enum Identity: Sendable {
        /// `SignatureMiddleware`: the department whose key signed the request, and the body the signature covered.
        case department(Department, body: ByteBuffer)
        /// `OpsAuthMiddleware`: the ops staff member behind the bearer token.
        case ops(OpsUser)
        /// `ConsoleAuthMiddleware`: the console session, and the CSRF-checked form of a POST.
        case console(ConsoleSession, form: ConsoleForm)
    }
}

/// A request signed by a department's key (the department API under `/api/v1`).
public struct DepartmentRequestContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let department: Department
    /// The body, collected once by `SignatureMiddleware` within `HUB_MAX_BODY_BYTES`: the bytes the signature covers.
    public let body: ByteBuffer

    public init(context: HubRequestContext) throws {
        guard case .department(let department, let body) = context.identity else { throw HubHTTPError.unsigned }
        self.coreContext = context.coreContext
        self.department = department
        self.body = body
    }
}

/// A request of a signed-in ops staff member (the ops API under `/api/v1/ops`, bearer token).
public struct OpsRequestContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let user: OpsUser

    public init(context: HubRequestContext) throws {
        guard case .ops(let user) = context.identity else { throw HubHTTPError.opsLoginRequired }
        self.coreContext = context.coreContext
        self.user = user
    }
}

/// A console page of a signed-in ops staff member (under `/console`, session cookie, CSRF-checked forms).
struct ConsoleRequestContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    let session: ConsoleSession
    /// The form of a POST (empty on a GET).
    let form: ConsoleForm
    var user: OpsUser { session.user }

    init(context: HubRequestContext) throws {
        guard case .console(let session, let form) = context.identity else { throw HTTPError(.unauthorized) }
        self.coreContext = context.coreContext
        self.session = session
        self.form = form
    }
}
