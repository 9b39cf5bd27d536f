import Foundation
import HubModel
import HubStore
import Hummingbird
import Ingest
import Normalization

/// What the review page adds to the candidates so a reviewer can decide from it: the held records the decision
/// releases, each candidate's place in the catalog hierarchy, a catalog search for items the matcher did not
/// offer, and the other local items of the department citing the same provision (decided or approved with
/// this one, each still on its own — `decideSiblings`, `approveSiblings`).
extension ConsoleController {
    /// At most this many held records are listed; the rest are counted with a link to the records list.
    static let heldShown = 20

    /// A value as it goes into a link's query: ASCII letters, digits and `-._~` as they are, the rest percent-encoded.
    static func queryValue(_ s: String) -> String {
        s.addingPercentEncoding(
            withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        )
            ?? ""
    }

    /// The held records as the page lists them; the party's ID number masked unless the user holds `pii`.
    func heldValues(_ r: ReviewStore.Summary, context: ConsoleRequestContext) async throws -> [String: Any] {
        let (held, total) = try await reviews.heldRecords(review: r.id, limit: Self.heldShown)
        let unmasked = context.user.seesPersonalData
        let rows: [[String: Any]] = held.map { h in
            var party = h.party ?? .null
            if !unmasked, let p = h.party { party = PersonalData.masked(record: .object([("party", p)]))["party"] ?? p }
            let name = party["name"]?.stringValue ?? "—"
            let number = party["idNumber"]?.stringValue
            return [
                "localId": h.localId, "version": h.version, "party": number.map { "\(name)（\($0)）" } ?? name, "actDate": h.actDate ?? "—",
                "receivedAt": h.receivedAt,
                "link": "/console/records?department=\(Self.queryValue(r.department))&localId=\(Self.queryValue(h.localId))",
            ]
        }
        return [
            "held": rows, "heldTotal": total, "heldNone": rows.isEmpty, "heldMore": total - rows.count, "hasHeldMore": total > rows.count,
            // The records list filtered to this local item's held records (the paged records list reads these).
            "heldLink": "/console/records?review=\(r.id)&status=held",
        ]
    }

    /// 主项 / 子项 for a catalog item: a sub-item names its main item, a main item says how many sub-items it has.
    static func placeValues(_ place: CatalogStore.Place?) -> [String: Any]? {
        guard let place else { return nil }
        if let parent = place.parent {
            return ["child": true, "parentCode": parent.code, "parentName": parent.name, "text": "子项，主项为 \(parent.code) \(parent.name)"]
        }
        return ["parent": true, "children": place.children, "text": "主项，含 \(place.children) 个子项"]
    }

