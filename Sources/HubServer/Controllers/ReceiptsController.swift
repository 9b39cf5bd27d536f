import HubModel
import HubStore
import Hummingbird

/// `GET /api/v1/receipts?after=CURSOR&limit=N`: the department's feed of outcomes it did not wait for.
struct ReceiptsController {
    let receipts: ReceiptStore

    func addRoutes(to group: RouterGroup<DepartmentRequestContext>) {
        group.get("receipts") { request, context in
            let department = context.department
            let query = StrictQuery(request)
            let after = try query.integer("after", in: 0...Int64.max, default: 0)
            let limit = Int(try query.integer("limit", in: 1...1000, default: 100))
            let feed = try await receipts.feed(department: department.id, after: after, limit: limit)
            let items: [JSONValue] = feed.map { r in
                .object([
                    ("id", .number(String(r.id))), ("localId", .string(r.localId)), ("version", .number(String(r.version))),
                    ("kind", .string(r.kind)), ("status", .string(r.status)), ("createdAt", .string(r.createdAt)),
                    ("detail", (try? JSONParser().parse(Array(r.detail.utf8))).map(PersonalData.masked(record:)) ?? .null),
                ])
            }
            return Answer.make(.object([("receipts", .array(items)), ("next", .number(String(feed.last?.id ?? after)))]), for: request)
        }
    }
}
