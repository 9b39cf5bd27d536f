import Logging
import PostgresNIO

/// Versioned schema migrations, applied in order, each once, under an advisory lock so that several hub
/// instances starting together do not race. `hub migrate` and every start apply the pending ones.
public enum Migrations {
    /// A numbered migration. Append only: never edit one that has shipped; add the next.
    public struct Migration: Sendable {
        public var version: Int
        public var name: String
        public var steps: [Step]

        /// A migration of transactional statements only (all migrations before 24).
        public init(version: Int, name: String, sql: [String]) {
            self.init(version: version, name: name, steps: sql.map { .sql($0) })
        }

        public init(version: Int, name: String, steps: [Step]) {
            self.version = version
            self.name = name
            self.steps = steps
        }

        /// Whether every step runs inside the one migration transaction.
        var transactional: Bool { steps.allSatisfy { if case .sql = $0 { true } else { false } } }
    }

    /// One step of a migration (docs/ARCHITECTURE.md "Migrations: expand and contract").
    ///
    /// `sql` steps run in a transaction together with the steps next to them. A migration with any other step
    /// runs step by step: consecutive `sql` steps share one transaction that commits before the next
    /// `outside`/`batched` step, and each step done is recorded (`schema_migration_steps`) in the transaction
    /// that did it, so a run cut half-way resumes after the last step that committed. An `outside` step has no
    /// transaction to undo it: it must be safe to run again (IF NOT EXISTS, `onlyIf`, dropping an INVALID index
    /// that an interrupted CONCURRENTLY build left).
    public enum Step: Sendable {
        /// A statement in a transaction (DDL is transactional in PostgreSQL).
        case sql(String)
        /// A statement outside any transaction — `CREATE INDEX CONCURRENTLY`, `ALTER TABLE … VALIDATE
        /// CONSTRAINT` kept from holding the lock of an earlier step. `onlyIf`: a query answering one boolean;
        /// the statement is skipped when it is false (so the step is safe to run again).
        case outside(String, onlyIf: String? = nil)
        /// A backfill: one statement that changes at most a batch of rows and answers how many (one integer:
        /// `WITH b AS (UPDATE … LIMIT-by-subquery … RETURNING 1) SELECT count(*)::int FROM b`), run in its own
        /// short transaction again and again until it changes none — no long lock, no transaction holding back
        /// vacuum, and writers keep going between batches.
        case batched(String)
    }

    public static let all: [Migration] = [
        foundation, review, exchange, console, accounts, privacy, agencies, randomChecks, libraryOutboxKey, calendar, cases, disclosure, bulletins,
        observations, clues, riskModels, riskReports, catalogDates, catalogClaims, localItems, messageLog, ledgerPartitions, recordsLocalIdSearch,
    ]

    /// The lock key that serializes migrators (session-level here, transaction-level in older hubs — the same
    /// key, so an older instance starting during an upgrade waits too).
    static let lockKey: Int64 = 7_411_001

    /// Applies what is pending and returns the versions it applied. `grantingTo`: the app role, when `db` is
    /// the owner's connection — its privileges are granted afresh after every run (`DatabaseRoles`), so tables
    /// that later migrations add are covered. Without it and with nothing pending, nothing is written, so a
    /// hub connected as the app role alone can start on a migrated database. `through`: stop after this
    /// version (tests build an older schema with it).
    ///
    /// One connection holds a session advisory lock for the whole run, so a second instance starting at the
    /// same time waits, then finds nothing pending. Transactional migrations in a row share one transaction,
    /// as before 24; a migration with `outside`/`batched` steps commits what precedes it first.
    @discardableResult
    public static func apply(_ db: HubDatabase, grantingTo appRole: String? = nil, through: Int? = nil) async throws -> [Int] {
        if appRole == nil, try await pending(db).filter({ $0 <= (through ?? .max) }).isEmpty { return [] }
        return try await db.client.withConnection { conn in
            try await conn.query("SELECT pg_advisory_lock(\(lockKey))", logger: db.logger)
            do {
                let done = try await run(conn, db: db, appRole: appRole, through: through)
                try await conn.query("SELECT pg_advisory_unlock(\(lockKey))", logger: db.logger)
                return done
            } catch {
                _ = try? await conn.query("ROLLBACK", logger: db.logger)
                _ = try? await conn.query("SELECT pg_advisory_unlock(\(lockKey))", logger: db.logger)
                throw error
            }
        }
    }

    private static func run(_ conn: PostgresConnection, db: HubDatabase, appRole: String?, through: Int?) async throws -> [Int] {
        var open = false
        func begin() async throws {
            if !open { try await conn.query("BEGIN", logger: db.logger) }
            open = true
        }
        func commit() async throws {
            if open { try await conn.query("COMMIT", logger: db.logger) }
            open = false
        }
        try await begin()
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
        try await conn.query(
            "CREATE TABLE IF NOT EXISTS schema_migration_steps (version int PRIMARY KEY, steps_done int NOT NULL)",
            logger: db.logger
        )
        var resume: [Int: Int] = [:]
        for try await (version, stepsDone) in try await conn.query("SELECT version, steps_done FROM schema_migration_steps", logger: db.logger)
            .decode((Int, Int).self)
        { resume[version] = stepsDone }
        var done: [Int] = []
        for migration in all where !applied.contains(migration.version) && migration.version <= (through ?? .max) {
            if !migration.transactional { try await commit() }
            func stepDone(_ index: Int) async throws {
                guard !migration.transactional else { return }
                try await conn.query(
                    """
                    INSERT INTO schema_migration_steps (version, steps_done) VALUES (\(migration.version), \(index + 1))
                    ON CONFLICT (version) DO UPDATE SET steps_done = excluded.steps_done
                    """,
                    logger: db.logger
                )
            }
            for (index, step) in migration.steps.enumerated() where index >= resume[migration.version] ?? 0 {
                switch step {
                case .sql(let statement):
                    try await begin()
                    try await conn.query(PostgresQuery(unsafeSQL: statement), logger: db.logger)
                    try await stepDone(index)
                case .outside(let statement, let guardQuery):
                    try await commit()
                    if let guardQuery {
                        var go = false
                        for try await g in try await conn.query(PostgresQuery(unsafeSQL: guardQuery), logger: db.logger).decode(Bool?.self) {
                            go = g ?? false
                        }
                        if !go {
                            try await stepDone(index)
                            continue
                        }
                    }
                    try await conn.query(PostgresQuery(unsafeSQL: statement), logger: db.logger)
                    try await stepDone(index)
                case .batched(let statement):
                    try await commit()
                    var batches = 0
                    while true {
                        var changed = 0
                        for try await n in try await conn.query(PostgresQuery(unsafeSQL: statement), logger: db.logger).decode(Int.self) {
                            changed = n
                        }
                        batches += 1
                        if changed == 0 { break }
                    }
                    db.logger.info("migration backfill done", metadata: ["version": "\(migration.version)", "batches": "\(batches)"])
                    try await stepDone(index)
                }
            }
            try await begin()
            try await conn.query(
                "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                logger: db.logger
            )
            if !migration.transactional { try await commit() }
            db.logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            done.append(migration.version)
        }
        try await begin()
        if let appRole {
            var tables = Set<String>()
            for try await name in try await conn.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", logger: db.logger)
                .decode(String.self)
            { tables.insert(name) }
            for statement in DatabaseRoles.grantStatements(to: appRole, existing: tables) {
                try await conn.query(PostgresQuery(unsafeSQL: statement), logger: db.logger)
            }
        }
        try await commit()
        return done
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
