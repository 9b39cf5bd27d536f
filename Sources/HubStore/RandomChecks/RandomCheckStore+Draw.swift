import Foundation
import HubModel
import Logging
import NIOCore
import PostgresNIO
import Supervision

extension RandomCheckStore {
    /// Draws an approved plan, once. In one transaction: the draw lock, the plan row, what `PlanDraw.run` reads
    /// (candidates pre-filtered here and filtered again there, this calendar year's draws of each candidate across
    /// every plan, the departments' inspectors, conflicts, last teams) — then the tasks and their inspectors, the
    /// plan drawn with its published draw, the ledger (`random_check_draw`: the draw, then each task), the outbox
    /// (`rc_draw` and one `rc_task` per task) and the merge proposals with other plans' open tasks.
    ///
    /// A draw short of inspectors throws a 409 naming each shortfall; the transaction rolls back, nothing is
    /// written and the plan stays approved.
    public func draw(_ planId: String, by user: String, caps: FrequencyCaps) async throws -> PublishedDraw {
        try await db.client.transaction(logger: db.logger) { conn in
            let logger = db.logger
            try await conn.query("SELECT pg_advisory_xact_lock(\(Self.drawLockKey))", logger: logger)
            let (status, _, body) = try await Self.lock(planId, conn: conn, logger: logger)
            guard status == "approved" else { throw StoreRefusal.wrongStatus(status, expected: "approved") }
            let plan = try Self.plan(body)
            var seedBytes: [UInt8] = []
            for try await buffer in try await conn.query("SELECT seed FROM rc_plans WHERE plan_id = \(planId)", logger: logger).decode(
                ByteBuffer.self
            ) {
                seedBytes = Array(buffer.readableBytesView)
            }
            guard let seed = DrawSeed(bytes: seedBytes) else { throw StoredPlanUnreadable() }
            let today = try await Self.today(conn, logger: logger)
            let readings = try await Self.readings(plan: plan, today: today, conn: conn, logger: logger)

            switch PlanDraw.run(plan: plan, seed: seed, caps: caps, readings: readings) {
            case .refused(let shortfalls):
                throw StoreRefusal(
                    .conflict,
                    shortfalls.map {
                        FieldError(
                            path: "tasks.\($0.taskId).\($0.department)",
                            code: "too_few_inspectors",
                            zh: "可抽取的执法检查人员只有 \($0.eligible) 名，每个任务需要 \($0.needed) 名：本次不抽取",
                            en: "only \($0.eligible) eligible inspectors, \($0.needed) needed per task: nothing was drawn"
                        )
                    }
                )
            case .drawn(let published, let outcome):
                try await apply(plan: plan, published: published, outcome: outcome, today: today, by: user, conn: conn)
                return published
            }
        }
    }

    /// Today in Asia/Shanghai, `YYYY-MM-DD` (the database's clock, as every stored time).
    static func today(_ conn: PostgresConnection, logger: Logger) async throws -> String {
        for try await day in try await conn.query(
            "SELECT to_char((now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD')",
            logger: logger
        ).decode(String.self) {
            return day
        }
        preconditionFailure("SELECT returned no row")
    }

