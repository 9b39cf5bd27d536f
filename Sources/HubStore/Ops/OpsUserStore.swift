import Crypto
import Foundation
import HubModel
import HummingbirdBcrypt
import Logging
import NIOCore
import PostgresNIO

/// An ops staff account: reviewers decide mappings, approvers approve others' decisions, admins do both,
/// auditors read. `pii` is a permission beside the others: only its holders see natural persons' ID and
/// phone numbers unmasked (an admin does not get it implicitly).
public struct OpsUser: Sendable, Hashable {
    public enum Role: String, Sendable, CaseIterable {
        case reviewer, approver, admin, auditor, pii
    }

    public var id: Int64
    public var username: String
    public var displayName: String
    public var roles: Set<Role>
    /// Department codes whose review items this account sees and decides; empty: every department.
    public var departments: [String] = []

    public func can(_ role: Role) -> Bool { roles.contains(role) || (roles.contains(.admin) && role != .pii) }

    /// Whether this user sees personal data unmasked: only with the explicit `pii` permission.
    public var seesPersonalData: Bool { roles.contains(.pii) }

    /// Whether the account's department scope covers `department`.
    public func sees(department: String) -> Bool { departments.isEmpty || departments.contains(department) }

    /// The scope as a filter: nil for every department.
    public var departmentScope: [String]? { departments.isEmpty ? nil : departments }
}

