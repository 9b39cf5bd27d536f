import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird
import Ingest
import Normalization

/// Record lookup: by department and `localId`, or by the party's USCC / ID number — every version, how it
/// was normalized (rule, mapping release and its evidence), its ledger entry, and the province's answer.
/// Natural persons' ID and phone numbers are masked for users without the `pii` permission, and every
/// lookup by party is a ledger entry (who, whom, when).
extension ConsoleController {
    @Sendable func recordLookup(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let listQuery: ListQuery
        switch self.listQuery(request, Self.recordListSpec, context: context) {
        case .success(let query): listQuery = query
        case .failure(let refusal): return refusal.response
        }
        let q = request.uri.queryParameters
        let department = Self.departmentFilter(q.get("department"))
        let localId = q.get("localId")?.trimmingCharacters(in: .whitespaces).prefix(64).description ?? ""
        let uscc = q.get("uscc")?.trimmingCharacters(in: .whitespaces).uppercased().prefix(32).description ?? ""
        var values: [String: Any] = [
            "localId": localId, "uscc": uscc,
            "departments": try await departments.all().filter { context.user.sees(department: $0.code) }.map {
                ["code": $0.code, "name": $0.name, "selected": $0.code == department]
            },
        ]
        let user = context.user
        if !uscc.isEmpty {
            // A user scoped to departments finds only their records (the same answer as none elsewhere).
            let matches = try await records.records(ofParty: uscc).filter { user.sees(department: $0.department) }
            let names = try await departmentNames()
            // Who looked up whom, and when: a ledger entry, before anything is shown.
            try await users.recordPartyLookup(uscc, by: user, channel: "console", found: matches.count)
            values["partyResults"] = matches.map { m -> [String: Any] in
                [
                    "department": ConsoleLabels.department(m.department, names: names), "localId": m.localId, "version": m.version,
                    "status": Self.statusName(m.status),
                    "statusClass": m.status, "receivedAt": ConsoleTime.minutes(m.receivedAt), "party": m.partyName ?? "",
                    "catalogCode": m.catalogCode ?? "—",
                    "link":
                        "/console/records?department=\(m.department)&localId=\(m.localId.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
                ]
            }
            let visible = user.seesPersonalData || (try? USCC(uscc)) != nil
            values["partyShown"] = visible ? uscc : PersonalData.maskIDNumber(uscc)
            // Not even echoed back into the form for a user who may not see it (the page could be shared or cached).
            if !visible { values["uscc"] = "" }
            values["partySearched"] = true
            values["partyNone"] = matches.isEmpty
        }
        if let department, !localId.isEmpty {
            values["searched"] = true
            if user.sees(department: department), let d = try await departments.department(code: department),
                let history = try await records.history(department: d.id, localId: localId)
            {
                values["history"] = try await historyValues(history, department: department, unmasked: user.seesPersonalData)
            } else {
                values["notFound"] = true
            }
        }
        // Without an exact lookup the page is the browsable list (`ConsoleController+RecordList`).
        if uscc.isEmpty && localId.isEmpty {
            values.merge(try await recordListValues(listQuery, context: context)) { _, list in list }
            values["browsing"] = true
        }
        return page("records", title: "记录查询", tab: "records", values, context: context)
    }

    /// The versions as the page shows them; personal data masked unless `unmasked` (the `pii` permission).
    func historyValues(_ history: RecordHistory, department: String, unmasked: Bool) async throws -> [String: Any] {
        func shown(_ text: String) -> String { unmasked ? text : PersonalData.maskText(text) }
        let releases = try await releaseDetails(history.versions.compactMap(\.mappingRelease))
        let versions: [[String: Any]] = history.versions.reversed().map { v in
            var m: [String: Any] = [
                "version": v.version, "status": Self.statusName(v.status), "statusClass": v.status, "operation": WireOperation.label(v.operation),
                "receivedAt": ConsoleTime.minutes(v.receivedAt), "catalogCode": v.catalogCode ?? "—",
                "implementationCode": v.implementationCode ?? "—",
                "rule": Self.ruleName(v.rule), "ledgerSeq": v.ledgerSeq.map(String.init) ?? "—", "entryHash": v.entryHash ?? "—",
                "delivery": Self.deliveryName(v.delivery ?? (v.status == "held" ? "waiting_for_review" : "none")), "cdId": v.cdId ?? "—",
                "reviewId": v.reviewId.map(String.init) ?? "", "hasReview": v.reviewId != nil,
                "record": Self.pretty(v.record, unmasked: unmasked),
            ]
            if let release = v.mappingRelease, let detail = releases[release] { m["release"] = detail }
            if let p = v.province {
                m["province"] = [
                    "status": p.status == "rejected" ? "省平台拒收" : "省平台已接收", "rejected": p.status == "rejected",
                    "code": p.code ?? "", "message": shown(p.message ?? ""), "cdBatch": p.cdBatch ?? "—",
                    "receiptId": p.receiptId ?? "—", "answeredAt": p.answeredAt.map { ConsoleTime.minutes($0) } ?? "—",
                ]
            }
            return m
        }
        return ["department": department, "localId": history.localId, "versions": versions]
    }

    func releaseDetails(_ ids: [Int64]) async throws -> [Int64: [String: Any]] {
        try await mappings.releases(ids).mapValues { r in
            let candidates = (try? JSONParser().parse(Array(r.evidence.utf8)))?.arrayValue ?? []
            let lines = candidates.prefix(1).flatMap { ($0["evidence"]?.arrayValue ?? []).compactMap(\.stringValue) }
            return [
                "id": r.id, "rule": Self.ruleName(r.rule), "decidedBy": r.decidedBy, "approvedBy": r.approvedBy ?? "—",
                "relationship": Self.relationships.first { $0.0 == r.relationship }?.1 ?? r.relationship, "evidence": lines,
            ]
        }
    }

    static func statusName(_ s: String) -> String { RecordResult.Status.label(s) }

    static func deliveryName(_ s: String) -> String { DeliveryState.label(s) }

    /// A record's rule (`ResolutionRule`) or a mapping release's (`MappingRule`).
    static func ruleName(_ s: String?) -> String { s.flatMap { MappingRule(rawValue: $0)?.consoleLabel } ?? ResolutionRule.label(s) }

    /// The stored canonical JSON, indented for reading, with personal data masked unless `unmasked`.
    static func pretty(_ json: String, unmasked: Bool) -> String {
        let json =
            unmasked
            ? json
            : ((try? JSONParser().parse(Array(json.utf8))).map { CanonicalJSON.string(PersonalData.masked(record: $0)) }
                ?? PersonalData.maskText(json))
        guard let data = json.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data),
            let out = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return json }
        return String(decoding: out, as: UTF8.self)
    }
}
