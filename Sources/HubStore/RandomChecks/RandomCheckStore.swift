import Foundation
import HubModel
import Logging
import NIOCore
import PostgresNIO
import Supervision

/// 双随机一公开 plans and what follows them: proposal, approval (the seed is made and only its commitment
/// published), the draw, tasks, substitutions and joint-visit merges. Every write is one transaction with its
/// ledger entry; the decisions (the draw, merges) are `Supervision`'s pure functions, this store reads and applies.
///
/// Who may act is the caller's check (`ReviewPolicy`); the store keeps only four eyes on approval — nobody approves
/// a plan they proposed — because that needs the stored proposer.
public struct RandomCheckStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// Draws of every plan take this transaction lock first, so two draws never count the same year's draws of
    /// a subject at the same time (the frequency cap holds across plans).
    static let drawLockKey: Int64 = 7_411_011

    /// One plan as ops see it. `commitment` is set once approved; `draw` (the published draw, JSON) once drawn.
    public struct PlanSummary: Sendable {
        public var planId: String
        public var name: String
        public var leadDepartment: String
        public var participants: [String]
        public var status: String
        public var periodStart: String
        public var periodEnd: String
        public var proposedBy: String
        public var approvedBy: String?
        public var commitment: String?
        public var candidatesHash: String?
        public var drawnAt: String?
        public var tasks: Int
        /// The plan document (`RandomCheckPlan.json`), as proposed.
        public var body: String
        /// The published draw (`PublishedDraw`, JSON), after the draw only.
        public var draw: String?
    }

    /// Proposes a plan: every department must be registered and every item on that department's active
    /// 抽查事项清单 (`rc_items`). The plan's own rules (`problems()`) are the caller's check. Ledger
    /// `random_check_plan` (proposed).
    public func propose(_ plan: RandomCheckPlan, by user: String) async throws -> PlanSummary {
        try await db.client.transaction(logger: db.logger) { conn in
            var errors: [FieldError] = []
            var known = Set<String>()
            for try await code in try await conn.query("SELECT code FROM departments WHERE code = ANY(\(plan.departments))", logger: db.logger)
                .decode(String.self)
            {
                known.insert(code)
            }
            if !known.contains(plan.leadDepartment) {
                errors.append(FieldError(path: "leadDepartment", code: "unknown_department", zh: "枢纽中没有该部门", en: "no such department in the hub"))
            }
            for (index, code) in plan.participants.enumerated() where !known.contains(code) {
                errors.append(
                    FieldError(path: "participants[\(index)]", code: "unknown_department", zh: "枢纽中没有该部门", en: "no such department in the hub")
                )
            }
            var listed = Set<String>()
            for try await (department, code) in try await conn.query(
                "SELECT department_code, catalog_code FROM rc_items WHERE active AND department_code = ANY(\(plan.departments))",
                logger: db.logger
            ).decode((String, String).self) {
                listed.insert(department + "|" + code)
            }
            for department in plan.departments where known.contains(department) {
                for (index, code) in (plan.items[department] ?? []).enumerated() where !listed.contains(department + "|" + code) {
                    errors.append(
                        FieldError(
                            path: "items.\(department)[\(index)]",
                            code: "item_not_listed",
                            zh: "该事项不在本部门的抽查事项清单中",
                            en: "this item is not on the department's random-check item list"
                        )
                    )
                }
            }
            // The plan is well formed (the caller checked it); what refuses it now is the state of the hub — the
            // departments registered, the lists they keep — so 409, as for a plan id already taken.
            guard errors.isEmpty else { throw StoreRefusal(.conflict, errors) }
            var exists = false
            for try await _ in try await conn.query("SELECT 1 FROM rc_plans WHERE plan_id = \(plan.planId)", logger: db.logger).decode(Int.self) {
                exists = true
            }
            if exists {
                throw StoreRefusal(.conflict, path: "planId", code: "plan_exists", zh: "计划编号已存在", en: "a plan with this id exists")
            }
            let body = Self.text(plan.json)
            var chain = try await LedgerChain(conn, logger: db.logger)
            let entry = chain.add(
                kind: .randomCheckPlan,
                department: plan.leadDepartment,
                subject: plan.planId,
                payload: Self.text(.object([("event", .string("proposed")), ("by", .string(user)), ("plan", plan.json)]))
            )
            try await chain.flush(conn, logger: db.logger)
            try await conn.query(
                """
                INSERT INTO rc_plans (plan_id, name, lead_department, participants, body, status, period_start, period_end, proposed_by, ledger_seq)
                VALUES (\(plan.planId), \(plan.name), \(plan.leadDepartment), \(plan.participants), \(body), 'proposed',
                        \(plan.periodStart)::date, \(plan.periodEnd)::date, \(user), \(entry.seq))
                """,
                logger: db.logger
            )
            return try await Self.summary(plan.planId, conn: conn, logger: db.logger)!
        }
    }

    /// A second person approves a proposed plan: the seed is made here (`DrawSeed.random()`) and kept in the
    /// plan row, its commitment published — in the ledger and to the province (outbox `rc_plan`) — before any
    /// candidate list exists.
    public func approve(_ planId: String, by user: String) async throws -> PlanSummary {
        try await db.client.transaction(logger: db.logger) { conn in
            let (status, proposer, body) = try await Self.lock(planId, conn: conn, logger: db.logger)
            guard status == "proposed" else { throw StoreRefusal.wrongStatus(status, expected: "proposed") }
            guard proposer != user else {
                throw StoreRefusal(
                    .forbidden,
                    path: "planId",
                    code: "own_plan",
                    zh: "不能批准本人提出的抽查计划（双人复核）",
                    en: "nobody approves a plan they proposed (four eyes)"
                )
            }
            let plan = try Self.plan(body)
            let seed = DrawSeed.random()
            var chain = try await LedgerChain(conn, logger: db.logger)
            let payload: JSONValue = .object([
                ("event", .string("approved")), ("by", .string(user)), ("proposedBy", .string(proposer)),
                ("commitment", .string(seed.commitment)),
            ])
            let entry = chain.add(kind: .randomCheckPlan, department: plan.leadDepartment, subject: planId, payload: Self.text(payload))
            try await chain.flush(conn, logger: db.logger)
            try await conn.query(
                """
                UPDATE rc_plans SET status = 'approved', approved_by = \(user), approved_at = now(),
                       seed = \(ByteBuffer(bytes: seed.bytes)), commitment = \(seed.commitment), ledger_seq = \(entry.seq)
                WHERE plan_id = \(planId)
                """,
                logger: db.logger
            )
            let row: JSONValue = .object([("plan", plan.json), ("status", .string("approved")), ("commitment", .string(seed.commitment))])
            try await OutboxStore.enqueue(
                .plan,
                key: planId,
                department: plan.leadDepartment,
                body: Self.text(row),
                ledgerSeq: entry.seq,
                on: conn,
                logger: db.logger
            )
            return try await Self.summary(planId, conn: conn, logger: db.logger)!
        }
    }

    /// Locks a plan row for the transaction: its status, proposer and body.
    static func lock(_ planId: String, conn: PostgresConnection, logger: Logger) async throws -> (String, String, String) {
        for try await row in try await conn.query(
            "SELECT status, proposed_by, body FROM rc_plans WHERE plan_id = \(planId) FOR UPDATE",
            logger: logger
        ).decode((String, String, String).self) {
            return row
        }
        throw StoreRefusal.noPlan(planId)
    }

    /// A stored plan document read back (it was written by `RandomCheckPlan.json`).
    static func plan(_ body: String) throws -> RandomCheckPlan {
        guard let value = try? JSONParser().parse(Array(body.utf8)), let plan = RandomCheckPlan.read(value, defaultRatios: .default).plan else {
            throw StoredPlanUnreadable()
        }
        return plan
    }

    /// A plan row whose body no longer reads: the store's bug or a hand-edited row, never a client's input.
    struct StoredPlanUnreadable: Error {}

    static func text(_ value: JSONValue) -> String { String(decoding: CanonicalJSON.encode(value), as: UTF8.self) }

    static let summaryColumns = """
        p.plan_id, p.name, p.lead_department, p.participants, p.status, to_char(p.period_start, 'YYYY-MM-DD'),
        to_char(p.period_end, 'YYYY-MM-DD'), p.proposed_by, p.approved_by, p.commitment, p.candidates_hash,
        to_char(p.drawn_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'),
        (SELECT count(*)::int FROM rc_tasks t WHERE t.plan_id = p.plan_id), p.body, p.draw
        """

    typealias SummaryRow = (
        String, String, String, [String], String, String, String, String, String?, String?, String?, String?, Int, String, String?
    )

    static func summary(_ row: SummaryRow) -> PlanSummary {
        PlanSummary(
            planId: row.0,
            name: row.1,
            leadDepartment: row.2,
            participants: row.3,
            status: row.4,
            periodStart: row.5,
            periodEnd: row.6,
            proposedBy: row.7,
            approvedBy: row.8,
            commitment: row.9,
            candidatesHash: row.10,
            drawnAt: row.11,
            tasks: row.12,
            body: row.13,
            draw: row.14
        )
    }

    static func summary(_ planId: String, conn: PostgresConnection, logger: Logger) async throws -> PlanSummary? {
        let rows = try await conn.query(
            PostgresQuery(unsafeSQL: "SELECT \(summaryColumns) FROM rc_plans p WHERE p.plan_id = $1", binds: binds([planId])),
            logger: logger
        )
        for try await row in rows.decode(SummaryRow.self) { return summary(row) }
        return nil
    }

    static func binds(_ values: [String]) -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { binds.append(value) }
        return binds
    }
}
