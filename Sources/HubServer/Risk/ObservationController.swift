import Foundation
import HubModel
import HubStore
import Hummingbird
import Supervision

/// The department API of the risk models' input: `POST /api/v1/risk/observations` (a batch of advertisements,
/// listings, complaints and licence facts; per-row answers). The department is the signer's.
struct ObservationController {
    let service: ObservationService

    func addRoutes(to group: RouterGroup<DepartmentRequestContext>) {
        group.post("risk/observations", use: push)
    }

    @Sendable func push(_ request: Request, context: DepartmentRequestContext) async throws -> Response {
        let department = context.department.code
        let results = try await service.push(body: context.body, contentType: request.headers[.contentType], department: department)
        let summary: [(String, JSONValue)] = ObservationResult.Status.allCases.map { status in
            (status.rawValue, .number(String(results.count { $0.status == status })))
        }
        return Answer.make(
            .object([("department", .string(department)), ("summary", .object(summary)), ("results", .array(results.map(\.json)))]),
            for: request
        )
    }
}
