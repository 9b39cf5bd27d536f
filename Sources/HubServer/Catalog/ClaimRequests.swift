import Foundation
import HubModel
import HubStore
import Hummingbird
import NIOCore
import Supervision

/// The claim proposal body, read strictly (`StrictBody`): a member of the wrong type or unknown is refused; the
/// catalog's own rules (item, level, agency, region, details) are `ClaimLifecycle`'s.
///
/// `{"action":"claim|adjust|withdraw","catalogCode","agencyCode","level":3|4,"regionCode","checkContent",
/// "checkMethod","checkFrequency","reason"}` — `level` and `regionCode` only for a claim (the region defaults to
/// the agency's USCC), the three details for a claim or an adjustment, `reason` for a withdrawal.
enum ClaimRequests {
    static let members: [String: StrictBody.Member] = [
        "action": .string, "catalogCode": .string, "agencyCode": .string, "level": .integer, "regionCode": .string,
        "checkContent": .string, "checkMethod": .string, "checkFrequency": .string, "reason": .string, "department": .string,
    ]

    /// A proposal: the action, the item and agency it is about, and what it carries.
    struct Proposal: Sendable {
        var action: ClaimAction
        var catalogCode: String
        var agencyCode: String
        var level: ClaimLevel?
        var regionCode: String?
        var details: ClaimDetails
        var reason: String

        func draft(department: String) throws -> ClaimDraft {
            guard let level else { throw HubHTTPError(.badRequest, [.required("level")]) }
            return ClaimDraft(
                catalogCode: catalogCode,
                agencyCode: agencyCode,
                department: department,
                level: level,
                regionCode: regionCode,
                details: details
            )
        }

        /// The step on the agency's open claim an adjustment or withdrawal is.
        var step: ClaimStep {
            action == .withdraw ? .withdraw(reason: reason) : .adjust(details)
        }
    }

    static func proposal(_ v: JSONValue) throws -> Proposal {
        guard let text = v["action"]?.stringValue else { throw HubHTTPError(.badRequest, [.required("action")]) }
        guard let action = ClaimAction(rawValue: text) else {
            throw HubHTTPError(
                .badRequest,
                code: "invalid_action",
                zh: "action 应为 claim（认领）、adjust（调整）或 withdraw（撤回）",
                en: "action must be claim, adjust or withdraw",
                path: "action"
            )
        }
        var errors: [FieldError] = []
        let catalogCode = v["catalogCode"]?.stringValue ?? ""
        if CatalogCode(catalogCode) == nil {
            errors.append(FieldError(path: "catalogCode", code: "invalid_catalog_code", zh: "目录编码应为 14 位数字", en: "a catalog code is 14 digits"))
        }
        let agencyCode = v["agencyCode"]?.stringValue ?? ""
        if agencyCode.count != 18 {
            errors.append(
                FieldError(
                    path: "agencyCode",
                    code: "invalid_agency_code",
                    zh: "实施机构代码应为 18 位统一社会信用代码",
                    en: "the agency code is an 18-character USCC"
                )
            )
        }
        var level: ClaimLevel?
        if action == .claim {
            if let n = v["level"]?.integerValue {
                level = ClaimLevel(rawValue: Int(n))
                if level == nil {
                    errors.append(FieldError(path: "level", code: "invalid_level", zh: "层级应为 3（市级）或 4（县级）", en: "level is 3 (city) or 4 (county)"))
                }
            } else {
                errors.append(.required("level"))
            }
        }
        let regionCode = v["regionCode"]?.stringValue
        if let regionCode, ClaimLevel.of(region: regionCode) == nil {
            errors.append(FieldError(path: "regionCode", code: "invalid_region_code", zh: "区划代码应为 6 位数字", en: "a region code is 6 digits"))
        }
        for name in ["checkContent", "checkMethod", "checkFrequency", "reason"] where (v[name]?.stringValue ?? "").count > 500 {
            errors.append(.tooLong(name, max: 500))
        }
        guard errors.isEmpty else { throw HubHTTPError(.badRequest, errors) }
        return Proposal(
            action: action,
            catalogCode: catalogCode,
            agencyCode: agencyCode,
            level: level,
            regionCode: regionCode,
            details: ClaimDetails(
                checkContent: v["checkContent"]?.stringValue ?? "",
                checkMethod: v["checkMethod"]?.stringValue ?? "",
                checkFrequency: v["checkFrequency"]?.stringValue ?? ""
            ),
            reason: v["reason"]?.stringValue ?? ""
        )
    }

    static let notFound = FieldError(
        path: "catalogCode",
        code: "claim_not_found",
        zh: "该机构没有此事项的认领",
        en: "the agency holds no claim of this item"
    )

    /// Applies a proposal for `department` as `actor`: a new claim, or a step on the agency's open claim.
    static func propose(_ p: Proposal, department: String, actor: ClaimActor, store: ClaimStore) async throws -> ClaimState {
        if p.action == .claim { return try await store.propose(try p.draft(department: department), actor: actor) }
        guard let open = try await store.openClaim(catalogCode: p.catalogCode, agencyCode: p.agencyCode, actor: actor), open.department == department
        else { throw HubHTTPError(.notFound, [notFound]) }
        return try await store.act(open.claimId, step: p.step, actor: actor)
    }
}
