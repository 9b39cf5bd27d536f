import Crypto
import Foundation
import Logging
import PostgresNIO

/// A department system's identity as the hub knows it.
public struct Department: Sendable, Hashable {
    public var id: Int64
    public var code: String
    public var name: String

    package init(id: Int64, code: String, name: String) {
        self.id = id
        self.code = code
        self.name = name
    }
}

/// A new key pair: shown once, then only the hub holds the secret.
public struct DepartmentCredentials: Sendable, Codable {
    public var department: String
    public var name: String
    public var keyId: String
    public var secret: String

    public init(department: String, name: String, keyId: String, secret: String) {
        self.department = department
        self.name = name
        self.keyId = keyId
        self.secret = secret
    }
}

/// Departments, their keys, and the nonces that make each signed request single-use.
public struct DepartmentStore: Sendable {
    public let db: HubDatabase
    /// Seals and opens the key secrets (nil: this store may read departments but not issue or check keys).
    public let vault: SecretVault?

    public init(db: HubDatabase, vault: SecretVault? = nil) {
        self.db = db
        self.vault = vault
    }

    public enum Problem: Error, CustomStringConvertible {
        case invalidCode(String)
        public var description: String {
            switch self {
            case .invalidCode(let c): "department code \"\(c)\" must be 2–32 capital letters, digits, - or _"
            }
        }
    }

    /// Creates the department if it is new and issues it a fresh key.
    public func add(code: String, name: String) async throws -> DepartmentCredentials {
        guard (2...32).contains(code.count), code.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw Problem.invalidCode(code)
        }
        let keyId = "hk_" + Self.randomHex(8)
        let secret = Self.randomHex(32)
        try await db.client.withTransaction(logger: db.logger) { conn in
            let rows = try await conn.query(
                """
                INSERT INTO departments (code, name) VALUES (\(code), \(name))
                ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name RETURNING id
                """,
                logger: db.logger
            )
            var id: Int64 = 0
            for try await v in rows.decode(Int64.self) { id = v }
            try await insertKey(conn, keyId: keyId, departmentId: id, secret: secret)
        }
        return DepartmentCredentials(department: code, name: name, keyId: keyId, secret: secret)
    }

    /// The department and secret behind a key id, when the key exists, is not revoked and has not expired.
    public func key(_ keyId: String) async throws -> (department: Department, secret: String)? {
        try await activeKey(keyId)
    }

    /// Every registered department, by code.
    public func all() async throws -> [Department] {
        var out: [Department] = []
        for try await (id, code, name) in try await db.client.query("SELECT id, code, name FROM departments ORDER BY code", logger: db.logger)
            .decode((Int64, String, String).self)
        { out.append(Department(id: id, code: code, name: name)) }
        return out
    }

    public func department(code: String) async throws -> Department? {
        let rows = try await db.client.query("SELECT id, code, name FROM departments WHERE code = \(code)", logger: db.logger)
        for try await (id, code, name) in rows.decode((Int64, String, String).self) { return Department(id: id, code: code, name: name) }
        return nil
    }

    /// Records a nonce as used; false when it was already used (a replay).
    public func useNonce(keyId: String, nonce: String) async throws -> Bool {
        let rows = try await db.client.query(
            """
            INSERT INTO request_nonces (key_id, nonce) VALUES (\(keyId), \(nonce)) ON CONFLICT DO NOTHING RETURNING 1
            """,
            logger: db.logger
        )
        for try await _ in rows.decode(Int.self) { return true }
        return false
    }

    /// Forgets nonces older than the signature window: a request that old fails on its timestamp anyway.
    public func sweepNonces(olderThanSeconds seconds: Int) async throws {
        try await db.client.query("DELETE FROM request_nonces WHERE seen_at < now() - make_interval(secs => \(Double(seconds)))", logger: db.logger)
    }

    static func randomHex(_ bytes: Int) -> String {
        [UInt8].random(count: bytes).hex
    }
}
