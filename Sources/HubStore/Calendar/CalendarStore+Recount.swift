import HubModel
import Logging
import PostgresNIO
import Supervision

extension CalendarStore {
    /// What a newly loaded year settled: due dates that were pending for want of a calendar.
    public struct Recount: Sendable, Hashable {
        public var publications = 0
        public var taskResults = 0
    }

    /// Counts again, with every loaded year, the due dates left pending because a year was missing: publications
    /// (`PublicationDeadline.due`) and 双随机 task results (`PublicationDeadline`). Run in the transaction that loads a
    /// year, so a deadline never stays pending once its calendar is there. A date still beyond the loaded years
    /// stays pending, its text naming the year now missing.
    static func recountPending(on conn: PostgresConnection, logger: Logger) async throws -> Recount {
        let calendar = try await workingDays(on: conn, logger: logger)
        var recount = Recount()
        var ids: [Int64] = []
        var dues: [String] = []
        var pendings: [String] = []
        for try await (id, kind, act) in try await conn.query(
            "SELECT id, kind, to_char(act_date, 'YYYY-MM-DD') FROM publications WHERE due_date IS NULL AND due_pending IS NOT NULL FOR UPDATE",
            logger: logger
        ).decode((Int64, String, String?).self) {
            guard let kind = PublicationKind(rawValue: kind) else { continue }
            switch PublicationDeadline.due(kind: kind, actDate: act.flatMap { CalendarDate($0) }, calendar: calendar) {
            case .success(let due):
                ids.append(id)
                dues.append(due.description)
                pendings.append("")
                recount.publications += 1
            case .failure(let pending):
                ids.append(id)
                dues.append("")
                pendings.append(pending.description)
            }
        }
        if !ids.isEmpty {
            try await conn.query(
                """
                UPDATE publications p SET due_date = nullif(u.due, '')::date, due_pending = nullif(u.pending, ''), updated_at = now()
                FROM unnest(\(ids)::bigint[], \(dues)::text[], \(pendings)::text[]) AS u(id, due, pending) WHERE p.id = u.id
                """,
                logger: logger
            )
        }
        var keys: [String] = []
        var departments: [String] = []
        var results: [String] = []
        for try await (task, department, checked) in try await conn.query(
            "SELECT task_id, department_code, to_char(checked_on, 'YYYY-MM-DD') FROM rc_task_results WHERE publish_due IS NULL FOR UPDATE",
            logger: logger
        ).decode((String, String, String).self) {
            guard let checkedOn = CalendarDate(checked), let due = PublicationDeadline.randomCheckResult(checkedOn: checkedOn, calendar: calendar)
            else { continue }
            keys.append(task)
            departments.append(department)
            results.append(due.description)
        }
        if !keys.isEmpty {
            try await conn.query(
                """
                UPDATE rc_task_results r SET publish_due = u.due::date
                FROM unnest(\(keys)::text[], \(departments)::text[], \(results)::text[]) AS u(task, department, due)
                WHERE r.task_id = u.task AND r.department_code = u.department AND r.publish_due IS NULL
                """,
                logger: logger
            )
            recount.taskResults = keys.count
        }
        return recount
    }
}