    /// `?q=`: active catalog items of the review's item type by code, name or legal basis (nothing when empty).
    func searchValues(_ r: ReviewStore.Summary, query: String?) async throws -> (values: [String: Any], codes: [String], found: [CatalogStore.Found])
    {
        let q = String((query ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(50))
        guard !q.isEmpty, let kind = RecordKind(rawValue: r.recordKind) else { return (["q": q], [], []) }
        let found = try await catalog.searchActive(q, itemType: ItemType(kind: kind).rawValue)
        return (["q": q, "searched": true, "foundNone": found.isEmpty], found.map(\.code), found)
    }

    /// The search results with their hierarchy and a link that fills the decision (`?code=`; console.js fills
    /// the field in place when scripts run).
    static func foundRows(_ found: [CatalogStore.Found], id: Int64, query: String, places: [String: CatalogStore.Place]) -> [[String: Any]] {
        let q = queryValue(query)
        return found.map { f in
            var row: [String: Any] = [
                "code": f.code, "name": f.name, "department": f.department, "legalBasis": f.legalBasis,
                "pickLink": "/console/reviews/\(id)?q=\(q)&code=\(f.code)#decide-form",
            ]
            if let place = placeValues(places[f.code]) { row["place"] = place }
            return row
        }
    }

    /// The other reviews of the same department and record kind, `status` (open or pending approval), whose
    /// local basis shares an (instrument, article) with this one's, with the shared provisions.
    func siblings(
        of r: ReviewStore.Summary,
        status: ReviewStatus,
        context: ConsoleRequestContext
    ) async throws -> [(
        review: ReviewStore.Summary, shared: [LegalReference]
    )] {
        let index = try await reviews.catalogCache.current()
        let target = index.references(r.legalBasis ?? "")
        guard !target.isEmpty else { return [] }
        let others = try await reviews.list(
            status: status.rawValue,
            department: r.department,
            recordKind: r.recordKind,
            limit: 200,
            visibleTo: context.user
        )
        .filter { $0.id != r.id }
        let byId = Dictionary(uniqueKeysWithValues: others.map { ($0.id, $0) })
        return SharedBasis.siblings(of: target, among: others.map { (id: $0.id, references: index.references($0.legalBasis ?? "")) })
            .compactMap { s in byId[s.id].map { (review: $0, shared: s.shared) } }
    }

    /// The siblings as the page lists them; on a review pending approval, with each one's proposal.
    func siblingValues(_ r: ReviewStore.Summary, checked: Set<Int64>, context: ConsoleRequestContext) async throws -> [String: Any] {
        let status: ReviewStatus = r.status == ReviewStatus.pendingApproval.rawValue ? .pendingApproval : .open
        guard r.status != ReviewStatus.closed.rawValue else { return [:] }
        let found = try await siblings(of: r, status: status, context: context)
        let releases = try await mappings.releases(found.compactMap(\.review.proposedMapping))
        let me = context.user.username
        let rows: [[String: Any]] = found.prefix(50).map { s in
            var row: [String: Any] = [
                "id": s.review.id, "localCode": s.review.localCode, "localName": s.review.localName ?? "—",
                "legalBasis": s.review.legalBasis ?? "", "shared": s.shared.map(\.description).joined(separator: "、"), "waiting": s.review.waiting,
                "checked": checked.contains(s.review.id),
            ]
            if let release = s.review.proposedMapping, let p = releases[release] {
                row["proposal"] = [
                    "release": release, "decidedBy": p.decidedBy, "catalogCode": p.catalogCode ?? "—",
                    "relationship": Self.relationships.first { $0.0 == p.relationship }?.1 ?? p.relationship, "reason": p.reason,
                    "own": p.decidedBy == me,
                ]
            }
            return row
        }
        return ["siblings": rows, "hasSiblings": !rows.isEmpty, "siblingsPending": status == .pendingApproval]
    }

    /// One item's answer within a bulk decision or approval.
    struct BulkResult {
        var id: Int64
        var localCode: String
        var outcome: Result<ReviewStore.Outcome, ReviewError>

        var json: JSONValue {
            var members: [(String, JSONValue)] = [("id", .number(String(id))), ("localCode", .string(localCode))]
            switch outcome {
            case .success(let o):
                members += [("ok", .bool(true)), ("status", .string(o.status)), ("released", .number(String(o.released)))]
            case .failure(let e):
                members += [("ok", .bool(false)), ("message", .string(e.error.messageZh)), ("code", .string(e.error.code))]
            }
            return .object(members)
        }
    }

    static let notSibling = ReviewError.invalid(
        "also",
        "not_same_basis",
        "该事项不是本部门依据相同、待处理的审核事项，未作处理",
        "the item is not an open review of this department citing the same provision; left alone"
    )

    /// The same decision applied to each chosen sibling, one `ReviewStore.decide` each (its own mapping release,
    /// ledger entry and, with four eyes, its own approval). Ids that are not open siblings are refused.
    func decideSiblings(_ r: ReviewStore.Summary, ids: [Int64], form: DecisionForm, context: ConsoleRequestContext) async throws -> [BulkResult] {
        guard !ids.isEmpty else { return [] }
        let open = Dictionary(uniqueKeysWithValues: try await siblings(of: r, status: .open, context: context).map { ($0.review.id, $0.review) })
        var out: [BulkResult] = []
        for id in ids {
            guard let sibling = open[id] else {
                out.append(BulkResult(id: id, localCode: "", outcome: .failure(Self.notSibling)))
                continue
            }
            do {
                let outcome = try await decideOne(id, form, context: context)
                out.append(BulkResult(id: id, localCode: sibling.localCode, outcome: .success(outcome)))
            } catch let error as ReviewError {
                out.append(BulkResult(id: id, localCode: sibling.localCode, outcome: .failure(error)))
            }
        }
        return out
    }

    /// Each chosen sibling's pending proposal approved on its own (`ReviewStore.approve` with the release the
    /// approver saw): four eyes refuses the approver's own decisions one by one.
    func approveSiblings(
        _ r: ReviewStore.Summary,
        chosen: [(Int64, Int64?)],
        note: String,
        context: ConsoleRequestContext
    ) async throws -> [BulkResult] {
        guard !chosen.isEmpty else { return [] }
        let pending = Dictionary(
            uniqueKeysWithValues: try await siblings(of: r, status: .pendingApproval, context: context).map { ($0.review.id, $0.review) }
        )
        var out: [BulkResult] = []
        for (id, release) in chosen {
            guard let sibling = pending[id] else {
                out.append(BulkResult(id: id, localCode: "", outcome: .failure(Self.notSibling)))
                continue
            }
            do {
                let outcome = try await reviews.approve(id, by: context.user, note: note, release: release)
                out.append(BulkResult(id: id, localCode: sibling.localCode, outcome: .success(outcome)))
            } catch let error as ReviewError {
                out.append(BulkResult(id: id, localCode: sibling.localCode, outcome: .failure(error)))
            }
        }
        return out
    }

    /// `also[]` values: review ids (decide) or `id:release` (approve), at most 200, duplicates dropped.
    static func chosen(_ values: [String]?) -> [(Int64, Int64?)] {
        var seen = Set<Int64>()
        var out: [(Int64, Int64?)] = []
        for v in (values ?? []).prefix(200) {
            let parts = v.split(separator: ":", maxSplits: 1)
            guard let id = parts.first.flatMap({ Int64($0) }), seen.insert(id).inserted else { continue }
            out.append((id, parts.count == 2 ? Int64(parts[1]) : nil))
        }
        return out
    }

    /// The per-item answers of a bulk act as the page shows them.
    static func bulkRows(_ params: JSONValue?) -> [[String: Any]] {
        (params?.arrayValue ?? []).map { item in
            let ok = item["ok"]?.boolValue ?? false
            let status = item["status"]?.stringValue ?? ""
            return [
                "id": item["id"]?.intValue ?? 0, "localCode": item["localCode"]?.stringValue ?? "", "ok": ok,
                "text": ok
                    ? (status == ReviewStatus.pendingApproval.rawValue
                        ? "已提交，待另一位审批人批准" : "已生效，放行 \(item["released"]?.intValue ?? 0) 条记录")
                    : "未处理：\(item["message"]?.stringValue ?? "")",
            ]
        }
    }
}
