import HubModel

/// One act on a clue: what ops or the assigned department does to move it along its lifecycle.
public enum ClueStep: Sendable, Hashable {
    /// 分派: ops (or the province's naming, or the city's default map) gives the clue to one department.
    case assign(department: String)
    /// 核查: the assigned department's verdict and findings.
    case verify(ClueVerification)
    /// 处置: what the assigned department did about a true positive.
    case dispose(ClueDisposition)
    /// 办结: the assigned department closes a disposed clue (a rectification done, a case opened, a transfer made).
    case close(note: String)

    /// The step's name in ledger kinds, feedback rows and refusals.
    public var name: String {
        switch self {
        case .assign: "assigned"
        case .verify: "verified"
        case .dispose: "disposed"
        case .close: "closed"
        }
    }
}

/// Who acts: the hub itself (the feed path and the city's default map), an ops user (optionally scoped to
/// departments), or a department system (the signer of the request).
public enum ClueActor: Sendable, Hashable {
    case hub
    case ops(username: String, departments: [String]?)
    case department(String)

    /// How the ledger and the steps table name the actor.
    public var name: String {
        switch self {
        case .hub: "hub"
        case .ops(let user, _): "ops:" + user
        case .department(let code): "department:" + code
        }
    }
}