    /// What the draw reads, inside its transaction.
    static func readings(plan: RandomCheckPlan, today: String, conn: PostgresConnection, logger: Logger) async throws -> PlanDraw.Readings {
        let filter = plan.filter
        let regionPattern = filter.regionCode.map { String(RegionScope($0).prefix) + "%" }
        let industryPatterns = filter.industryPrefixes.map { $0 + "%" }
        var subjects: [InspectionSubject] = []
        for try await (id, idType, name, region, industry, type, tags, grade) in try await conn.query(
            """
            SELECT subject_id, id_type, name, region_code, industry_code, subject_type, tags, credit_grade::text
            FROM rc_subjects
            WHERE active
              AND (\(regionPattern)::text IS NULL OR region_code LIKE \(regionPattern)::text)
              AND (cardinality(\(filter.subjectTypes)::text[]) = 0 OR subject_type = ANY(\(filter.subjectTypes)::text[]))
              AND tags @> \(filter.tags)::text[]
              AND (cardinality(\(industryPatterns)::text[]) = 0 OR industry_code LIKE ANY(\(industryPatterns)::text[]))
            """,
            logger: logger
        ).decode((String, String, String, String, String, String, [String], String).self) {
            subjects.append(
                InspectionSubject(
                    id: id,
                    idType: idType,
                    name: name,
                    regionCode: region,
                    industryCode: industry,
                    subjectType: type,
                    tags: tags,
                    credit: CreditGrade(rawValue: grade) ?? .ungraded
                )
            )
        }
        let ids = subjects.map(\.id)
        var draws: [String: Int] = [:]
        for try await (id, n) in try await conn.query(
            """
            SELECT subject_id, count(*)::int FROM rc_tasks
            WHERE subject_id = ANY(\(ids)) AND drawn_on >= date_trunc('year', \(today)::date)::date
              AND drawn_on < (date_trunc('year', \(today)::date) + interval '1 year')::date
            GROUP BY subject_id
            """,
            logger: logger
        ).decode((String, Int).self) {
            draws[id] = n
        }
        var inspectors: [Inspector] = []
        for try await (certificate, department, name, region, specialties, status) in try await conn.query(
            """
            SELECT certificate_no, department_code, name, region_code, specialties, status
            FROM rc_inspectors WHERE department_code = ANY(\(plan.departments))
            """,
            logger: logger
        ).decode((String, String, String, String, [String], String).self) {
            inspectors.append(
                Inspector(
                    departmentCode: department,
                    certificateNo: certificate,
                    name: name,
                    regionCode: region,
                    specialties: specialties,
                    status: InspectorStatus(rawValue: status) ?? .left
                )
            )
        }
        var conflicts: [InterestConflict] = []
        for try await (certificate, subject, reason) in try await conn.query(
            "SELECT certificate_no, subject_id, reason FROM rc_conflicts WHERE subject_id = ANY(\(ids))",
            logger: logger
        ).decode((String, String, String).self) {
            conflicts.append(InterestConflict(certificateNo: certificate, subjectId: subject, reason: reason))
        }
        var lastTeams: [String: Set<String>] = [:]
        for try await (department, subject, certificate) in try await conn.query(
            """
            WITH latest AS (
                SELECT DISTINCT ON (d.dept, t.subject_id) d.dept, t.subject_id, t.task_id
                FROM rc_tasks t CROSS JOIN LATERAL unnest(t.departments) AS d(dept)
                WHERE d.dept = ANY(\(plan.departments)) AND t.subject_id = ANY(\(ids))
                ORDER BY d.dept, t.subject_id, t.seq DESC)
            SELECT l.dept, l.subject_id, i.certificate_no
            FROM latest l JOIN rc_task_inspectors i ON i.task_id = l.task_id AND i.department_code = l.dept
            """,
            logger: logger
        ).decode((String, String, String).self) {
            lastTeams[InspectorPool.lastTeamKey(department: department, subjectId: subject), default: []].insert(certificate)
        }
        return PlanDraw.Readings(subjects: subjects, drawsThisYear: draws, inspectors: inspectors, conflicts: conflicts, lastTeams: lastTeams)
    }

