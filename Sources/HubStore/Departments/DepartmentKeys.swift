import Foundation
import HubModel
import Logging
import NIOCore
import PostgresNIO

/// The life of department keys: issue (sealed under the master key), look up, rotate with a grace period,
/// revoke, seal secrets stored in clear by older versions, and re-seal under a new master key.
extension DepartmentStore {
    public enum KeyProblem: Error, CustomStringConvertible {
        case noVault
        case unknownDepartment(String)
        public var description: String {
            switch self {
            case .noVault: "department keys need the master key (HubContext.departments)"
            case .unknownDepartment(let code): "no department \(code)"
            }
        }
    }

    func requireVault() throws -> SecretVault {
        guard let vault else { throw KeyProblem.noVault }
        return vault
    }

    /// Inserts a key with its secret sealed, inside the caller's transaction.
    func insertKey(_ conn: PostgresConnection, keyId: String, departmentId: Int64, secret: String) async throws {
        let sealed = ByteBuffer(bytes: try requireVault().seal(secret, keyId: keyId))
        try await conn.query(
            """
            INSERT INTO department_keys (key_id, department_id, secret_sealed) VALUES (\(keyId), \(departmentId), \(sealed))
            """,
            logger: db.logger
        )
    }

    /// The department and opened secret of a usable key: not revoked, not past its grace period.
    func activeKey(_ keyId: String) async throws -> (department: Department, secret: String)? {
        let rows = try await db.client.query(
            """
            SELECT d.id, d.code, d.name, k.secret, k.secret_sealed FROM department_keys k JOIN departments d ON d.id = k.department_id
            WHERE k.key_id = \(keyId) AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
            """,
            logger: db.logger
        )
        for try await (id, code, name, clear, sealed) in rows.decode((Int64, String, String, String?, ByteBuffer?).self) {
            let department = Department(id: id, code: code, name: name)
            if let sealed { return (department, try requireVault().open(Array(sealed.readableBytesView), keyId: keyId)) }
            // Not sealed yet (written by an older version; sealed on the next start).
            if let clear { return (department, clear) }
        }
        return nil
    }

    /// Issues a new key for the department; its other usable keys stay valid for `graceSeconds` more, then are
    /// refused. A ledger entry records the rotation (never the secret).
    public func rotateKey(code: String, graceSeconds: Int, by operator: String) async throws -> DepartmentCredentials {
        guard let department = try await department(code: code) else { throw KeyProblem.unknownDepartment(code) }
        let keyId = "hk_" + Self.randomHex(8)
        let secret = Self.randomHex(32)
        try await db.client.transaction(logger: db.logger) { conn in
            var chain = try await LedgerChain(conn, logger: db.logger)
            var expiring: [String] = []
            for try await old in try await conn.query(
                """
                UPDATE department_keys SET expires_at = least(coalesce(expires_at, 'infinity'), now() + make_interval(secs => \(Double(graceSeconds))))
                WHERE department_id = \(department.id) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
                RETURNING key_id
                """,
                logger: db.logger
            ).decode(String.self) { expiring.append(old) }
            try await insertKey(conn, keyId: keyId, departmentId: department.id, secret: secret)
            chain.add(
                kind: .opsAction,
                department: code,
                subject: OpsAction.keyRotated.rawValue,
                payload: CanonicalJSON.string(
                    .object([
                        ("action", .string(OpsAction.keyRotated.rawValue)), ("by", .string(`operator`)), ("newKeyId", .string(keyId)),
                        ("expiringKeyIds", .array(expiring.sorted().map { .string($0) })), ("graceSeconds", .number(String(graceSeconds))),
                    ])
                )
            )
            try await chain.flush(conn, logger: db.logger)
        }
        return DepartmentCredentials(department: department.code, name: department.name, keyId: keyId, secret: secret)
    }

