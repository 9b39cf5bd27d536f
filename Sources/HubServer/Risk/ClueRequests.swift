import Foundation
import HubModel
import Hummingbird
import NIOCore
import Supervision

/// The small bodies of the clue steps, read strictly (`StrictBody`): a member of the wrong type or unknown is
/// refused; the lifecycle's own rules (findings, case number, transfer members) are `ClueLifecycle`'s.
enum ClueRequests {
    /// `{"verdict":"true_positive|false_positive","findings":"…"}`
    static func verification(_ body: ByteBuffer) throws -> ClueVerification {
        let v = try StrictBody.parse(body, members: ["verdict": .string, "findings": .string])
        guard let text = v["verdict"]?.stringValue else { throw HubHTTPError(.badRequest, [.required("verdict")]) }
        guard let verdict = ClueVerdict(rawValue: text) else {
            throw HubHTTPError(
                .badRequest,
                code: "invalid_verdict",
                zh: "verdict 应为 true_positive（属实）或 false_positive（误报）",
                en: "verdict must be true_positive or false_positive",
                path: "verdict"
            )
        }
        let findings = v["findings"]?.stringValue ?? ""
        guard findings.count <= 4000 else { throw HubHTTPError(.badRequest, [.tooLong("findings", max: 4000)]) }
        return ClueVerification(verdict: verdict, findings: findings)
    }

    /// `{"kind":"no_problem|rectification_ordered|case_opened|transferred", "deadline", "caseNumber", "department", "reason"}`
    static func disposition(_ body: ByteBuffer) throws -> ClueDisposition {
        let v = try StrictBody.parse(
            body,
            members: ["kind": .string, "deadline": .string, "caseNumber": .string, "department": .string, "reason": .string]
        )
        guard let text = v["kind"]?.stringValue else { throw HubHTTPError(.badRequest, [.required("kind")]) }
        guard let kind = ClueDisposition.Kind(rawValue: text) else {
            throw HubHTTPError(
                .badRequest,
                code: "invalid_disposition",
                zh: "kind 应为 no_problem、rectification_ordered、case_opened 或 transferred",
                en: "kind must be no_problem, rectification_ordered, case_opened or transferred",
                path: "kind"
            )
        }
        for (name, max) in [("caseNumber", 100), ("department", 64), ("reason", 1000)] {
            guard (v[name]?.stringValue ?? "").count <= max else { throw HubHTTPError(.badRequest, [.tooLong(name, max: max)]) }
        }
        switch kind {
        case .noProblem: return .noProblem
        case .rectificationOrdered:
            guard let text = v["deadline"]?.stringValue else { throw HubHTTPError(.badRequest, [.required("deadline")]) }
            guard let date = CalendarDate(text) else {
                throw HubHTTPError(
                    .badRequest,
                    code: "invalid_date",
                    zh: "deadline 应为日期 YYYY-MM-DD",
                    en: "deadline must be a date YYYY-MM-DD",
                    path: "deadline"
                )
            }
            return .rectificationOrdered(deadline: date)
        case .caseOpened: return .caseOpened(caseNumber: v["caseNumber"]?.stringValue ?? "")
        case .transferred: return .transferred(department: v["department"]?.stringValue ?? "", reason: v["reason"]?.stringValue ?? "")
        }
    }

    /// `{"note":"…"}` (optional).
    static func closure(_ body: ByteBuffer) throws -> String {
        let v = try StrictBody.parse(body, members: ["note": .string])
        let note = v["note"]?.stringValue ?? ""
        guard note.count <= 1000 else { throw HubHTTPError(.badRequest, [.tooLong("note", max: 1000)]) }
        return note
    }

    /// `{"department":"CODE"}`
    static func assignment(_ v: JSONValue) throws -> String {
        guard let department = v["department"]?.stringValue else { throw HubHTTPError(.badRequest, [.required("department")]) }
        guard department.count <= 64 else { throw HubHTTPError(.badRequest, [.tooLong("department", max: 64)]) }
        return department
    }
}
