import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird
import Supervision

/// 风险预警: the queue of clues (the province's and the city's own warnings) with filters and pages, one clue with
/// its evidence — the rule lines that fired, the matched text highlighted in the observation, the facts — and its
/// steps, and the forms that move it: assign (ops), verify, dispose, close. Scoped to the user's departments.
extension ConsoleController {
    static let cluePageSize = 50

    @Sendable func riskQueue(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        let status = q.get("status").flatMap(ClueStatus.init(rawValue:))
        let model = q.get("model").flatMap { RiskModelID(rawValue: $0)?.rawValue }
        let origin = q.get("origin").flatMap(ClueOrigin.init(rawValue:))
        let overdue = q.get("overdue") == "1"
        let department = Self.departmentFilter(q.get("department"))
        let offset = max(0, q.get("offset", as: Int.self) ?? 0)
        let filter = ClueStore.Filter(
            status: status,
            model: model,
            department: department,
            origin: origin,
            overdue: overdue ? true : nil,
            departments: context.user.departmentScope
        )
        let found = try await clues.list(filter, limit: Self.cluePageSize, offset: offset)
        let today = ClueStore.day(Date())
        let names = try await departmentNames()
        let rows: [[String: Any]] = found.clues.map { c in
            [
                "id": c.clueId, "model": RiskModelID(rawValue: c.model)?.label ?? c.model, "origin": c.origin.label,
                "subject": c.subjectName, "uscc": c.subjectUSCC ?? "", "region": c.regionCode ?? "", "status": c.status.label,
                "department": c.state.department.map { names[$0] ?? $0 } ?? "待分派", "received": c.receivedOn.description,
                "due": (c.status == .assigned ? c.state.verificationDue : c.status == .verified ? c.state.disposalDue : nil)?.description ?? "",
                "overdue": c.isOverdue(on: today), "summary": c.summary,
            ]
        }
        func link(_ offset: Int) -> String {
            var parts: [String] = []
            if let status { parts.append("status=\(status.rawValue)") }
            if let model { parts.append("model=\(model)") }
            if let origin { parts.append("origin=\(origin.rawValue)") }
            if overdue { parts.append("overdue=1") }
            if let department { parts.append("department=\(department)") }
            parts.append("offset=\(offset)")
            return "/console/risk?" + parts.joined(separator: "&")
        }
        let values: [String: Any] = [
            "clues": rows, "none": rows.isEmpty, "total": found.total, "from": found.total == 0 ? 0 : offset + 1,
            "to": offset + rows.count, "previous": offset > 0 ? link(max(0, offset - Self.cluePageSize)) : "",
            "next": offset + rows.count < found.total ? link(offset + Self.cluePageSize) : "",
            "statuses": ClueStatus.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0 == status] },
            "models": RiskModelID.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == model] },
            "origins": ClueOrigin.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0 == origin] },
            "overdue": overdue, "department": department ?? "",
        ]
        return page("risk", title: "风险预警", tab: "risk", values, context: context)
    }

    @Sendable func riskClue(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        try await riskCluePage(context, errors: [], status: .ok)
    }

    /// Moves a clue one step from the console: `action` = assign | verify | dispose | close.
    @Sendable func actOnClue(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        guard context.user.can(.reviewer) else {
            return problem(.forbidden, "处理预警需要审核人或管理员角色", "acting on a clue needs the reviewer or admin role", context: context)
        }
        guard let clueId = context.parameters.get("clueId") else { throw HTTPError(.notFound) }
        let form = try context.form.decode(ClueForm.self)
        let step: ClueStep
        switch ClueForm.read(form) {
        case .success(let s): step = s
        case .failure(let error): return try await riskCluePage(context, errors: [error], status: .badRequest)
        }
        let actor = ClueActor.ops(username: context.user.username, departments: context.user.departmentScope)
        do {
            _ = try await clues.act(clueId, step: step, actor: actor)
        } catch let refusal as StoreRefusal {
            return try await riskCluePage(context, errors: refusal.errors, status: refusal.kind == .forbidden ? .forbidden : .conflict)
        }
        return ConsoleRenderer.redirect("/console/risk/clues/\(clueId)")
    }

    func riskCluePage(_ context: ConsoleRequestContext, errors: [FieldError], status: HTTPResponse.Status) async throws -> Response {
        guard let clueId = context.parameters.get("clueId"),
            let detail = try await clues.detail(clueId, for: .ops(username: context.user.username, departments: context.user.departmentScope))
        else {
            return problem(.notFound, "没有这条预警线索", "no such clue", context: context)
        }
        let c = detail.clue
        let today = ClueStore.day(Date())
        let names = try await departmentNames()
        var observationText: [[String: Any]] = []
        var reasons: [[String: Any]] = []
        if case .array(let fired)? = c.evidence["reasons"] {
            var spans: [String: [(offset: Int, length: Int)]] = [:]
            for r in fired {
                let matches = r["matches"]?.arrayValue ?? []
                for m in matches {
                    if let field = m["field"]?.stringValue, let offset = m["offset"]?.intValue, let length = m["length"]?.intValue {
                        spans[field, default: []].append((offset, length))
                    }
                }
                reasons.append([
                    "description": r["description"]?.stringValue ?? "", "rule": r["ruleId"]?.stringValue ?? "",
                    "weight": r["weight"].map { CanonicalJSON.string($0) } ?? "",
                    "matched": matches.compactMap { $0["text"]?.stringValue }.joined(separator: "、"),
                    "facts": (r["facts"]?.arrayValue ?? []).compactMap(\.stringValue),
                ])
            }
            if let department = c.observationDepartment, let id = c.observationId,
                let observation = try await observations.observation(department: department, observationId: id)
            {
                let kind = observation.kind.rawValue
                for field in ["text", "productName", "advertiser", "shop", "seller", "location"] {
                    guard let text = observation.body[kind]?[field]?.stringValue, !text.isEmpty else { continue }
                    observationText.append([
                        "field": Self.observationFieldLabel[field] ?? field, "html": EvidenceHighlight.html(text, spans: spans[field] ?? []),
                    ])
                }
            }
        }
        let departments = try await self.departments.all().filter { context.user.sees(department: $0.code) }
        let values: [String: Any] = [
            "id": c.clueId, "model": RiskModelID(rawValue: c.model)?.label ?? c.model, "origin": c.origin.label,
            "city": c.origin == .city, "subject": c.subjectName, "uscc": c.subjectUSCC ?? "", "region": c.regionCode ?? "",
            "summary": c.summary, "provinceEvidence": c.origin == .province ? (c.evidence["evidence"]?.stringValue ?? "") : "",
            "status": c.status.label, "department": c.state.department.map { names[$0] ?? $0 } ?? "待分派",
            "verificationDue": c.state.verificationDue?.description ?? "", "disposalDue": c.state.disposalDue?.description ?? "",
            "overdue": c.isOverdue(on: today), "duePending": c.duePending ?? "",
            "verdict": c.state.verification.map { "\($0.verdict.label)：\($0.findings)" } ?? "",
            "disposition": c.state.disposition.map(Self.dispositionText) ?? "",
            "score": c.score.map { String(format: "%.2f", $0) } ?? "", "threshold": c.threshold.map { String(format: "%.2f", $0) } ?? "",
            "reasons": reasons, "hasReasons": !reasons.isEmpty, "observation": observationText, "hasObservation": !observationText.isEmpty,
            "observationId": c.observationId ?? "",
            "steps": detail.steps.map { s in
                ["step": Self.clueStepLabel[s.step] ?? s.step, "actor": s.actor, "on": s.occurredOn.description, "ledgerSeq": s.ledgerSeq]
            },
            "canAssign": c.status == .pending || c.status == .assigned, "canVerify": c.status == .assigned,
            "canDispose": c.status == .verified, "canClose": c.status == .disposed,
            "departments": departments.map { ["code": $0.code, "name": $0.name, "selected": $0.code == c.state.department] },
            "verdicts": ClueVerdict.allCases.map { ["value": $0.rawValue, "label": $0.label] },
            "dispositionKinds": ClueDisposition.Kind.allCases.map { ["value": $0.rawValue, "label": $0.label] },
            "errors": errors.map { ["message": $0.messageZh, "field": $0.path] }, "hasErrors": !errors.isEmpty,
        ]
        return renderer.page("risk-clue", title: "预警线索 \(c.clueId)", tab: "risk", values, session: context.session, status: status)
    }

    func departmentNames() async throws -> [String: String] {
        Dictionary(try await departments.all().map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    static func dispositionText(_ d: ClueDisposition) -> String {
        switch d {
        case .noProblem: d.kind.label
        case .rectificationOrdered(let deadline): "\(d.kind.label)，期限 \(deadline)"
        case .caseOpened(let number): "\(d.kind.label)，案号 \(number)"
        case .transferred(let department, let reason): "\(d.kind.label) \(department)：\(reason)"
        }
    }

    static let clueStepLabel = [
        "received": "接收", "assigned": "分派", "verified": "核查", "disposed": "处置", "closed": "办结", "overdue": "逾期提醒",
    ]
    static let observationFieldLabel = [
        "text": "文字内容", "productName": "商品名称", "advertiser": "广告主", "shop": "店铺", "seller": "销售者", "location": "发布位置",
    ]

    /// The forms of a clue page, one `action` each.
    struct ClueForm: Decodable {
        var action: String?
        var department: String?
        var verdict: String?
        var findings: String?
        var kind: String?
        var caseNumber: String?
        var deadline: String?
        var reason: String?
        var note: String?

        static func read(_ f: ClueForm) -> Result<ClueStep, FieldError> {
            func text(_ value: String?) -> String { value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
            func missing(_ path: String, _ zh: String, _ en: String) -> Result<ClueStep, FieldError> {
                .failure(FieldError(path: path, code: "required", zh: zh, en: en))
            }
            switch f.action {
            case "assign":
                let d = text(f.department)
                return d.isEmpty ? missing("department", "请选择承办部门", "choose the department") : .success(.assign(department: d))
            case "verify":
                guard let verdict = ClueVerdict(rawValue: text(f.verdict)) else { return missing("verdict", "请选择核查结论", "choose the verdict") }
                let findings = text(f.findings)
                guard !findings.isEmpty, findings.count <= 2000 else {
                    return missing("findings", "请填写核查情况（不超过 2000 字）", "write the findings (at most 2000 characters)")
                }
                return .success(.verify(ClueVerification(verdict: verdict, findings: findings)))
            case "dispose":
                switch ClueDisposition.Kind(rawValue: text(f.kind)) {
                case .noProblem?: return .success(.dispose(.noProblem))
                case .rectificationOrdered?:
                    guard let day = CalendarDate(text(f.deadline)) else { return missing("deadline", "请填写整改期限（YYYY-MM-DD）", "give the deadline") }
                    return .success(.dispose(.rectificationOrdered(deadline: day)))
                case .caseOpened?:
                    let number = text(f.caseNumber)
                    return number.isEmpty
                        ? missing("caseNumber", "立案查处须填写案号", "a case opened needs its number") : .success(.dispose(.caseOpened(caseNumber: number)))
                case .transferred?:
                    let d = text(f.department)
                    let reason = text(f.reason)
                    guard !d.isEmpty, !reason.isEmpty else { return missing("reason", "移送须填写接收部门和原因", "a transfer needs the department and reason") }
                    return .success(.dispose(.transferred(department: d, reason: reason)))
                case nil: return missing("kind", "请选择处置方式", "choose the disposition")
                }
            case "close":
                return .success(.close(note: text(f.note)))
            default:
                return missing("action", "未知操作", "unknown action")
            }
        }
    }
}
