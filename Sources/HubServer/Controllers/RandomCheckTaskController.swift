import HubModel
import HubStore
import Hummingbird

/// A department's 抽查任务 on the signed department API:
///
/// - `GET /api/v1/random-checks/tasks?after=SEQ&limit=N` — the tasks naming the caller (lead or participant of
///   the plan), in draw order after the cursor: the subject, the caller's items and inspectors (drawn and
///   substitutes), the period, the status and `overdue` (open, and the period ended before today in
///   Asia/Shanghai); `next` is the cursor for the following page.
struct RandomCheckTaskController {
    let store: RandomCheckStore

    func addRoutes(to group: RouterGroup<DepartmentRequestContext>) {
        group.get("random-checks/tasks") { request, context in
            let query = StrictQuery(request)
            let after = try query.integer("after", in: 0...Int64.max, default: 0)
            let limit = Int(try query.integer("limit", in: 1...500, default: 100))
            let department = context.department.code
            let tasks = try await store.tasks(department: department, after: after, limit: limit)
            return Answer.make(
                .object([
                    ("tasks", .array(tasks.map(Self.task))),
                    ("next", .number(String(tasks.last?.seq ?? after))),
                ]),
                for: request
            )
        }
    }

    static func task(_ t: RandomCheckStore.TaskView) -> JSONValue {
        .object([
            ("seq", .number(String(t.seq))), ("taskId", .string(t.taskId)), ("planId", .string(t.planId)), ("planName", .string(t.planName)),
            ("subject", .object([("id", .string(t.subjectId)), ("name", .text(t.subjectName)), ("creditGrade", .string(t.grade))])),
            ("departments", .array(t.departments.map(JSONValue.string))), ("items", .array(t.items.map(JSONValue.string))),
            (
                "inspectors",
                .array(
                    t.inspectors.map {
                        .object([
                            ("certificateNo", .string($0.certificateNo)), ("name", .text($0.name)), ("substitutesFor", .text($0.substitutesFor)),
                        ])
                    }
                )
            ),
            ("periodStart", .string(t.periodStart)), ("periodEnd", .string(t.periodEnd)), ("status", .string(t.status)),
            ("overdue", .bool(t.overdue)), ("reported", .bool(t.reported)),
            ("mergedInto", t.mergedInto.map { .number(String($0)) } ?? .null),
        ])
    }
}