/// Ops accounts (bcrypt passwords) and their bearer tokens (stored as SHA-256, valid 12 hours).
public struct OpsUserStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    static let dummyHash = Bcrypt.hash("no such account", cost: 10)

    public enum Problem: Error, CustomStringConvertible {
        case invalidUsername, weakPassword, noRole
        case unknownUser(String)
        case unknownDepartment(String)
        public var description: String {
            switch self {
            case .unknownUser(let name): "no ops account \(name)"
            case .unknownDepartment(let code): "no department \(code): add it first (hub departments add)"
            case .invalidUsername: "username must be 2-32 lowercase letters, digits, . _ or -"
            case .weakPassword: "password must have at least 10 characters"
            case .noRole: "give at least one role: reviewer, approver, admin, auditor (and pii to see personal data unmasked)"
            }
        }
    }

    /// Creates an account, or resets the password, roles and department scope of an existing one.
    @discardableResult
    public func add(
        username: String,
        displayName: String,
        password: String,
        roles: Set<OpsUser.Role>,
        departments: [String] = []
    ) async throws -> OpsUser {
        guard (2...32).contains(username.count), username.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || "._-".contains($0)) }) else {
            throw Problem.invalidUsername
        }
        guard password.count >= 10 else { throw Problem.weakPassword }
        guard !roles.isEmpty else { throw Problem.noRole }
        let scope = Array(Set(departments)).sorted()
        for code in scope {
            guard try await DepartmentStore(db: db).department(code: code) != nil else { throw Problem.unknownDepartment(code) }
        }
        let hash = Bcrypt.hash(password, cost: 10)
        let roleNames = roles.map(\.rawValue).sorted()
        var id: Int64 = 0
        for try await v in try await db.client.query(
            """
            INSERT INTO ops_users (username, display_name, password_hash, roles, departments)
            VALUES (\(username), \(displayName), \(hash), \(roleNames), \(scope))
            ON CONFLICT (username) DO UPDATE SET display_name = EXCLUDED.display_name, password_hash = EXCLUDED.password_hash,
                roles = EXCLUDED.roles, departments = EXCLUDED.departments, disabled_at = NULL
            RETURNING id
            """,
            logger: db.logger
        ).decode(Int64.self) { id = v }
        // A reset password revokes every token issued under the old one.
        try await db.client.query("DELETE FROM ops_tokens WHERE user_id = \(id)", logger: db.logger)
        return OpsUser(id: id, username: username, displayName: displayName, roles: roles, departments: scope)
    }

    /// Disables an account: its sessions and tokens end at once and sign-in is refused until `add` resets it.
    /// A ledger entry records who was disabled.
    public func disable(username: String, by operator: String) async throws {
        try await db.client.transaction(logger: db.logger) { conn in
            var id: Int64?
            for try await v in try await conn.query(
                """
                UPDATE ops_users SET disabled_at = coalesce(disabled_at, now()) WHERE username = \(username) RETURNING id
                """,
                logger: db.logger
            ).decode(Int64.self) { id = v }
            guard let id else { throw Problem.unknownUser(username) }
            try await conn.query("DELETE FROM ops_tokens WHERE user_id = \(id)", logger: db.logger)
            var chain = try await LedgerChain(conn, logger: db.logger)
            chain.add(
                kind: .opsAction,
                department: "",
                subject: OpsAction.userDisabled.rawValue,
                payload: CanonicalJSON.string(
                    .object([
                        ("action", .string(OpsAction.userDisabled.rawValue)), ("by", .string(`operator`)), ("username", .string(username)),
                    ])
                )
            )
            try await chain.flush(conn, logger: db.logger)
        }
    }

    public func user(username: String) async throws -> OpsUser? {
        try await users(where: "username = $1", username).first
    }

    /// Checks a password; the account when it matches and is enabled.
    public func authenticate(username: String, password: String) async throws -> OpsUser? {
        var found: (OpsUser, String)?
        for try await (id, name, display, hash, roles, departments) in try await db.client.query(
            """
            SELECT id, username, display_name, password_hash, roles, departments FROM ops_users WHERE username = \(username) AND disabled_at IS NULL
            """,
            logger: db.logger
        ).decode((Int64, String, String, String, [String], [String]).self) {
            found = (
                OpsUser(id: id, username: name, displayName: display, roles: Set(roles.compactMap(OpsUser.Role.init)), departments: departments), hash
            )
        }
        guard let (user, hash) = found else {
            // The same work for an unknown name, so the answer time does not tell which names exist.
            _ = Bcrypt.verify(password, hash: Self.dummyHash)
            return nil
        }
        guard Bcrypt.verify(password, hash: hash) else { return nil }
        return user
    }

    /// A new bearer token for the user (shown once; only its hash is kept).
    public func issueToken(for user: OpsUser) async throws -> (token: String, expiresAt: Date) {
        let token = "ops_" + [UInt8].random(count: 32).hex
        let expires = Date().addingTimeInterval(12 * 3600)
        try await db.client.query(
            """
            INSERT INTO ops_tokens (token_hash, user_id, expires_at) VALUES (\(ByteBuffer(bytes: sha256(token.utf8))), \(user.id), \(expires))
            """,
            logger: db.logger
        )
        return (token, expires)
    }

    /// Ends a session (console sign-out, API logout): the token stops working at once.
    public func revoke(token: String) async throws {
        try await db.client.query("DELETE FROM ops_tokens WHERE token_hash = \(ByteBuffer(bytes: sha256(token.utf8)))", logger: db.logger)
    }

    /// Writes an ops action to the ledger with who did it (console sign-in and sign-out, verification runs …).
    /// Returns the entry's sequence number.
    @discardableResult
    public func recordAction(_ action: OpsAction, by user: String, details: [(String, JSONValue)] = []) async throws -> Int64 {
        try await db.client.withTransaction(logger: db.logger) { conn in
            let payload = CanonicalJSON.string(.object([("action", .string(action.rawValue)), ("by", .string(user))] + details))
            return try await LedgerStore.append(
                [LedgerDraft(kind: .opsAction, department: "", subject: action.rawValue, payload: payload)],
                conn,
                logger: db.logger
            )[0].seq
        }
    }

    /// Writes a sign-in event that has no signed-in user to the ledger (a failed attempt, a lockout): the name
    /// that was tried, from where, through which door.
    public func recordSignInEvent(_ event: SignInEvent, username: String, address: String, channel: String, attempts: Int) async throws {
        try await db.client.withTransaction(logger: db.logger) { conn in
            var chain = try await LedgerChain(conn, logger: db.logger)
            chain.add(
                kind: .opsAction,
                department: "",
                subject: event.rawValue,
                payload: CanonicalJSON.string(
                    .object([
                        ("action", .string(event.rawValue)), ("username", .string(username)), ("address", .string(address)),
                        ("channel", .string(channel)), ("attempts", .number(String(attempts))),
                    ])
                )
            )
            try await chain.flush(conn, logger: db.logger)
        }
    }

    /// The user behind a valid, unexpired token.
    public func user(token: String) async throws -> OpsUser? {
        var bindings = PostgresBindings()
        bindings.append(ByteBuffer(bytes: sha256(token.utf8)))
        return try await users(
            where: "id = (SELECT user_id FROM ops_tokens WHERE token_hash = $1 AND expires_at > now()) AND disabled_at IS NULL",
            bindings: bindings
        ).first
    }

    func users(where condition: String, _ value: String) async throws -> [OpsUser] {
        var bindings = PostgresBindings()
        bindings.append(value)
        return try await users(where: condition, bindings: bindings)
    }

    func users(where condition: String, bindings: PostgresBindings) async throws -> [OpsUser] {
        var out: [OpsUser] = []
        let rows = try await db.client.query(
            PostgresQuery(
                unsafeSQL: "SELECT id, username, display_name, roles, departments FROM ops_users WHERE \(condition)",
                binds: bindings
            ),
            logger: db.logger
        )
        for try await (id, name, display, roles, departments) in rows.decode((Int64, String, String, [String], [String]).self) {
            out.append(
                OpsUser(id: id, username: name, displayName: display, roles: Set(roles.compactMap(OpsUser.Role.init)), departments: departments)
            )
        }
        return out
    }
}

/// Sign-in events that are ledger entries without a signed-in user (the action of an `ops_action` entry).
public enum SignInEvent: String, Sendable {
    /// A wrong username or password.
    case failed = "sign_in_failed"
    /// The failure that used up the username's or the address's attempts: further ones are refused for a while.
    case locked = "sign_in_locked"
}