    /// Revokes every key of the department at once. Returns the revoked key ids (a new one: `add` again).
    @discardableResult
    public func revokeKeys(code: String, by operator: String) async throws -> [String] {
        guard let department = try await department(code: code) else { throw KeyProblem.unknownDepartment(code) }
        return try await db.client.transaction(logger: db.logger) { conn in
            var chain = try await LedgerChain(conn, logger: db.logger)
            var revoked: [String] = []
            for try await id in try await conn.query(
                """
                UPDATE department_keys SET revoked_at = now() WHERE department_id = \(department.id) AND revoked_at IS NULL RETURNING key_id
                """,
                logger: db.logger
            ).decode(String.self) { revoked.append(id) }
            chain.add(
                kind: .opsAction,
                department: code,
                subject: OpsAction.keysRevoked.rawValue,
                payload: CanonicalJSON.string(
                    .object([
                        ("action", .string(OpsAction.keysRevoked.rawValue)), ("by", .string(`operator`)),
                        ("keyIds", .array(revoked.sorted().map { .string($0) })),
                    ])
                )
            )
            try await chain.flush(conn, logger: db.logger)
            return revoked.sorted()
        }
    }

    /// Seals the secrets an older version stored in clear, and clears them. Returns how many it sealed.
    @discardableResult
    public func sealClearSecrets() async throws -> Int {
        let vault = try requireVault()
        return try await db.client.transaction(logger: db.logger) { conn in
            var clear: [(String, String)] = []
            for try await row in try await conn.query(
                """
                SELECT key_id, secret FROM department_keys WHERE secret IS NOT NULL FOR UPDATE
                """,
                logger: db.logger
            ).decode((String, String).self) { clear.append(row) }
            for (keyId, secret) in clear {
                let sealed = ByteBuffer(bytes: try vault.seal(secret, keyId: keyId))
                try await conn.query("UPDATE department_keys SET secret_sealed = \(sealed), secret = NULL WHERE key_id = \(keyId)", logger: db.logger)
            }
            return clear.count
        }
    }

    /// Fails when the master key does not open the sealed secrets (a wrong `HUB_MASTER_KEY`, a lost key file):
    /// better refuse to start than answer every department with "unknown key".
    public func checkMasterKey() async throws {
        let vault = try requireVault()
        for try await (keyId, sealed) in try await db.client.query(
            """
            SELECT key_id, secret_sealed FROM department_keys WHERE secret_sealed IS NOT NULL ORDER BY created_at DESC LIMIT 1
            """,
            logger: db.logger
        ).decode((String, ByteBuffer).self) {
            _ = try vault.open(Array(sealed.readableBytesView), keyId: keyId)
        }
    }

    /// Re-seals every secret under this store's (new) master key that `old` opens. Secrets already under the
    /// new key are left; one that neither opens fails the whole run (nothing changes). Returns how many moved.
    public func reencrypt(from old: SecretVault) async throws -> (reencrypted: Int, alreadyCurrent: Int) {
        let vault = try requireVault()
        return try await db.client.transaction(logger: db.logger) { conn in
            var rows: [(String, [UInt8])] = []
            for try await (keyId, sealed) in try await conn.query(
                """
                SELECT key_id, secret_sealed FROM department_keys WHERE secret_sealed IS NOT NULL ORDER BY key_id FOR UPDATE
                """,
                logger: db.logger
            ).decode((String, ByteBuffer).self) { rows.append((keyId, Array(sealed.readableBytesView))) }
            var moved = 0
            var current = 0
            for (keyId, sealed) in rows {
                if (try? vault.open(sealed, keyId: keyId)) != nil {
                    current += 1
                    continue
                }
                let secret = try old.open(sealed, keyId: keyId)
                let resealed = ByteBuffer(bytes: try vault.seal(secret, keyId: keyId))
                try await conn.query("UPDATE department_keys SET secret_sealed = \(resealed) WHERE key_id = \(keyId)", logger: db.logger)
                moved += 1
            }
            return (moved, current)
        }
    }
}
