import Foundation
import HubModel
import Logging
import PostgresNIO
import Supervision

extension RandomCheckStore {
    /// Every plan, newest proposal first.
    public func plans(limit: Int = 500) async throws -> [PlanSummary] {
        let rows = try await db.client.query(
            PostgresQuery(unsafeSQL: "SELECT \(Self.summaryColumns) FROM rc_plans p ORDER BY p.proposed_at DESC, p.plan_id LIMIT \(limit)"),
            logger: db.logger
        )
        var out: [PlanSummary] = []
        for try await row in rows.decode(SummaryRow.self) { out.append(Self.summary(row)) }
        return out
    }

    /// One plan by id.
    public func plan(_ planId: String) async throws -> PlanSummary? {
        try await db.client.withConnection { conn in try await Self.summary(planId, conn: conn, logger: db.logger) }
    }

    /// What anyone may read of a plan: the summary's columns, which never include the seed (it is revealed only
    /// inside `draw`, the published draw, once the plan is drawn).
    public func publicPlan(_ planId: String) async throws -> PlanSummary? { try await plan(planId) }

    /// One task as a department's feed shows it: the caller's items and inspectors only.
    public struct TaskView: Sendable {
        public var seq: Int64
        public var taskId: String
        public var planId: String
        public var planName: String
        public var subjectId: String
        public var subjectName: String?
        public var grade: String
        public var departments: [String]
        public var items: [String]
        /// The caller's inspectors: drawn (`substitutesFor` nil) and recorded substitutes.
        public var inspectors: [(certificateNo: String, name: String?, substitutesFor: String?)]
        public var periodStart: String
        public var periodEnd: String
        public var status: String
        /// Open and its period ended before today (Asia/Shanghai).
        public var overdue: Bool
        public var reported: Bool
        public var mergedInto: Int64?
    }

    /// The tasks naming `department`, after the cursor `after` (a task's `seq`), in `seq` order.
    public func tasks(department: String, after: Int64, limit: Int) async throws -> [TaskView] {
        let rows = try await db.client.query(
            """
            SELECT t.seq, t.task_id, t.plan_id, p.name, t.subject_id, s.name, t.credit_grade::text, t.departments, p.body,
                   to_char(p.period_start, 'YYYY-MM-DD'), to_char(t.period_end, 'YYYY-MM-DD'), t.status,
                   t.status = 'open' AND t.period_end < (now() AT TIME ZONE 'Asia/Shanghai')::date,
                   EXISTS (SELECT 1 FROM rc_task_results r WHERE r.task_id = t.task_id AND r.department_code = \(department)),
                   t.merged_into
            FROM rc_tasks t JOIN rc_plans p ON p.plan_id = t.plan_id LEFT JOIN rc_subjects s ON s.subject_id = t.subject_id
            WHERE t.departments @> ARRAY[\(department)]::text[] AND t.seq > \(after)
            ORDER BY t.seq LIMIT \(limit)
            """,
            logger: db.logger
        )
        var out: [TaskView] = []
        for try await (seq, taskId, planId, planName, subjectId, subjectName, grade, departments, body, start, end, status, overdue, reported, merged)
            in rows.decode(
                (Int64, String, String, String, String, String?, String, [String], String, String, String, String, Bool, Bool, Int64?).self
            )
        {
            let items = (try? Self.plan(body))?.items[department] ?? []
            out.append(
                TaskView(
                    seq: seq,
                    taskId: taskId,
                    planId: planId,
                    planName: planName,
                    subjectId: subjectId,
                    subjectName: subjectName,
                    grade: grade,
                    departments: departments,
                    items: items,
                    inspectors: [],
                    periodStart: start,
                    periodEnd: end,
                    status: status,
                    overdue: overdue,
                    reported: reported,
                    mergedInto: merged
                )
            )
        }
        guard !out.isEmpty else { return out }
        var teams: [String: [(String, String?, String?)]] = [:]
        for try await (taskId, certificate, name, replaces) in try await db.client.query(
            """
            SELECT i.task_id, i.certificate_no, n.name, i.substitutes_for
            FROM rc_task_inspectors i LEFT JOIN rc_inspectors n ON n.certificate_no = i.certificate_no
            WHERE i.task_id = ANY(\(out.map(\.taskId))) AND i.department_code = \(department)
            ORDER BY i.task_id, i.substitutes_for NULLS FIRST, i.certificate_no
            """,
            logger: db.logger
        ).decode((String, String, String?, String?).self) {
            teams[taskId, default: []].append((certificate, name, replaces))
        }
        for index in out.indices {
            out[index].inspectors = (teams[out[index].taskId] ?? []).map { (certificateNo: $0.0, name: $0.1, substitutesFor: $0.2) }
        }
        return out
    }

    /// The teams of these tasks as ingest checks them: task → its plan, departments, and per department the
    /// certificate numbers that may report (drawn and recorded substitutes).
    public func teams(taskIds: [String]) async throws -> [String: TaskTeams] {
        guard !taskIds.isEmpty else { return [:] }
        var out: [String: TaskTeams] = [:]
        for try await (taskId, planId, departments) in try await db.client.query(
            "SELECT task_id, plan_id, departments FROM rc_tasks WHERE task_id = ANY(\(taskIds))",
            logger: db.logger
        ).decode((String, String, [String]).self) {
            out[taskId] = TaskTeams(planId: planId, departments: departments, inspectors: [:])
        }
        for try await (taskId, department, certificate) in try await db.client.query(
            "SELECT task_id, department_code, certificate_no FROM rc_task_inspectors WHERE task_id = ANY(\(taskIds))",
            logger: db.logger
        ).decode((String, String, String).self) {
            out[taskId]?.inspectors[department, default: []].insert(certificate)
        }
        return out
    }
}

extension RandomCheckStore {
    /// A task as the console lists it (every department's view at once).
    public struct TaskRow: Sendable {
        public var taskId: String
        public var planId: String
        public var subjectId: String
        public var subjectName: String?
        public var departments: [String]
        public var reported: [String]
        public var periodEnd: String
        public var status: String
        public var overdue: Bool
        public var mergedInto: Int64?
    }

    /// The latest tasks of every plan (or of one), newest draw first.
    public func recentTasks(planId: String? = nil, limit: Int = 300) async throws -> [TaskRow] {
        var out: [TaskRow] = []
        for try await (taskId, plan, subject, name, departments, reported, end, status, overdue, merged) in try await db.client.query(
            """
            SELECT t.task_id, t.plan_id, t.subject_id, s.name, t.departments,
                   coalesce((SELECT array_agg(r.department_code ORDER BY r.department_code) FROM rc_task_results r WHERE r.task_id = t.task_id), '{}'),
                   to_char(t.period_end, 'YYYY-MM-DD'), t.status,
                   t.status = 'open' AND t.period_end < (now() AT TIME ZONE 'Asia/Shanghai')::date, t.merged_into
            FROM rc_tasks t LEFT JOIN rc_subjects s ON s.subject_id = t.subject_id
            WHERE \(planId)::text IS NULL OR t.plan_id = \(planId)::text
            ORDER BY t.seq DESC LIMIT \(limit)
            """,
            logger: db.logger
        ).decode((String, String, String, String?, [String], [String], String, String, Bool, Int64?).self) {
            out.append(
                TaskRow(
                    taskId: taskId,
                    planId: plan,
                    subjectId: subject,
                    subjectName: name,
                    departments: departments,
                    reported: reported,
                    periodEnd: end,
                    status: status,
                    overdue: overdue,
                    mergedInto: merged
                )
            )
        }
        return out
    }
}
