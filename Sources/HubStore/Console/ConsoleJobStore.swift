import Foundation
import HubModel
import NIOCore
import PostgresNIO

/// The console's expensive actions, run as background jobs: a row per job with its stage and progress, which
/// the job's page reads (any instance can show a job another instance runs), and its result once done.
public struct ConsoleJobStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    public enum Kind: String, Sendable, CaseIterable {
        case verify, checkpoint, proof

        /// How long a user waits between two jobs of this kind (the rate limit).
        public var cooldownSeconds: Int {
            switch self {
            case .verify: 30
            case .checkpoint: 30
            case .proof: 3
            }
        }
    }

    public enum State: String, Sendable, CaseIterable {
        case running, done, failed
    }

    public struct Job: Sendable {
        public var id: Int64
        public var kind: Kind
        public var argument: String
        public var requestedBy: String
        public var state: State
        public var stage: String
        public var progress: Int
        /// Canonical JSON of what the job found, once done.
        public var result: JSONValue?
        public var error: String?
        public var createdAt: String
        public var finishedAt: String?
    }

    /// What `start` did.
    public enum Start: Sendable, Equatable {
        /// A new job: run it.
        case started(Int64)
        /// The same action with the same argument is already running: follow that one.
        case joined(Int64)
        /// The user started this kind less than the cooldown ago: wait this many seconds.
        case tooSoon(Int)
    }

    /// A job older than this that still says `running` was abandoned by an instance that stopped.
    static let abandonedAfterMinutes = 15

    /// Registers a job unless one like it runs, or the user is inside the kind's cooldown. Atomic: the unique
    /// index on running jobs decides between two instances starting the same action at once.
    public func start(_ kind: Kind, argument: String = "", by user: String) async throws -> Start {
        try await db.client.withTransaction(logger: db.logger) { conn in
            try await conn.query(
                """
                UPDATE console_jobs SET state = 'failed', error = 'abandoned: the instance running it stopped', finished_at = now()
                WHERE state = 'running' AND created_at < now() - \(Self.abandonedAfterMinutes) * interval '1 minute'
                """,
                logger: db.logger
            )
            // One user's jobs of a kind are counted one at a time (the advisory lock), so a burst of requests
            // cannot all pass the cooldown check before any of them is inserted.
            try await conn.query("SELECT pg_advisory_xact_lock(7411007, hashtext(\(user + ":" + kind.rawValue)))", logger: db.logger)
            for try await id in try await conn.query(
                """
                SELECT id FROM console_jobs WHERE kind = \(kind.rawValue) AND argument = \(argument) AND state = 'running'
                """,
                logger: db.logger
            ).decode(Int64.self) {
                return .joined(id)
            }
            for try await wait in try await conn.query(
                """
                SELECT ceil(extract(epoch FROM max(created_at) + \(kind.cooldownSeconds) * interval '1 second' - now()))::int
                FROM console_jobs WHERE requested_by = \(user) AND kind = \(kind.rawValue)
                HAVING max(created_at) > now() - \(kind.cooldownSeconds) * interval '1 second'
                """,
                logger: db.logger
            ).decode(Int.self) {
                return .tooSoon(max(1, wait))
            }
            var id: Int64?
            for try await v in try await conn.query(
                """
                INSERT INTO console_jobs (kind, argument, requested_by, stage) VALUES (\(kind.rawValue), \(argument), \(user), 'queued')
                ON CONFLICT (kind, argument) WHERE state = 'running' DO NOTHING RETURNING id
                """,
                logger: db.logger
            ).decode(Int64.self) { id = v }
            if let id { return .started(id) }
            // Another instance inserted the same job in the meantime.
            for try await other in try await conn.query(
                """
                SELECT id FROM console_jobs WHERE kind = \(kind.rawValue) AND argument = \(argument) AND state = 'running'
                """,
                logger: db.logger
            ).decode(Int64.self) {
                return .joined(other)
            }
            return .tooSoon(1)
        }
    }

    /// Records the stage a running job reached (`progress` in percent).
    public func progress(_ id: Int64, stage: String, percent: Int) async throws {
        try await db.client.query(
            """
            UPDATE console_jobs SET stage = \(stage), progress = \(min(100, max(0, percent))) WHERE id = \(id) AND state = 'running'
            """,
            logger: db.logger
        )
    }

    public func finish(_ id: Int64, result: JSONValue) async throws {
        try await db.client.query(
            """
            UPDATE console_jobs SET state = 'done', stage = 'done', progress = 100, result = \(CanonicalJSON.string(result)), finished_at = now()
            WHERE id = \(id)
            """,
            logger: db.logger
        )
    }

    public func fail(_ id: Int64, error: String) async throws {
        try await db.client.query(
            """
            UPDATE console_jobs SET state = 'failed', error = \(String(error.prefix(500))), finished_at = now() WHERE id = \(id)
            """,
            logger: db.logger
        )
    }

    public func job(_ id: Int64) async throws -> Job? {
        let rows = try await db.client.query(
            """
            SELECT id, kind, argument, requested_by, state, stage, progress, result, error,
                   to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS'),
                   to_char(finished_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS')
            FROM console_jobs WHERE id = \(id)
            """,
            logger: db.logger
        )
        for try await (id, kind, argument, by, state, stage, progress, result, error, created, finished) in rows.decode(
            (Int64, String, String, String, String, String, Int, String?, String?, String, String?).self
        ) {
            guard let kind = Kind(rawValue: kind), let state = State(rawValue: state) else { return nil }
            return Job(
                id: id,
                kind: kind,
                argument: argument,
                requestedBy: by,
                state: state,
                stage: stage,
                progress: progress,
                result: result.flatMap { try? JSONParser().parse(Array($0.utf8)) },
                error: error,
                createdAt: created,
                finishedAt: finished
            )
        }
        return nil
    }
}

/// One-time console messages ("decision saved, 3 records released"), kept on the server under a hash of the
/// session they belong to and shown once by the next page that asks for them. A page never takes a message
/// from its URL, so a crafted link cannot make the console say something it did not.
public struct ConsoleFlashStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// A message code from a fixed list (the page maps it to a fixed text) and its values.
    public struct Flash: Sendable {
        public var code: String
        public var params: JSONValue
        public init(code: String, params: JSONValue = .object([])) {
            self.code = code
            self.params = params
        }
    }

    public func put(session: String, _ flash: Flash) async throws {
        let key = ByteBuffer(bytes: sha256(session.utf8))
        try await db.client.withTransaction(logger: db.logger) { conn in
            try await conn.query("DELETE FROM console_flash WHERE created_at < now() - interval '1 hour'", logger: db.logger)
            try await conn.query(
                """
                INSERT INTO console_flash (session_hash, code, params) VALUES (\(key), \(flash.code), \(CanonicalJSON.string(flash.params)))
                """,
                logger: db.logger
            )
        }
    }

    /// The session's messages whose code is one of `codes`, removed as they are read.
    public func take(session: String, codes: [String]) async throws -> [Flash] {
        let key = ByteBuffer(bytes: sha256(session.utf8))
        var out: [Flash] = []
        for try await (code, params) in try await db.client.query(
            """
            DELETE FROM console_flash WHERE session_hash = \(key) AND code = ANY(\(codes)) RETURNING code, params
            """,
            logger: db.logger
        ).decode((String, String).self) {
            out.append(Flash(code: code, params: (try? JSONParser().parse(Array(params.utf8))) ?? .object([])))
        }
        return out
    }
}
