import Foundation
import HubModel
import Logging
import PostgresNIO
import Supervision

extension RandomCheckStore {
    /// A joint-visit proposal (进一次门、查多项事) as ops see it.
    public struct MergeProposal: Sendable {
        public var id: Int64
        public var subjectId: String
        public var taskIds: [String]
        public var departments: [String]
        public var windowStart: String
        public var windowEnd: String
        public var status: String
        public var decidedBy: String?
    }

    /// Merge proposals, open ones first.
    public func merges(status: String? = nil) async throws -> [MergeProposal] {
        var out: [MergeProposal] = []
        for try await (id, subject, tasks, departments, start, end, state, by) in try await db.client.query(
            """
            SELECT id, subject_id, task_ids, departments, to_char(window_start, 'YYYY-MM-DD'), to_char(window_end, 'YYYY-MM-DD'), status, decided_by
            FROM rc_merge_proposals WHERE \(status)::text IS NULL OR status = \(status)::text
            ORDER BY status <> 'proposed', id LIMIT 1000
            """,
            logger: db.logger
        ).decode((Int64, String, [String], [String], String, String, String, String?).self) {
            out.append(
                MergeProposal(
                    id: id,
                    subjectId: subject,
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

    /// Accepts or declines a proposed merge (ledger `random_check_merge`); accepting makes its tasks one visit
    /// (`rc_tasks.merged_into` = the proposal). A task already merged by another proposal refuses the acceptance.
    public func decideMerge(_ id: Int64, accept: Bool, by user: String) async throws -> MergeProposal {
        try await db.client.transaction(logger: db.logger) { conn in
            var found: (String, [String], [String], String, String, String)?
            for try await row in try await conn.query(
                """
                SELECT subject_id, task_ids, departments, status, to_char(window_start, 'YYYY-MM-DD'), to_char(window_end, 'YYYY-MM-DD')
                FROM rc_merge_proposals WHERE id = \(id) FOR UPDATE
                """,
                logger: db.logger
            ).decode((String, [String], [String], String, String, String).self) {
                found = row
            }
            guard let (subject, taskIds, departments, status, windowStart, windowEnd) = found else {
                throw StoreRefusal(.notFound, path: "id", code: "merge_not_found", zh: "没有该合并建议", en: "no merge proposal \(id)")
            }
            guard status == "proposed" else {
                throw StoreRefusal(.conflict, path: "id", code: "merge_decided", zh: "该合并建议已处理（\(status)）", en: "already \(status)")
            }
            if accept {
                var merged = 0
                for try await n in try await conn.query(
                    "SELECT count(*)::int FROM rc_tasks WHERE task_id = ANY(\(taskIds)) AND merged_into IS NOT NULL",
                    logger: db.logger
                ).decode(Int.self) {
                    merged = n
                }
                if merged > 0 {
                    throw StoreRefusal(
                        .conflict,
                        path: "id",
                        code: "task_already_merged",
                        zh: "其中的任务已并入另一次联合检查",
                        en: "a task of this proposal is already merged into another visit"
                    )
                }
            }
            let decision = accept ? "accepted" : "declined"
            var chain = try await LedgerChain(conn, logger: db.logger)
            chain.add(
                kind: .randomCheckMerge,
                department: departments.first ?? "",
                subject: "merge-\(id)",
                payload: Self.text(
                    .object([
                        ("decision", .string(decision)), ("by", .string(user)), ("subjectId", .string(subject)),
                        ("taskIds", .array(taskIds.map(JSONValue.string))), ("departments", .array(departments.map(JSONValue.string))),
                    ])
                )
            )
            try await chain.flush(conn, logger: db.logger)
            try await conn.query(
                "UPDATE rc_merge_proposals SET status = \(decision), decided_by = \(user), decided_at = now() WHERE id = \(id)",
                logger: db.logger
            )
            if accept {
                try await conn.query("UPDATE rc_tasks SET merged_into = \(id) WHERE task_id = ANY(\(taskIds))", logger: db.logger)
            }
            return MergeProposal(
                id: id,
                subjectId: subject,
                taskIds: taskIds,
                departments: departments,
                windowStart: windowStart,
                windowEnd: windowEnd,
                status: decision,
                decidedBy: user
            )
        }
    }

    /// Visits per month of the draw (Asia/Shanghai): one per task before merging; after, one per unmerged task
    /// and one per accepted merge.
    public func monthlyVisits() async throws -> [(month: String, tasks: Int, before: Int, after: Int)] {
        var out: [(month: String, tasks: Int, before: Int, after: Int)] = []
        for try await (month, tasks, after) in try await db.client.query(
            """
            SELECT to_char(drawn_on, 'YYYY-MM'), count(*)::int,
                   (count(*) FILTER (WHERE merged_into IS NULL) + count(DISTINCT merged_into))::int
            FROM rc_tasks GROUP BY 1 ORDER BY 1
            """,
            logger: db.logger
        ).decode((String, Int, Int).self) {
            out.append((month, tasks, tasks, after))
        }
        return out
    }

    /// Records that `certificateNo` replaces the drawn inspector `replaces` on a task for `department` (illness,
    /// a conflict declared late …): both must be that department's, the replaced one drawn for the task, the
    /// substitute active and not on the task already. Ledger `random_check_draw` with the reason.
    public func substitute(
        taskId: String,
        department: String,
        replaces: String,
        certificateNo: String,
        reason: String,
        by user: String
    ) async throws {
        try await db.client.transaction(logger: db.logger) { conn in
            var departments: [String]?
            for try await row in try await conn.query(
                "SELECT departments FROM rc_tasks WHERE task_id = \(taskId) FOR UPDATE",
                logger: db.logger
            ).decode([String].self) {
                departments = row
            }
            guard let departments else {
                throw StoreRefusal(.notFound, path: "taskId", code: "task_not_found", zh: "没有该抽查任务", en: "no task \(taskId)")
            }
            guard departments.contains(department) else {
                throw StoreRefusal(
                    .invalid,
                    path: "department",
                    code: "task_not_of_department",
                    zh: "该任务不属于此部门",
                    en: "the task is not this department's"
                )
            }
            var team: [String: String?] = [:]
            for try await (certificate, replaced) in try await conn.query(
                "SELECT certificate_no, substitutes_for FROM rc_task_inspectors WHERE task_id = \(taskId) AND department_code = \(department)",
                logger: db.logger
            ).decode((String, String?).self) {
                team[certificate] = replaced
            }
            guard let drawn = team[replaces], drawn == nil else {
                throw StoreRefusal(
                    .invalid,
                    path: "replaces",
                    code: "inspector_not_drawn",
                    zh: "被替换人员不是本任务抽中的执法检查人员",
                    en: "the replaced inspector was not drawn for this task"
                )
            }
            guard team[certificateNo] == nil else {
                throw StoreRefusal(
                    .conflict,
                    path: "certificateNo",
                    code: "already_on_task",
                    zh: "该人员已在本任务中",
                    en: "this inspector is already on the task"
                )
            }
            var active = false
            for try await status in try await conn.query(
                "SELECT status FROM rc_inspectors WHERE certificate_no = \(certificateNo) AND department_code = \(department)",
                logger: db.logger
            ).decode(String.self) {
                active = status == InspectorStatus.active.rawValue
            }
            guard active else {
                throw StoreRefusal(
                    .invalid,
                    path: "certificateNo",
                    code: "unknown_inspector",
                    zh: "本部门执法检查人员名录库中没有该在岗人员",
                    en: "no active inspector of the department has this certificate number"
                )
            }
            var chain = try await LedgerChain(conn, logger: db.logger)
            chain.add(
                kind: .randomCheckDraw,
                department: department,
                subject: taskId,
                payload: Self.text(
                    .object([
                        ("event", .string("substitution")), ("by", .string(user)), ("replaces", .string(replaces)),
                        ("certificateNo", .string(certificateNo)), ("reason", .string(reason)),
                    ])
                )
            )
            try await chain.flush(conn, logger: db.logger)
            try await conn.query(
                """
                INSERT INTO rc_task_inspectors (task_id, department_code, certificate_no, substitutes_for, reason)
                VALUES (\(taskId), \(department), \(certificateNo), \(replaces), \(reason))
                """,
                logger: db.logger
            )
        }
    }
}