    /// Writes a successful draw (inside `draw`'s transaction).
    func apply(
        plan: RandomCheckPlan,
        published: PublishedDraw,
        outcome: DrawOutcome,
        today: String,
        by user: String,
        conn: PostgresConnection
    ) async throws {
        let logger = db.logger
        let tasks = published.tasks
        try await conn.query(
            """
            INSERT INTO rc_tasks (task_id, plan_id, subject_id, credit_grade, departments, drawn_on, period_end)
            SELECT t.id, \(plan.planId), t.subject, t.grade, \(plan.departments)::text[], \(today)::date, \(plan.periodEnd)::date
            FROM unnest(\(tasks.map(\.taskId))::text[], \(tasks.map(\.subjectId))::text[], \(tasks.map(\.grade.rawValue))::text[])
                 AS t(id, subject, grade)
            """,
            logger: logger
        )
        var taskIds: [String] = []
        var departments: [String] = []
        var certificates: [String] = []
        for task in tasks {
            for department in plan.departments {
                for certificate in task.inspectors[department] ?? [] {
                    taskIds.append(task.taskId)
                    departments.append(department)
                    certificates.append(certificate)
                }
            }
        }
        try await conn.query(
            """
            INSERT INTO rc_task_inspectors (task_id, department_code, certificate_no)
            SELECT * FROM unnest(\(taskIds)::text[], \(departments)::text[], \(certificates)::text[])
            """,
            logger: logger
        )
        let drawText = try Self.drawText(published)
        var chain = try await LedgerChain(conn, logger: logger)
        let counts: JSONValue = .object([
            ("candidates", .number(String(outcome.candidateCount))), ("skipped", .number(String(published.skipped.count))),
            ("tasks", .number(String(tasks.count))), ("filledToMinimum", .number(String(outcome.filledToMinimum))),
        ])
        let drawEntry = chain.add(
            kind: .randomCheckDraw,
            department: plan.leadDepartment,
            subject: plan.planId,
            payload: Self.text(
                .object([
                    ("by", .string(user)), ("commitment", .string(published.commitment)), ("seed", .string(published.seed)),
                    ("candidatesHash", .string(published.candidatesHash)), ("counts", counts),
                ])
            )
        )
        // One entry per task: each outbox row stands on its own ledger entry.
        let taskEntries = tasks.map { task in
            (
                task,
                chain.add(
                    kind: .randomCheckDraw,
                    department: plan.leadDepartment,
                    subject: task.taskId,
                    payload: Self.text(Self.taskJSON(task, plan: plan))
                )
            )
        }
        try await chain.flush(conn, logger: logger)
        try await conn.query(
            """
            UPDATE rc_plans SET status = 'drawn', draw = \(drawText), candidates_hash = \(published.candidatesHash), drawn_at = now(),
                   ledger_seq = \(drawEntry.seq)
            WHERE plan_id = \(plan.planId)
            """,
            logger: logger
        )
        try await OutboxStore.enqueue(
            .draw,
            key: plan.planId,
            department: plan.leadDepartment,
            body: drawText,
            ledgerSeq: drawEntry.seq,
            on: conn,
            logger: logger
        )
        try await OutboxStore.enqueue(
            .task,
            rows: taskEntries.map { task, entry in .init(key: task.taskId, body: entry.payload, ledgerSeq: entry.seq) },
            department: plan.leadDepartment,
            on: conn,
            logger: logger
        )
        try await proposeMerges(newTasks: Set(tasks.map(\.taskId)), subjects: tasks.map(\.subjectId), conn: conn)
    }

    /// A task as the ledger and the province get it: the plan's items per department and the drawn teams.
    static func taskJSON(_ task: DrawnTask, plan: RandomCheckPlan) -> JSONValue {
        .object([
            ("taskId", .string(task.taskId)), ("planId", .string(plan.planId)), ("subjectId", .string(task.subjectId)),
            ("grade", .string(task.grade.rawValue)), ("periodStart", .string(plan.periodStart)), ("periodEnd", .string(plan.periodEnd)),
            (
                "departments",
                .array(
                    plan.departments.map { department in
                        .object([
                            ("department", .string(department)),
                            ("items", .array((plan.items[department] ?? []).map(JSONValue.string))),
                            ("inspectors", .array((task.inspectors[department] ?? []).map(JSONValue.string))),
                        ])
                    }
                )
            ),
        ])
    }

    /// The published draw as stored and served: `PublishedDraw`'s own Codable form, keys sorted.
    static func drawText(_ draw: PublishedDraw) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(draw), as: UTF8.self)
    }

    /// Proposes joint visits for the new tasks with the open, unmerged tasks of other plans on the same subjects
    /// (`VisitMerging`, through `PlanDraw.mergeProposals`); a proposal already made is not made twice.
    func proposeMerges(newTasks: Set<String>, subjects: [String], conn: PostgresConnection) async throws {
        var visits: [VisitMerging.Visit] = []
        for try await (taskId, planId, department, subject, start, end) in try await conn.query(
            """
            SELECT t.task_id, t.plan_id, t.departments[1], t.subject_id, to_char(p.period_start, 'YYYY-MM-DD'), to_char(t.period_end, 'YYYY-MM-DD')
            FROM rc_tasks t JOIN rc_plans p ON p.plan_id = t.plan_id
            WHERE t.subject_id = ANY(\(subjects)) AND t.status = 'open' AND t.merged_into IS NULL
            """,
            logger: db.logger
        ).decode((String, String, String, String, String, String).self) {
            guard let start = CalendarDate(start), let end = CalendarDate(end) else { continue }
            visits.append(.init(taskId: taskId, planId: planId, department: department, subjectId: subject, periodStart: start, periodEnd: end))
        }
        for proposal in PlanDraw.mergeProposals(visits, newTasks: newTasks) {
            try await conn.query(
                """
                INSERT INTO rc_merge_proposals (subject_id, task_ids, departments, window_start, window_end)
                VALUES (\(proposal.subjectId), \(proposal.taskIds), \(proposal.departments),
                        \(proposal.windowStart.description)::date, \(proposal.windowEnd.description)::date)
                ON CONFLICT (task_ids) DO NOTHING
                """,
                logger: db.logger
            )
        }
    }
}
