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
        let query = request.uri.queryParameters
        let candidates = (try? JSONParser().parse(Array(r.candidates.utf8)))?.arrayValue ?? []
        let codes = candidates.compactMap { $0["catalogCode"]?.stringValue }
        let bases = try await catalog.legalBases(codes: codes)
        let search: (values: [String: Any], codes: [String], found: [CatalogStore.Found])
        if r.status == ReviewStatus.open.rawValue { search = try await searchValues(r, query: query.get("q")) } else { search = ([:], [], []) }
        let places = try await catalog.places(codes: codes + search.codes)
        var needles: [String] = []
        for c in candidates { needles += (c["sharedArticles"]?.arrayValue ?? []).compactMap(\.stringValue).flatMap(Highlight.needles) }
        let rows: [[String: Any]] = candidates.enumerated().map { n, c in
            let code = c["catalogCode"]?.stringValue ?? ""
            let shared = (c["sharedArticles"]?.arrayValue ?? []).compactMap(\.stringValue)
            let contradictionLines = (c["contradictions"]?.arrayValue ?? []).compactMap(\.stringValue)
            let contradictions = Set(contradictionLines)
            let evidence = (c["evidence"]?.arrayValue ?? []).compactMap(\.stringValue)
            // A plain strength (强/中/弱 and why) instead of the ranking score, which stays in a tooltip.
            let strength = MatchStrength.assess(sharedArticles: shared, contradictions: contradictionLines, evidence: evidence)
            var row: [String: Any] = [
                "rank": n + 1, "catalogCode": code, "catalogName": c["catalogName"]?.stringValue ?? "",
                "score": c["score"].flatMap { v -> String? in if case .number(let s) = v { return s } else { return nil } } ?? "",
                "strength": strength.level.label, "strengthClass": strength.level.rawValue, "strengthReason": strength.reason,
                "legalBasis": Highlight.segments(bases[code] ?? "", needles: shared.flatMap(Highlight.needles)),
                "shared": shared, "strong": !shared.isEmpty, "first": n == 0,
                "evidence": evidence.map { e in
                    ["text": EvidenceWording.sentence(e), "match": e.hasPrefix("依据同源") || e.hasPrefix("款一致"), "contra": contradictions.contains(e)]
                },
            ]
            if let place = Self.placeValues(places[code]) { row["place"] = place }
            return row
        }
        // What the form shows: what was typed before a refusal, else a catalog item picked from the search, else
        // the first candidate.
        var typed = ["relationship": "equivalent", "catalogCode": codes.first ?? "", "implementationCode": "", "reason": ""]
        if let pick = query.get("code"), !pick.isEmpty, pick.count <= 32, pick.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            typed["catalogCode"] = pick
        }
        var values: [String: Any] = [
            "id": r.id, "department": ConsoleLabels.department(r.department, names: try await departmentNames()), "localCode": r.localCode,
            "localName": r.localName ?? "—", "legalBasis": Highlight.segments(r.legalBasis ?? "（未提供）", needles: needles),
            "kind": Self.kinds.first { $0.0 == r.recordKind }?.1 ?? r.recordKind, "reason": Self.reasons[r.reason] ?? r.reason,
            "waiting": r.waiting, "openedAt": ConsoleTime.minutes(r.openedAt), "candidates": rows, "noCandidates": rows.isEmpty,
            "isOpen": r.status == "open", "isPending": r.status == "pending_approval", "isClosed": r.status == "closed",
        ]
        values.merge(search.values) { a, _ in a }
        values["found"] = Self.foundRows(search.found, id: r.id, query: search.values["q"] as? String ?? "", places: places)
        values.merge(try await heldValues(r, context: context)) { a, _ in a }
        if r.status == "pending_approval", let release = r.proposedMapping, let proposal = try await proposal(release) {
            values["proposal"] = proposal
            values["release"] = String(release)
            values["ownDecision"] = proposal["decidedBy"] as? String == context.user.username
        }
        var checked = Set<Int64>()
        // Outcome and form errors come from the server-side flash of this session, never from the URL.
        for flash in try await takeFlashes(context, codes: ["review_outcome:\(r.id)", "review_error:\(r.id)"]) {
            func number(_ k: String) -> String { flash.params[k]?.intValue.map { String($0) } ?? "0" }
            if flash.code.hasPrefix("review_outcome:") {
                let status = flash.params["status"]?.stringValue ?? ""
                values["flash"] = [
                    "pending": status == "pending_approval", "confirmed": status == "released",
                    "released": number("released"), "rejected": number("rejected"), "held": number("held"),
                ]
                let bulk = Self.bulkRows(flash.params["bulk"])
                if !bulk.isEmpty {
                    values["bulk"] = bulk
                    values["hasBulk"] = true
                }
            } else if let message = flash.params["message"]?.stringValue {
                values["error"] = message
                if let field = flash.params["field"]?.stringValue, typed[field] != nil { values["error_\(field)"] = message }
                for key in typed.keys { if let v = flash.params[key]?.stringValue { typed[key] = v } }
                checked = Set((flash.params["also"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap { Int64($0) } })
            }
        }
        values["form"] = typed
        values["relationships"] = Self.relationships.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == typed["relationship"]] }
        values.merge(try await siblingValues(r, checked: checked, context: context)) { a, _ in a }
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
        /// Other open reviews citing the same provision to decide the same way (`also[]=id`).
        var also: [String]?
    }

    /// The approval form: a note, and the proposal's release the approver saw.
    struct ApprovalForm: Decodable {
        var note: String?
        var release: String?
        /// Other pending reviews citing the same provision to approve too (`also[]=id:release`).
        var also: [String]?
    }

    @Sendable func decide(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard let id = Self.id(context) else { return problem(.notFound, "没有该审核事项", "no such review", context: context) }
        let form = try context.form.decode(DecisionForm.self)
        let also = Self.chosen(form.also).map { $0.0 }.filter { $0 != id }
        do {
            try ReviewPolicy.authorize(.decide, context.user)
            guard let review = try await reviews.detail(id, visibleTo: context.user) else { throw ReviewError.notFound(id) }
            let outcome = try await decideOne(id, form, context: context)
            // This review's decision stands; the same decision for each chosen sibling, each on its own.
            let bulk = try await decideSiblings(review, ids: also, form: form, context: context)
            return try await outcomeRedirect(id, outcome, bulk: bulk, context: context)
        } catch let error as ReviewError {
            let typed: [(String, JSONValue)] = [
                ("relationship", .string(form.relationship ?? "")), ("catalogCode", .string(form.catalogCode ?? "")),
                ("implementationCode", .string(form.implementationCode ?? "")), ("reason", .string(form.reason ?? "")),
                ("also", .array(also.map { .string(String($0)) })),
            ]
            return try await reviewProblem(error, id: id, typed: typed, context: context)
        }
    }

    /// One review decided as the form says (the ops API's and `hub review`'s store call).
    func decideOne(_ id: Int64, _ form: DecisionForm, context: ConsoleRequestContext) async throws -> ReviewStore.Outcome {
        try await reviews.decide(
            id,
            by: context.user,
            relationship: form.relationship ?? "",
            catalogCode: form.catalogCode.flatMap { $0.isEmpty ? nil : $0 },
            implementationCode: form.implementationCode.flatMap { $0.isEmpty ? nil : $0 },
            reason: form.reason ?? "",
            requireApproval: reviewFourEyes
        )
    }

    @Sendable func approve(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard let id = Self.id(context) else { return problem(.notFound, "没有该审核事项", "no such review", context: context) }
        let form = try context.form.decode(ApprovalForm.self)
        let also = Self.chosen(form.also).filter { $0.0 != id }
        do {
            try ReviewPolicy.authorize(.approve, context.user)
            guard !also.isEmpty else {
                let outcome = try await reviews.approve(id, by: context.user, note: form.note ?? "", release: form.release.flatMap { Int64($0) })
                return try await outcomeRedirect(id, outcome, context: context)
            }
            // A bulk approval: this review and each chosen sibling approved on its own; one refused (the approver's
            // own decision, a withdrawn proposal) does not stop the others.
            guard let review = try await reviews.detail(id, visibleTo: context.user) else { throw ReviewError.notFound(id) }
            let first: Result<ReviewStore.Outcome, ReviewError>
            do {
                first = .success(try await reviews.approve(id, by: context.user, note: form.note ?? "", release: form.release.flatMap { Int64($0) }))
            } catch let error as ReviewError {
                first = .failure(error)
            }
            let bulk = try await approveSiblings(review, chosen: also, note: form.note ?? "", context: context)
            switch first {
            case .success(let outcome): return try await outcomeRedirect(id, outcome, bulk: bulk, context: context)
            case .failure(let error):
                let all = [BulkResult(id: id, localCode: review.localCode, outcome: .failure(error))] + bulk
                try await flash(
                    context,
                    .init(code: "review_outcome:\(id)", params: .object([("status", .string("bulk")), ("bulk", .array(all.map(\.json)))]))
                )
                return ConsoleRenderer.redirect("/console/reviews/\(id)")
            }
        } catch let error as ReviewError {
            return try await reviewProblem(error, id: id, context: context)
        }
    }

    /// Back to the review, with the outcome kept as this session's flash (not in the URL).
    func outcomeRedirect(_ id: Int64, _ o: ReviewStore.Outcome, bulk: [BulkResult] = [], context: ConsoleRequestContext) async throws -> Response {
        var params: [(String, JSONValue)] = [
            ("status", .string(o.status)), ("released", .number(String(o.released))), ("rejected", .number(String(o.rejected))),
            ("held", .number(String(o.stillHeld))),
        ]
        if !bulk.isEmpty { params.append(("bulk", .array(bulk.map(\.json)))) }
        try await flash(context, .init(code: "review_outcome:\(id)", params: .object(params)))
        return ConsoleRenderer.redirect("/console/reviews/\(id)")
    }

    /// A refused decision: a role or four-eyes refusal is a 403 page; an invalid form goes back with the message
    /// beside its field and what was typed (`typed`, kept in the session's flash, never in the URL).
    /// The refusal is mapped as the ops API maps it (`HubHTTPError(ReviewError)`), then shown as a page.
    func reviewProblem(_ error: ReviewError, id: Int64, typed: [(String, JSONValue)] = [], context: ConsoleRequestContext) async throws -> Response {
        let answer = HubHTTPError(error)
        switch answer.status {
        case .forbidden, .notFound: return renderer.problem(answer, session: context.session)
        default:
            let params: [(String, JSONValue)] = [("message", .string(error.error.messageZh)), ("field", .string(error.error.path))] + typed
            try await flash(context, .init(code: "review_error:\(id)", params: .object(params)))
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
