import Exchange
import Foundation
import HubModel
import HubStore
import Hummingbird
import Supervision

/// The department API of clues (线索核查处置), signed; every act is the signer's own:
///
/// - `GET  /api/v1/clues` — the province's clues naming the department (as the province sent them, as before) with
///   their lifecycle members added, then the city's clues assigned to it
/// - `GET  /api/v1/clues/{clueId}` — one clue with its steps
/// - `POST /api/v1/clues/{clueId}/verification` `{"verdict","findings"}` — 核查
/// - `POST /api/v1/clues/{clueId}/disposition` `{"kind","deadline"|"caseNumber"|"department","reason"}` — 处置
/// - `POST /api/v1/clues/{clueId}/closure` `{"note"}` — 办结
///
/// A step already taken with the same content answers 200 with `"result":"duplicate"` and writes nothing.
struct ClueController {
    let feeds: ProvinceFeedStore
    let clues: ClueStore

    func addRoutes(to group: RouterGroup<DepartmentRequestContext>) {
        group.get("clues", use: list)
        group.get("clues/{clueId}", use: show)
        group.post("clues/{clueId}/verification") { request, context in
            try await act(request, context, .verify(try ClueRequests.verification(context.body)))
        }
        group.post("clues/{clueId}/disposition") { request, context in
            try await act(request, context, .dispose(try ClueRequests.disposition(context.body)))
        }
        group.post("clues/{clueId}/closure") { request, context in
            try await act(request, context, .close(note: try ClueRequests.closure(context.body)))
        }
    }

    @Sendable func list(_ request: Request, context: DepartmentRequestContext) async throws -> Response {
        let code = context.department.code
        let today = ClueStore.day(Date())
        let stored = try await clues.forDepartment(code, limit: 200)
        let byId = Dictionary(stored.map { ($0.clueId, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [JSONValue] = []
        for body in try await feeds.clues(department: code) {
            guard case .object(var members)? = ProvinceFeedController.reserialized(body, as: RiskClue.init(json:), \.json) else { continue }
            if let id = members.first(where: { $0.0 == "clueId" })?.1.stringValue, let clue = byId[id] {
                members += clue.lifecycleMembers(today: today)
            }
            out.append(.object(members))
        }
        for clue in stored where clue.origin == .city { out.append(clue.json(today: today)) }
        return Answer.make(.object([("clues", .array(out))]), for: request)
    }

    @Sendable func show(_ request: Request, context: DepartmentRequestContext) async throws -> Response {
        let id = Self.clueId(context)
        guard let detail = try await clues.detail(id, for: .department(context.department.code)) else {
            throw HubHTTPError(.notFound, [ClueController.notFound])
        }
        return Answer.make(detail.json(today: ClueStore.day(Date())), for: request)
    }

    func act(_ request: Request, _ context: DepartmentRequestContext, _ step: ClueStep) async throws -> Response {
        let result = try await clues.act(Self.clueId(context), step: step, actor: .department(context.department.code))
        return Answer.make(Self.answer(result), for: request)
    }

    /// `{"result":"applied|duplicate","ledgerSeqs":[…],"clue":{…}}`
    static func answer(_ result: ClueStore.ActResult) -> JSONValue {
        let today = ClueStore.day(Date())
        switch result {
        case .applied(let clue, let seqs):
            return .object([
                ("result", .string("applied")), ("ledgerSeqs", .array(seqs.map { .number(String($0)) })), ("clue", clue.json(today: today)),
            ])
        case .duplicate(let clue):
            return .object([("result", .string("duplicate")), ("ledgerSeqs", .array([])), ("clue", clue.json(today: today))])
        }
    }

    static func clueId(_ context: some RequestContext) -> String {
        (context.parameters.get("clueId") ?? "").removingPercentEncoding ?? ""
    }

    static let notFound = FieldError(
        path: "clueId",
        code: "clue_not_found",
        zh: "没有该线索，或线索与本部门无关",
        en: "no such clue, or it does not concern this department"
    )
}
