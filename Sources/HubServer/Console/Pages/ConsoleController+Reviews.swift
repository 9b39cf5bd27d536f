import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird
import Ingest
import Normalization
import PostgresNIO

/// The mapping review queue: open conflicts busiest first, one conflict with its ranked candidates and the
/// evidence that matched, and the decide / approve forms.
extension ConsoleController {
    /// Names from `ConsoleLabels` (one place for every label), as the forms and filters list them.
    static var relationships: [(String, String)] { MappingRelationship.allCases.map { ($0.rawValue, $0.consoleLabel) } }
    static var kinds: [(String, String)] { RecordKind.allCases.map { ($0.rawValue, $0.consoleLabel) } }
    static var reasons: [String: String] { Dictionary(uniqueKeysWithValues: HoldReason.allCases.map { ($0.rawValue, $0.consoleLabel) }) }

    @Sendable func reviewList(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let query: ListQuery
        switch listQuery(request, Self.reviewListSpec, context: context) {
        case .success(let q): query = q
        case .failure(let refusal): return refusal.response
        }
        let department = query.filter("department")
        let kind = query.filter("kind")
        let status = query.filter("status")
        let user = context.user
        let filter = Self.reviewFilter(query, user: user)
        let sort = ReviewListSort(rawValue: query.sort) ?? .waiting
        let (list, more) = Self.page(
            try await reviews.list(filter, sort: sort, descending: query.descending, offset: query.offset, limit: query.size + 1),
            size: query.size
        )
        let total = try await reviews.count(filter)
        let totals = try await reviews.totals(scope: user.departmentScope)
        let names = try await departmentNames()
        let rows: [[String: Any]] = list.map { r in
            [
                "id": r.id, "department": ConsoleLabels.department(r.department, names: names), "localCode": r.localCode,
                "localName": r.localName ?? "—",
                "legalBasis": r.legalBasis ?? "（未提供）", "kind": Self.kinds.first { $0.0 == r.recordKind }?.1 ?? r.recordKind,
                "reason": Self.reasons[r.reason] ?? r.reason, "waiting": r.waiting, "openedAt": ConsoleTime.minutes(r.openedAt),
                "pending": r.status == "pending_approval",
            ]
        }
        let departments = try await self.departments.all().filter { user.sees(department: $0.code) }.map { d in
            ["code": d.code, "name": d.name, "selected": d.code == department]
        }
        return page(
            "reviews",
            title: "映射审核",
            tab: "reviews",
            [
                "reviews": rows, "empty": rows.isEmpty, "shown": rows.count, "open": totals.open, "pendingApproval": totals.pendingApproval,
                "waitingTotal": totals.waiting, "departments": departments,
                "kinds": Self.kinds.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == kind] },
                "status_open": status == "open", "status_pending": status == "pending_approval",
                "list": ListView(spec: Self.reviewListSpec, query: query).values(shown: rows.count, more: more, total: total),
            ],
            context: context
        )
    }

    @Sendable func review(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard let id = Self.id(context), let r = try await reviews.detail(id, visibleTo: context.user) else {
            return problem(.notFound, "没有该审核事项", "no such review", context: context)
        }
        let candidates = (try? JSONParser().parse(Array(r.candidates.utf8)))?.arrayValue ?? []
        let codes = candidates.compactMap { $0["catalogCode"]?.stringValue }
        let bases = try await catalog.legalBases(codes: codes)
        var needles: [String] = []
        for c in candidates { needles += (c["sharedArticles"]?.arrayValue ?? []).compactMap(\.stringValue).flatMap(Highlight.needles) }
        let rows: [[String: Any]] = candidates.enumerated().map { n, c in
            let code = c["catalogCode"]?.stringValue ?? ""
            let shared = (c["sharedArticles"]?.arrayValue ?? []).compactMap(\.stringValue)
            let contradictions = Set((c["contradictions"]?.arrayValue ?? []).compactMap(\.stringValue))
            return [
                "rank": n + 1, "catalogCode": code, "catalogName": c["catalogName"]?.stringValue ?? "",
                "score": c["score"].flatMap { v -> String? in if case .number(let s) = v { return s } else { return nil } } ?? "",
                "legalBasis": Highlight.segments(bases[code] ?? "", needles: shared.flatMap(Highlight.needles)),
                "shared": shared, "strong": !shared.isEmpty, "first": n == 0,
                "evidence": (c["evidence"]?.arrayValue ?? []).compactMap(\.stringValue).map { e in
                    ["text": e, "match": e.hasPrefix("依据同源") || e.hasPrefix("款一致"), "contra": contradictions.contains(e)]
                },
            ]
        }
        var values: [String: Any] = [
            "id": r.id, "department": r.department, "localCode": r.localCode, "localName": r.localName ?? "—",
            "legalBasis": Highlight.segments(r.legalBasis ?? "（未提供）", needles: needles),
            "kind": Self.kinds.first { $0.0 == r.recordKind }?.1 ?? r.recordKind, "reason": Self.reasons[r.reason] ?? r.reason,
            "waiting": r.waiting, "openedAt": ConsoleTime.minutes(r.openedAt), "candidates": rows, "noCandidates": rows.isEmpty,
            "firstCode": codes.first ?? "",
            "isOpen": r.status == "open", "isPending": r.status == "pending_approval", "isClosed": r.status == "closed",
            "relationships": Self.relationships.map { ["value": $0.0, "label": $0.1] },
        ]
        if r.status == "pending_approval", let release = r.proposedMapping, let proposal = try await proposal(release) {
            values["proposal"] = proposal
            values["release"] = String(release)
            values["ownDecision"] = proposal["decidedBy"] as? String == context.user.username
        }
        // Outcome and form errors come from the server-side flash of this session, never from the URL.
        for flash in try await takeFlashes(context, codes: ["review_outcome:\(r.id)", "review_error:\(r.id)"]) {
            func number(_ k: String) -> String { flash.params[k]?.intValue.map { String($0) } ?? "0" }
            if flash.code.hasPrefix("review_outcome:") {
                let status = flash.params["status"]?.stringValue ?? ""
                values["flash"] = [
                    "pending": status == "pending_approval", "confirmed": status != "pending_approval",
                    "released": number("released"), "rejected": number("rejected"), "held": number("held"),
                ]
            } else if let message = flash.params["message"]?.stringValue {
                values["error"] = message
            }
        }
        return page("review", title: "审核 #\(r.id)", tab: "reviews", values, context: context)
    }

    func proposal(_ release: Int64) async throws -> [String: Any]? {
        guard let r = try await mappings.releases([release])[release] else { return nil }
        return [
            "decidedBy": r.decidedBy, "catalogCode": r.catalogCode ?? "—", "implementationCode": r.implementationCode ?? "—",
            "relationship": Self.relationships.first { $0.0 == r.relationship }?.1 ?? r.relationship, "reason": r.reason,
        ]
    }

    /// The decision form.
    struct DecisionForm: Decodable {
        var relationship: String?
        var catalogCode: String?
        var implementationCode: String?
        var reason: String?
    }

    /// The approval form: a note, and the proposal's release the approver saw.
    struct ApprovalForm: Decodable {
        var note: String?
        var release: String?
    }

    @Sendable func decide(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard let id = Self.id(context) else { return problem(.notFound, "没有该审核事项", "no such review", context: context) }
        let form = try context.form.decode(DecisionForm.self)
        do {
            try ReviewPolicy.authorize(.decide, context.user)
            let outcome = try await reviews.decide(
                id,
                by: context.user,
                relationship: form.relationship ?? "",
                catalogCode: form.catalogCode.flatMap { $0.isEmpty ? nil : $0 },
                implementationCode: form.implementationCode.flatMap { $0.isEmpty ? nil : $0 },
                reason: form.reason ?? "",
                requireApproval: reviewFourEyes
            )
            return try await outcomeRedirect(id, outcome, context: context)
        } catch let error as ReviewError {
            return try await reviewProblem(error, id: id, context: context)
        }
    }

    @Sendable func approve(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard let id = Self.id(context) else { return problem(.notFound, "没有该审核事项", "no such review", context: context) }
        let form = try context.form.decode(ApprovalForm.self)
        do {
            try ReviewPolicy.authorize(.approve, context.user)
            let outcome = try await reviews.approve(id, by: context.user, note: form.note ?? "", release: form.release.flatMap { Int64($0) })
            return try await outcomeRedirect(id, outcome, context: context)
        } catch let error as ReviewError {
            return try await reviewProblem(error, id: id, context: context)
        }
    }

    /// Back to the review, with the outcome kept as this session's flash (not in the URL).
    func outcomeRedirect(_ id: Int64, _ o: ReviewStore.Outcome, context: ConsoleRequestContext) async throws -> Response {
        try await flash(
            context,
            .init(
                code: "review_outcome:\(id)",
                params: .object([
                    ("status", .string(o.status)), ("released", .number(String(o.released))), ("rejected", .number(String(o.rejected))),
                    ("held", .number(String(o.stillHeld))),
                ])
            )
        )
        return ConsoleRenderer.redirect("/console/reviews/\(id)")
    }

    /// A refused decision: a role or four-eyes refusal is a 403 page; an invalid form goes back with the message.
    /// The refusal is mapped as the ops API maps it (`HubHTTPError(ReviewError)`), then shown as a page.
    func reviewProblem(_ error: ReviewError, id: Int64, context: ConsoleRequestContext) async throws -> Response {
        let answer = HubHTTPError(error)
        switch answer.status {
        case .forbidden, .notFound: return renderer.problem(answer, session: context.session)
        default:
            try await flash(context, .init(code: "review_error:\(id)", params: .object([("message", .string(error.error.messageZh))])))
            return ConsoleRenderer.redirect("/console/reviews/\(id)")
        }
    }
}

