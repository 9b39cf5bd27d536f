import Logging
import PostgresNIO

/// Versioned schema migrations, applied in order, each once, under an advisory lock so that several hub
/// instances starting together do not race. `hub migrate` and every start apply the pending ones.
public enum Migrations {
    /// A numbered migration. Append only: never edit one that has shipped; add the next.
    public struct Migration: Sendable {
        public var version: Int
        public var name: String
        public var sql: [String]
    }

    public static let all: [Migration] = [
        foundation, review, exchange, console, accounts, privacy, agencies, randomChecks, libraryOutboxKey, calendar, cases, disclosure, bulletins,
        observations, clues, riskModels, riskReports, catalogDates, catalogClaims, localItems, messageLog,
    ]

    /// Applies what is pending and returns the versions it applied. `grantingTo`: the app role, when `db` is
    /// the owner's connection — its privileges are granted afresh after every run (`DatabaseRoles`), so tables
    /// that later migrations add are covered. Without it and with nothing pending, nothing is written, so a
    /// hub connected as the app role alone can start on a migrated database.
    @discardableResult
    public static func apply(_ db: HubDatabase, grantingTo appRole: String? = nil) async throws -> [Int] {
        if appRole == nil, try await pending(db).isEmpty { return [] }
        return try await db.client.withTransaction(logger: db.logger) { conn in
            try await conn.query("SELECT pg_advisory_xact_lock(7411001)", logger: db.logger)
            try await conn.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """,
                logger: db.logger
            )
            var applied = Set<Int>()
            for try await version in try await conn.query("SELECT version FROM schema_migrations", logger: db.logger).decode(Int.self) {
                applied.insert(version)
            }
            var done: [Int] = []
            for migration in all where !applied.contains(migration.version) {
                for statement in migration.sql {
                    try await conn.query(PostgresQuery(unsafeSQL: statement), logger: db.logger)
                }
                try await conn.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: db.logger
                )
                db.logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                done.append(migration.version)
            }
            if let appRole {
                var tables = Set<String>()
                for try await name in try await conn.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", logger: db.logger)
                    .decode(String.self)
                { tables.insert(name) }
                for statement in DatabaseRoles.grantStatements(to: appRole, existing: tables) {
                    try await conn.query(PostgresQuery(unsafeSQL: statement), logger: db.logger)
                }
            }
            return done
        }
    }

    /// The versions not applied yet (all when the database is empty), read without writing anything.
    public static func pending(_ db: HubDatabase) async throws -> [Int] {
        var exists = false
        for try await e in try await db.client.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: db.logger).decode(Bool.self) {
            exists = e
        }
        guard exists else { return all.map(\.version) }
        var applied = Set<Int>()
        for try await version in try await db.client.query("SELECT version FROM schema_migrations", logger: db.logger).decode(Int.self) {
            applied.insert(version)
        }
        return all.map(\.version).filter { !applied.contains($0) }
    }
}
