import PostgresNIO

/// Where each provincial feed and each pulled department system was read up to, with its last success and
/// last error (the console's "pull status"). A restart resumes from the saved cursor.
public struct SyncCheckpoints: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// Runs `body` only if no other hub instance is running the same named pull now (a session advisory lock
    /// held on one pooled connection for the duration); returns false when another instance has it.
    @discardableResult
    public func exclusively(_ name: String, _ body: () async throws -> Void) async throws -> Bool {
        try await db.client.withConnection { conn in
            var acquired = false
            for try await got in try await conn.query("SELECT pg_try_advisory_lock(7411003, hashtext(\(name)))", logger: db.logger).decode(Bool.self) {
                acquired = got
            }
            guard acquired else { return false }
            do {
                try await body()
            } catch {
                _ = try? await conn.query("SELECT pg_advisory_unlock(7411003, hashtext(\(name)))", logger: db.logger)
                throw error
            }
            try await conn.query("SELECT pg_advisory_unlock(7411003, hashtext(\(name)))", logger: db.logger)
            return true
        }
    }

    public func cursor(_ name: String) async throws -> String? {
        for try await c in try await db.client.query("SELECT cursor FROM sync_checkpoints WHERE name = \(name)", logger: db.logger).decode(String.self) {
            return c
        }
        return nil
    }

    /// Saves a cursor after what it covers was stored (in `conn`'s transaction when given).
    public func save(_ name: String, cursor: String, on conn: PostgresConnection? = nil) async throws {
        let query: PostgresQuery = """
            INSERT INTO sync_checkpoints (name, cursor, last_success_at, updated_at) VALUES (\(name), \(cursor), now(), now())
            ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, last_success_at = now(), updated_at = now()
            """
        if let conn { try await conn.query(query, logger: db.logger) } else { try await db.client.query(query, logger: db.logger) }
    }

    /// Marks a successful poll that found nothing new.
    public func touch(_ name: String) async throws {
        try await db.client.query("""
            INSERT INTO sync_checkpoints (name, cursor, last_success_at) VALUES (\(name), '0', now())
            ON CONFLICT (name) DO UPDATE SET last_success_at = now(), updated_at = now()
            """, logger: db.logger)
    }

    public func failed(_ name: String, error: String) async throws {
        try await db.client.query("""
            INSERT INTO sync_checkpoints (name, cursor, last_error, last_error_at) VALUES (\(name), '0', \(String(error.prefix(500))), now())
            ON CONFLICT (name) DO UPDATE SET last_error = excluded.last_error, last_error_at = now(), updated_at = now()
            """, logger: db.logger)
    }

    public struct Status: Sendable {
        public var name: String
        public var cursor: String
        public var lastSuccessAt: String?
        public var lastError: String?
        public var lastErrorAt: String?
    }

    public func all() async throws -> [Status] {
        var out: [Status] = []
        let rows = try await db.client.query("""
            SELECT name, cursor, to_char(last_success_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS'), last_error,
                   to_char(last_error_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS')
            FROM sync_checkpoints ORDER BY name
            """, logger: db.logger)
        for try await (name, cursor, ok, error, errorAt) in rows.decode((String, String, String?, String?, String?).self) {
            out.append(Status(name: name, cursor: cursor, lastSuccessAt: ok, lastError: error, lastErrorAt: errorAt))
        }
        return out
    }
}
