import Foundation
import HubModel
import HubStore
import Hummingbird
import Supervision

/// The department API of enforcement cases: `POST /api/v1/cases/events` (a batch of stage events, per-event
/// answers) and `GET /api/v1/cases/{caseNo}` (the timeline of one of the caller's cases). A case belongs to the
/// department that filed it: every read and write is the signer's own.
struct CaseController {
    let service: CaseService

    func addRoutes(to group: RouterGroup<DepartmentRequestContext>) {
        group.post("cases/events", use: push)
        group.get("cases/{caseNo}", use: timeline)
    }

    @Sendable func push(_ request: Request, context: DepartmentRequestContext) async throws -> Response {
        let department = context.department.code
        let results = try await service.push(body: context.body, contentType: request.headers[.contentType], department: department)
        let summary: [(String, JSONValue)] = CaseEventResult.Status.allCases.map { status in
            (status.rawValue, .number(String(results.count { $0.status == status })))
        }
        return Answer.make(
            .object([("department", .string(department)), ("summary", .object(summary)), ("results", .array(results.map(\.json)))]),
            for: request
        )
    }

    @Sendable func timeline(_ request: Request, context: DepartmentRequestContext) async throws -> Response {
        let caseNo = (context.parameters.get("caseNo") ?? "").removingPercentEncoding ?? ""
        guard let stored = try await service.store.find(department: context.department.code, caseNo: caseNo) else {
            throw HubHTTPError(.notFound, code: "case_not_found", zh: "本部门没有该案件", en: "the department holds no such case", path: "caseNo")
        }
        return Answer.make(stored.timelineJSON(today: StatutoryLimits.day(epochSeconds: Date().timeIntervalSince1970)), for: request)
    }
}

extension CaseEventResult {
    /// The JSON form of a result in the push API's answer.
    var json: JSONValue {
        var m: [(String, JSONValue)] = [("index", .number(String(index))), ("status", .string(status.rawValue))]
        if let caseNo { m.append(("caseNo", .string(caseNo))) }
        if let eventId { m.append(("eventId", .string(eventId))) }
        if let stage { m.append(("stage", .string(stage.rawValue))) }
        if let seq { m.append(("seq", .number(String(seq)))) }
        if let ledgerSeq { m.append(("ledgerSeq", .number(String(ledgerSeq)))) }
        if !flags.isEmpty { m.append(("flags", .array(flags.map { .string($0.rawValue) }))) }
        if !errors.isEmpty { m.append(("errors", .array(errors.map(\.json)))) }
        return .object(m)
    }
}

extension StoredCase {
    /// The timeline: the case's summary, its statutory limit as of `today`, and every event in order.
    package func timelineJSON(today: Int) -> JSONValue {
        let stored = self
        let s = stored.summary
        let limit = StatutoryLimits.check(stored.events.map(\.event), today: today)
        var limitMembers: [(String, JSONValue)] = [("status", .string(limit.status.rawValue))]
        if let days = limit.limitDays { limitMembers.append(("limitDays", .number(String(days)))) }
        if let due = limit.dueOn { limitMembers.append(("dueOn", .string(due.description))) }
        var flags = Set(s.flags.map(\.rawValue))
        if limit.status == .overdue || limit.status == .overLimit { flags.insert(CaseFlag.overLimit.rawValue) }
        var members: [(String, JSONValue)] = [
            ("department", .string(stored.department)), ("caseNo", .string(stored.caseNo)), ("procedure", .string(s.procedure.rawValue)),
            ("major", .bool(s.major)), ("majorDecision", .bool(CaseRules.isMajor(stored.events.map(\.event)))),
            ("stage", .string(s.stage.rawValue)), ("stageName", .string(s.stage.nameZh)), ("flags", .array(flags.sorted().map(JSONValue.string))),
            ("openedAt", .string(s.openedAt.text)), ("limit", .object(limitMembers)),
        ]
        if let decided = s.decidedAt { members.append(("decidedAt", .string(decided.text))) }
        if let closed = s.closedAt { members.append(("closedAt", .string(closed.text))) }
        members.append(
            (
                "events",
                .array(
                    stored.events.map { e in
                        .object([
                            ("seq", .number(String(e.seq))), ("eventId", .string(e.event.eventId)), ("stage", .string(e.event.stage.rawValue)),
                            ("stageName", .string(e.event.stage.nameZh)), ("date", .string(e.event.date.text)),
                            ("flags", .array(e.flags.map { .string($0.rawValue) })), ("ledgerSeq", .number(String(e.ledgerSeq))),
                            (e.event.stage.rawValue, e.event.stageJSON),
                        ])
                    }
                )
            )
        )
        return .object(members)
    }
}
