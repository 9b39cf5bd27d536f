import Foundation
import PostgresNIO

/// Where each provincial feed and each pulled department system was read up to, with its last success and
/// last error (the console's "pull status"). A restart resumes from the saved cursor.
public struct SyncCheckpoints: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// How long a lease holds without renewal: a crashed instance's pull is free again after this.
    public static let leaseSeconds = 60

    /// Runs `body` only if no other hub instance (and no other task of this one) is running the same named
    /// pull now; returns false when another has it.
    ///
    /// The exclusion is a lease row in `sync_leases`, taken and renewed by short statements, not a session
    /// advisory lock held on a pooled connection for the whole pull: with more pulled systems and feeds than
    /// pool connections, pulls holding every connection while their bodies wait for one would deadlock the
    /// pool. A lease is renewed every third of its life while `body` runs and deleted when it ends.
    @discardableResult
    public func exclusively(_ name: String, _ body: () async throws -> Void) async throws -> Bool {
        let holder = UUID().uuidString
        var taken = false
        for try await _ in try await db.client.query(
            """
            INSERT INTO sync_leases (name, holder, expires_at) VALUES (\(name), \(holder), now() + \(Self.leaseSeconds) * interval '1 second')
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE sync_leases.expires_at < now()
            RETURNING holder
            """,
            logger: db.logger
        ).decode(String.self) { taken = true }
        guard taken else { return false }
        let db = self.db
        let renewal = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(Self.leaseSeconds / 3))
                if Task.isCancelled { break }
                _ = try? await db.client.query(
                    """
                    UPDATE sync_leases SET expires_at = now() + \(Self.leaseSeconds) * interval '1 second' WHERE name = \(name) AND holder = \(holder)
                    """,
                    logger: db.logger
                )
            }
        }
        defer { renewal.cancel() }
        do {
            try await body()
        } catch {
            await release(name, holder: holder)
            throw error
        }
        await release(name, holder: holder)
        return true
    }

    /// Gives the lease back, also when the pull was cancelled (shutdown): in its own task, which does not
    /// inherit the cancellation. A lease that cannot be deleted expires by itself.
    func release(_ name: String, holder: String) async {
        let db = self.db
        await Task {
            _ = try? await db.client.query("DELETE FROM sync_leases WHERE name = \(name) AND holder = \(holder)", logger: db.logger)
        }.value
    }

    public func cursor(_ name: String) async throws -> String? {
        for try await c in try await db.client.query("SELECT cursor FROM sync_checkpoints WHERE name = \(name)", logger: db.logger).decode(
            String.self
        ) {
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
        try await db.client.query(
            """
            INSERT INTO sync_checkpoints (name, cursor, last_success_at) VALUES (\(name), '0', now())
            ON CONFLICT (name) DO UPDATE SET last_success_at = now(), updated_at = now()
            """,
            logger: db.logger
        )
    }

    public func failed(_ name: String, error: String) async throws {
        try await db.client.query(
            """
            INSERT INTO sync_checkpoints (name, cursor, last_error, last_error_at) VALUES (\(name), '0', \(String(error.prefix(500))), now())
            ON CONFLICT (name) DO UPDATE SET last_error = excluded.last_error, last_error_at = now(), updated_at = now()
            """,
            logger: db.logger
        )
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
        let rows = try await db.client.query(
            """
            SELECT name, cursor, to_char(last_success_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS'), last_error,
                   to_char(last_error_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS')
            FROM sync_checkpoints ORDER BY name
            """,
            logger: db.logger
        )
        for try await (name, cursor, ok, error, errorAt) in rows.decode((String, String, String?, String?, String?).self) {
            out.append(Status(name: name, cursor: cursor, lastSuccessAt: ok, lastError: error, lastErrorAt: errorAt))
        }
        return out
    }
}
