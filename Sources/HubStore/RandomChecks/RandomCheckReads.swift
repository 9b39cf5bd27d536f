import HubModel
import Logging
import PostgresNIO

/// What the console and the exports show of 双随机一公开: plans with their task counts, one plan's tasks with
/// inspectors, results and the overdue flag, and merge proposals (the libraries' own reads are `LibraryStore`'s). Read-only; dates
/// as ops read them (Asia/Shanghai). "Overdue" is one rule everywhere: open after the plan's last day.
public struct RandomCheckReads: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    static let today = "(now() AT TIME ZONE 'Asia/Shanghai')::date"

    public struct PlanRow: Sendable, Hashable {
        public var planId: String
        public var name: String
        public var lead: String
        public var participants: [String]
        public var status: String
        public var periodStart: String
        public var periodEnd: String
        public var commitment: String?
        public var drawnAt: String?
        public var tasks: Int
        public var done: Int
        public var overdue: Int
    }

    /// Plans, newest first, optionally of one department (lead or participant) or just one plan.
    public func plans(department: String? = nil, planId: String? = nil, limit: Int = 500) async throws -> [PlanRow] {
        var out: [PlanRow] = []
        let rows = try await db.client.query(
            """
            SELECT p.plan_id, p.name, p.lead_department, p.participants, p.status,
                   to_char(p.period_start, 'YYYY-MM-DD'), to_char(p.period_end, 'YYYY-MM-DD'), p.commitment,
                   to_char(p.drawn_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),
                   (SELECT count(*)::int FROM rc_tasks t WHERE t.plan_id = p.plan_id),
                   (SELECT count(*)::int FROM rc_tasks t WHERE t.plan_id = p.plan_id AND t.status = 'done'),
                   (SELECT count(*)::int FROM rc_tasks t WHERE t.plan_id = p.plan_id AND t.status = 'open'
                        AND t.period_end < \(unescaped: Self.today))
            FROM rc_plans p
            WHERE (\(department)::text IS NULL OR p.lead_department = \(department)::text OR \(department)::text = ANY(p.participants))
              AND (\(planId)::text IS NULL OR p.plan_id = \(planId)::text)
            ORDER BY p.proposed_at DESC LIMIT \(limit)
            """,
            logger: db.logger
        )
        for try await (id, name, lead, participants, status, start, end, commitment, drawnAt, tasks, done, overdue) in rows.decode(
            (String, String, String, [String], String, String, String, String?, String?, Int, Int, Int).self
        ) {
            out.append(
                PlanRow(
                    planId: id,
                    name: name,
                    lead: lead,
                    participants: participants,
                    status: status,
                    periodStart: start,
                    periodEnd: end,
                    commitment: commitment,
                    drawnAt: drawnAt,
                    tasks: tasks,
                    done: done,
                    overdue: overdue
                )
            )
        }
        return out
    }

    public struct PlanDetail: Sendable {
        public var row: PlanRow
        /// The plan as proposed (JSON of `Supervision.RandomCheckPlan`).
        public var body: String
        public var proposedBy: String
        public var approvedBy: String?
        public var candidatesHash: String?
        /// The published draw (JSON of `Supervision.PublishedDraw`), seed included; nil before the draw.
        public var draw: String?
    }

    public func plan(_ planId: String) async throws -> PlanDetail? {
        let rows = try await db.client.query(
            "SELECT body, proposed_by, approved_by, candidates_hash, draw FROM rc_plans WHERE plan_id = \(planId)",
            logger: db.logger
        )
        for try await (body, proposedBy, approvedBy, hash, draw) in rows.decode((String, String, String?, String?, String?).self) {
            guard let row = try await plans(planId: planId, limit: 1).first else { return nil }
            return PlanDetail(row: row, body: body, proposedBy: proposedBy, approvedBy: approvedBy, candidatesHash: hash, draw: draw)
        }
        return nil
    }

    public struct TaskRow: Sendable, Hashable {
        public var taskId: String
        public var planId: String
        public var subjectId: String
        public var subjectName: String?
        public var grade: String
        public var departments: [String]
        public var status: String
        public var overdue: Bool
        public var periodEnd: String
        /// `department: certificate, certificate` per department; substitutes marked.
        public var inspectors: String
        /// `department: localId (checked on, publish by)` per reported result.
        public var results: String
        public var mergedInto: Int64?
    }

    /// Tasks of one plan, or every task (newest plans first) when `planId` is nil; `overdueOnly` keeps the late ones.
    public func tasks(planId: String?, overdueOnly: Bool = false, limit: Int = 5000) async throws -> [TaskRow] {
        var out: [TaskRow] = []
        let rows = try await db.client.query(
            """
            SELECT t.task_id, t.plan_id, t.subject_id, s.name, t.credit_grade, t.departments, t.status,
                   t.status = 'open' AND t.period_end < \(unescaped: Self.today), to_char(t.period_end, 'YYYY-MM-DD'),
                   coalesce((SELECT string_agg(i.department_code || ': ' || i.certificate_no
                                 || coalesce('（替换 ' || i.substitutes_for || '：' || i.reason || '）', ''), '；'
                                 ORDER BY i.department_code, i.certificate_no)
                             FROM rc_task_inspectors i WHERE i.task_id = t.task_id), ''),
                   coalesce((SELECT string_agg(r.department_code || ': ' || r.local_id || '（检查 ' || to_char(r.checked_on, 'YYYY-MM-DD')
                                 || coalesce('，公示期限 ' || to_char(r.publish_due, 'YYYY-MM-DD'), '，公示期限待定：缺少工作日日历，请用 hub calendar load 装载') || '）', '；'
                                 ORDER BY r.department_code)
                             FROM rc_task_results r WHERE r.task_id = t.task_id), ''),
                   t.merged_into
            FROM rc_tasks t LEFT JOIN rc_subjects s ON s.subject_id = t.subject_id
            WHERE (\(planId)::text IS NULL OR t.plan_id = \(planId)::text)
              AND (NOT \(overdueOnly) OR (t.status = 'open' AND t.period_end < \(unescaped: Self.today)))
            ORDER BY t.seq DESC LIMIT \(limit)
            """,
            logger: db.logger
        )
        for try await (id, plan, subject, name, grade, departments, status, overdue, end, inspectors, results, merged) in rows.decode(
            (String, String, String, String?, String, [String], String, Bool, String, String, String, Int64?).self
        ) {
            out.append(
                TaskRow(
                    taskId: id,
                    planId: plan,
                    subjectId: subject,
                    subjectName: name,
                    grade: grade,
                    departments: departments,
                    status: status,
                    overdue: overdue,
                    periodEnd: end,
                    inspectors: inspectors,
                    results: results,
                    mergedInto: merged
                )
            )
        }
        return out
    }

    public struct MergeRow: Sendable, Hashable {
        public var id: Int64
        public var subjectId: String
        public var subjectName: String?
        public var taskIds: [String]
        public var departments: [String]
        public var windowStart: String
        public var windowEnd: String
        public var status: String
        public var decidedBy: String?
    }

    public func merges(status: String? = nil, limit: Int = 1000) async throws -> [MergeRow] {
        var out: [MergeRow] = []
        let rows = try await db.client.query(
            """
            SELECT m.id, m.subject_id, s.name, m.task_ids, m.departments, to_char(m.window_start, 'YYYY-MM-DD'),
                   to_char(m.window_end, 'YYYY-MM-DD'), m.status, m.decided_by
            FROM rc_merge_proposals m LEFT JOIN rc_subjects s ON s.subject_id = m.subject_id
            WHERE \(status)::text IS NULL OR m.status = \(status)::text
            ORDER BY m.status = 'proposed' DESC, m.id DESC LIMIT \(limit)
            """,
            logger: db.logger
        )
        for try await (id, subject, name, tasks, departments, start, end, state, by) in rows.decode(
            (Int64, String, String?, [String], [String], String, String, String, String?).self
        ) {
            out.append(
                MergeRow(
                    id: id,
                    subjectId: subject,
                    subjectName: name,
                    taskIds: tasks,
                    departments: departments,
                    windowStart: start,
                    windowEnd: end,
                    status: state,
                    decidedBy: by
                )
            )
        }
        return out
    }
}