/// Marks where a shared legal reference appears in a legal-basis text, so the reviewer sees which citation
/// matched which: the instrument's name and the article in Arabic or Chinese numerals.
enum Highlight {
    /// `《药品管理法》第99条第1款` → [`《药品管理法》`, `药品管理法`, `第99条`, `第九十九条`].
    static func needles(_ reference: String) -> [String] {
        var out: [String] = []
        if let open = reference.firstIndex(of: "《"), let close = reference.firstIndex(of: "》"), open < close {
            out.append(String(reference[reference.index(after: open)..<close]))
        }
        if let start = reference.range(of: "第"), let end = reference.range(of: "条", range: start.upperBound..<reference.endIndex) {
            let number = String(reference[start.upperBound..<end.lowerBound])
            out.append("第\(number)条")
            if let n = Int(number) { out.append("第\(chinese(n))条") }
        }
        return out.filter { !$0.isEmpty }
    }

    /// 1–9999 in Chinese numerals (十, 十一, 二十, 一百零五 …), as laws write article numbers.
    static func chinese(_ n: Int) -> String {
        let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        guard n > 0, n < 10000 else { return String(n) }
        if n < 10 { return digits[n] }
        if n < 20 { return "十" + (n % 10 == 0 ? "" : digits[n % 10]) }
        let units = [(1000, "千"), (100, "百"), (10, "十")]
        var out = ""
        var rest = n
        var zero = false
        for (value, name) in units {
            let d = rest / value
            if d > 0 {
                if zero {
                    out += "零"
                    zero = false
                }
                out += digits[d] + name
            } else if !out.isEmpty {
                zero = true
            }
            rest %= value
        }
        if rest > 0 { out += (zero ? "零" : "") + digits[rest] }
        return out
    }

    /// The text cut into `{text, hit}` segments for the template (escaped there, highlighted where `hit`).
    static func segments(_ text: String, needles: [String]) -> [[String: Any]] {
        let needles = Array(Set(needles)).filter { !$0.isEmpty }.sorted { $0.count > $1.count }
        var out: [[String: Any]] = []
        var plain = ""
        var i = text.startIndex
        outer: while i < text.endIndex {
            for n in needles where text[i...].hasPrefix(n) {
                if !plain.isEmpty {
                    out.append(["text": plain, "hit": false])
                    plain = ""
                }
                out.append(["text": n, "hit": true])
                i = text.index(i, offsetBy: n.count)
                continue outer
            }
            plain.append(text[i])
            i = text.index(after: i)
        }
        if !plain.isEmpty { out.append(["text": plain, "hit": false]) }
        return out
    }
}
