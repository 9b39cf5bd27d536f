import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird
import Ingest
import NIOCore

/// The department push API: `POST /api/v1/records` and `GET /api/v1/records/{localId}`.
struct RecordsController {
    let ingest: IngestService
    let records: IngestStore

    func addRoutes(to group: RouterGroup<DepartmentRequestContext>) {
        group.post("records", use: push)
        group.get("records/{localId}", use: lookup)
    }

    @Sendable func push(_ request: Request, context: DepartmentRequestContext) async throws -> Response {
        let department = context.department
        // The body the signature middleware collected and checked: read once, never collected again.
        let contentType = request.headers[.contentType]
        let origin = MessageOrigin(
            direction: .push,
            system: request.headers[.hubKey],
            contentType: contentType,
            bodyBytes: context.body.readableBytes
        )
        let (batchId, results) = try await ingest.ingest(body: context.body, contentType: contentType, department: department, origin: origin)
        var summary: [(String, JSONValue)] = []
        for status in [RecordResult.Status.accepted, .held, .duplicate, .rejected] {
            summary.append((status.rawValue, .number(String(results.count { $0.status == status }))))
        }
        var members: [(String, JSONValue)] = [
            ("department", .string(department.code)), ("summary", .object(summary)),
            ("results", .array(results.map(\.json))),
        ]
        if let batchId { members.insert(("batchId", .string(batchId)), at: 0) }
        return Answer.make(.object(members), for: request)
    }

    @Sendable func lookup(_ request: Request, context: DepartmentRequestContext) async throws -> Response {
        let department = context.department
        let localId = (context.parameters.get("localId") ?? "").removingPercentEncoding ?? ""
        guard let history = try await records.history(department: department.id, localId: localId) else {
            throw HubHTTPError(
                .notFound,
                code: "record_not_found",
                zh: "本部门没有该记录",
                en: "this department has no record with this localId",
                path: "localId"
            )
        }
        let versions: [JSONValue] = history.versions.map { v in
            var m: [(String, JSONValue)] = [
                ("version", .number(String(v.version))), ("status", .string(v.status)), ("operation", .string(v.operation)),
                ("receivedAt", .string(v.receivedAt)),
            ]
            if let c = v.catalogCode { m.append(("catalogCode", .string(c))) }
            if let c = v.implementationCode { m.append(("implementationCode", .string(c))) }
            if let r = v.rule { m.append(("rule", .string(r))) }
            if let r = v.mappingRelease { m.append(("mappingRelease", .number(String(r)))) }
            if let r = v.reviewId { m.append(("reviewId", .number(String(r)))) }
            if let s = v.ledgerSeq { m.append(("ledgerSeq", .number(String(s)))) }
            if let h = v.entryHash { m.append(("entryHash", .string(h))) }
            var delivery: [(String, JSONValue)] = [("state", .string(v.delivery ?? (v.status == "held" ? "waiting_for_review" : "none")))]
            if let cd = v.cdId { delivery.append(("cdId", .string(cd))) }
            m.append(("delivery", .object(delivery)))
            m.append(
                (
                    "provincialReceipt",
                    v.province.map { p in
                        .object([
                            ("status", .string(p.status)), ("code", .text(p.code)), ("message", .text(p.message.map(PersonalData.maskText))),
                            ("cdBatch", .text(p.cdBatch)), ("receiptId", .text(p.receiptId)), ("answeredAt", .text(p.answeredAt)),
                        ])
                    } ?? .null
                )
            )
            // Masked here too: a department's key has no `pii` permission, and a leaked key must not become a
            // way to read citizens' ID and phone numbers back (the department's own system holds them anyway).
            if let tree = try? JSONParser().parse(Array(v.record.utf8)) { m.append(("record", PersonalData.masked(record: tree))) }
            return .object(m)
        }
        return Answer.make(
            .object([("department", .string(department.code)), ("localId", .string(localId)), ("versions", .array(versions))]),
            for: request
        )
    }

}
