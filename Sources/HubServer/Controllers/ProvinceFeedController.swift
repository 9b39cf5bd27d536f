import Exchange
import HubModel
import HubStore
import Hummingbird

/// What the province sent down for a department, on the signed department API:
///
/// - `GET  /api/v1/tasks` — joint-supervision tasks naming the department (lead or participant)
/// - `POST /api/v1/tasks/{taskId}/feedback` `{"result","detail"}` — kept, written to the ledger, forwarded
/// (`GET /api/v1/clues` and the clue steps are `ClueController`'s.)
struct ProvinceFeedController {
    let feeds: ProvinceFeedStore

    func addRoutes(to group: RouterGroup<DepartmentRequestContext>) {
        group.get("tasks") { request, context in
            let department = context.department
            let bodies = try await feeds.tasks(department: department.code)
            return Answer.make(
                .object([("tasks", .array(bodies.compactMap { Self.reserialized($0, as: JointTask.init(json:), \.json) }))]),
                for: request
            )
        }
        group.post("tasks/{taskId}/feedback") { request, context in
            let department = context.department
            let taskId = (context.parameters.get("taskId") ?? "").removingPercentEncoding ?? ""
            let body = try StrictBody.parse(context.body, members: ["result": .string, "detail": .string])
            guard let result = body["result"]?.stringValue, !result.isEmpty, result.count <= 200 else {
                throw HubHTTPError(
                    .badRequest,
                    code: "required",
                    zh: "需要 result（不超过 200 字）",
                    en: "result is required (at most 200 characters)",
                    path: "result"
                )
            }
            let detail = body["detail"]?.stringValue ?? ""
            guard detail.count <= 4000 else {
                throw HubHTTPError(.badRequest, code: "too_long", zh: "detail 不超过 4000 字", en: "detail is at most 4000 characters", path: "detail")
            }
            guard try await feeds.taskNames(taskId, department: department.code) else {
                throw HubHTTPError(
                    .notFound,
                    code: "task_not_found",
                    zh: "没有该任务，或任务未指派给本部门",
                    en: "no such task, or it does not name this department",
                    path: "taskId"
                )
            }
            let id = try await feeds.recordFeedback(taskId: taskId, department: department.code, result: result, detail: detail)
            return Answer.make(.object([("feedbackId", .number(String(id))), ("status", .string("queued"))]), for: request)
        }
    }

    /// A stored body read through its schema and written again by the typed value: only the members the
    /// schema defines reach the department, whatever the stored text holds (rows kept before bodies were
    /// normalized at pull time included). A body that no longer reads is left out.
    static func reserialized<T>(_ body: String, as read: (JSONValue) throws -> T, _ write: (T) -> JSONValue) -> JSONValue? {
        guard let tree = try? JSONParser().parse(Array(body.utf8)), let value = try? read(tree) else { return nil }
        return write(value)
    }
}
