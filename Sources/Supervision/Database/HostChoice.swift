/// libpq's `target_session_attrs`: which server of a host list a session may use.
public enum TargetSessionAttrs: String, Sendable, Equatable, CaseIterable {
    /// The first server that answers (libpq's default; the right one behind a proxy that routes to the primary).
    case any
    /// The first server that accepts writes (`transaction_read_only` off): the hub's writes.
    case readWrite = "read-write"
    /// The first server that refuses writes.
    case readOnly = "read-only"
    /// The first server not in recovery.
    case primary
    /// The first server in recovery (a standby).
    case standby
    /// The first standby; when none answers, the first server that does.
    case preferStandby = "prefer-standby"

    /// Whether a server in `role` suits a session of these attributes (`preferStandby` takes any server, so
    /// that a session that fell back to the primary is not torn down while it works).
    public func accepts(_ role: ServerRole) -> Bool {
        switch self {
        case .any, .preferStandby: true
        case .readWrite: !role.readOnly
        case .readOnly: role.readOnly
        case .primary: !role.inRecovery
        case .standby: role.inRecovery
        }
    }

    /// Whether the attributes need to know a server's role at all (`any` takes the first that answers).
    public var needsRole: Bool { self != .any }
}

/// What a server said it is: `SELECT pg_is_in_recovery(), current_setting('transaction_read_only')`.
public struct ServerRole: Sendable, Equatable {
    public var inRecovery: Bool
    public var readOnly: Bool
    public init(inRecovery: Bool, readOnly: Bool) {
        self.inRecovery = inRecovery
        self.readOnly = readOnly
    }
    public static let primary = ServerRole(inRecovery: false, readOnly: false)
    public static let standby = ServerRole(inRecovery: true, readOnly: true)
}

/// Which host of a list a pool connects to, given what probing each host found. Pure: `HubDatabase`'s locator
/// probes (the I/O) and asks here.
public enum HostChoice {
    /// The index of the host to use, in the list's order as libpq does (the first that suits), or nil when none
    /// suits yet (a failover in progress: no primary has been promoted). `probes[i]` is nil for a host that did
    /// not answer.
    public static func choose(_ probes: [ServerRole?], for attrs: TargetSessionAttrs) -> Int? {
        if let first = probes.indices.first(where: { probes[$0].map(attrs.accepts) == true && (attrs != .preferStandby || probes[$0]!.inRecovery) }) {
            return first
        }
        if attrs == .preferStandby { return probes.firstIndex { $0 != nil } }
        return nil
    }
}
