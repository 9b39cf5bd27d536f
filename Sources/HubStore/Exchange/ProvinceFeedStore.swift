import Foundation
import HubModel
import PostgresNIO

/// Joint-supervision tasks and risk clues the province sent down, kept for the departments they name.
/// Each page is stored with its feed checkpoint in one transaction, so a restart neither skips nor repeats.
public struct ProvinceFeedStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    public struct Task: Sendable {
        public var taskId: String
        public var seq: Int
        public var title: String
        public var leadDepartment: String
        public var departments: [String]
        public var deadline: String
        /// The task as the province sent it (canonical JSON).
        public var body: String
        public init(taskId: String, seq: Int, title: String, leadDepartment: String, departments: [String], deadline: String, body: String) {
            self.taskId = taskId
            self.seq = seq
            self.title = title
            self.leadDepartment = leadDepartment
            self.departments = departments
            self.deadline = deadline
            self.body = body
        }
    }

    public struct Clue: Sendable {
        public var clueId: String
        public var seq: Int
        public var model: String
        public var departments: [String]
        public var subjectUSCC: String
        public var body: String
        public init(clueId: String, seq: Int, model: String, departments: [String], subjectUSCC: String, body: String) {
            self.clueId = clueId
            self.seq = seq
            self.model = model
            self.departments = departments
            self.subjectUSCC = subjectUSCC
            self.body = body
        }
    }

    public func store(tasks: [Task], checkpoint: String, cursor: Int) async throws {
        try await db.client.withTransaction(logger: db.logger) { conn in
            for t in tasks {
                // The lead department sees its task too.
                let departments = Array(Set(t.departments + [t.leadDepartment])).sorted()
                try await conn.query(
                    """
                    INSERT INTO joint_tasks (task_id, seq, title, lead_department, departments, deadline, body)
                    VALUES (\(t.taskId), \(t.seq), \(t.title), \(t.leadDepartment), \(departments), \(t.deadline), \(t.body))
                    ON CONFLICT (task_id) DO NOTHING
                    """,
                    logger: db.logger
                )
            }
            try await SyncCheckpoints(db: db).save(checkpoint, cursor: String(cursor), on: conn)
        }
    }

    /// Keeps a page of clues as the province sent them (`risk_clues`, the raw feed) and starts each new one's
    /// lifecycle (`ClueStore.receive`: the `clues` row, its ledger entries, the assignment to the lead department),
    /// with the feed's checkpoint, in one transaction. `now`: the day the clues are received (deadlines count from it).
    public func store(clues: [Clue], checkpoint: String, cursor: Int, now: Date = Date()) async throws {
        try await db.client.withTransaction(logger: db.logger) { conn in
            for c in clues {
                try await conn.query(
                    """
                    INSERT INTO risk_clues (clue_id, seq, model, departments, subject_uscc, body)
                    VALUES (\(c.clueId), \(c.seq), \(c.model), \(c.departments), \(c.subjectUSCC), \(c.body))
                    ON CONFLICT (clue_id) DO NOTHING
                    """,
                    logger: db.logger
                )
            }
            try await ClueStore(db: db).receive(clues, now: now, on: conn)
            try await SyncCheckpoints(db: db).save(checkpoint, cursor: String(cursor), on: conn)
        }
    }

    /// The tasks naming `department` (canonical JSON bodies, newest first).
    public func tasks(department: String, limit: Int = 100) async throws -> [String] {
        var out: [String] = []
        for try await body in try await db.client.query(
            """
            SELECT body FROM joint_tasks WHERE \(department) = ANY(departments) ORDER BY seq DESC LIMIT \(limit)
            """,
            logger: db.logger
        ).decode(String.self) { out.append(body) }
        return out
    }

    public func clues(department: String, limit: Int = 100) async throws -> [String] {
        var out: [String] = []
        for try await body in try await db.client.query(
            """
            SELECT body FROM risk_clues WHERE \(department) = ANY(departments) ORDER BY seq DESC LIMIT \(limit)
            """,
            logger: db.logger
        ).decode(String.self) { out.append(body) }
        return out
    }

    /// Whether the task names the department (lead or participant).
    public func taskNames(_ taskId: String, department: String) async throws -> Bool {
        for try await _ in try await db.client.query(
            """
            SELECT 1 FROM joint_tasks WHERE task_id = \(taskId) AND \(department) = ANY(departments)
            """,
            logger: db.logger
        ).decode(Int.self) { return true }
        return false
    }

    /// Keeps a department's feedback (with a ledger entry) before it is forwarded to the province.
    public func recordFeedback(taskId: String, department: String, result: String, detail: String) async throws -> Int64 {
        try await db.client.withTransaction(logger: db.logger) { conn in
            var id: Int64 = 0
            for try await v in try await conn.query(
                """
                INSERT INTO task_feedback (task_id, department, result, detail) VALUES (\(taskId), \(department), \(result), \(detail)) RETURNING id
                """,
                logger: db.logger
            ).decode(Int64.self) { id = v }
            let payload = CanonicalJSON.string(.object([("taskId", .string(taskId)), ("result", .string(result)), ("detail", .string(detail))]))
            _ = try await LedgerStore.append(
                [LedgerDraft(kind: .taskFeedback, department: department, subject: taskId, payload: payload)],
                conn,
                logger: db.logger
            )
            return id
        }
    }

    public func markForwarded(_ id: Int64) async throws {
        try await db.client.query("UPDATE task_feedback SET forwarded_at = now() WHERE id = \(id)", logger: db.logger)
    }
}

extension ProvinceFeedStore {
    public struct PendingFeedback: Sendable {
        public var id: Int64
        public var taskId: String
        public var department: String
        public var result: String
        public var detail: String
    }

    /// Feedback not yet forwarded to the province (the pull loop forwards it).
    public func pendingFeedback(limit: Int = 100) async throws -> [PendingFeedback] {
        var out: [PendingFeedback] = []
        for try await (id, task, dept, result, detail) in try await db.client.query(
            """
            SELECT id, task_id, department, result, detail FROM task_feedback WHERE forwarded_at IS NULL ORDER BY id LIMIT \(limit)
            """,
            logger: db.logger
        ).decode((Int64, String, String, String, String).self) {
            out.append(PendingFeedback(id: id, taskId: task, department: dept, result: result, detail: detail))
        }
        return out
    }
}
