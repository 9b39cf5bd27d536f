import HubModel
import Supervision
import Testing

/// Claims (认领发布) as pure rules: the checks of a new claim, four eyes, approval publishing (the code's layout,
/// versions, the province's row), adjustment and withdrawal, rejection, and steps out of order.
@Suite("Claim lifecycle")
struct ClaimLifecycleTests {
    static let city = "11430400013248734H"
    static let county = "1143042102405859X2"
    static let details = ClaimDetails(checkContent: "食品生产经营许可条件保持情况", checkMethod: "现场检查", checkFrequency: "每年不少于一次")
    static let facts = ClaimFacts(
        item: .init(active: true, levelsText: "3|4"),
        agencyOfDepartment: true,
        agencyName: "衡阳市市场监督管理局",
        openClaimExists: false
    )
    static let scjg = ClaimActor.department("HY-SCJG")
    static let bob = ClaimActor.ops(username: "bob", departments: nil)

    static func draft(_ agency: String = city, level: ClaimLevel = .city, region: String? = nil, details: ClaimDetails = details) -> ClaimDraft {
        ClaimDraft(catalogCode: "43012100010001", agencyCode: agency, department: "HY-SCJG", level: level, regionCode: region, details: details)
    }

    static func refusal(_ outcome: ClaimLifecycle.Outcome) -> ClaimRefusal? {
        if case .refused(let r) = outcome { return r }
        return nil
    }

    static func applied(_ outcome: ClaimLifecycle.Outcome) throws -> ClaimLifecycle.Plan {
        guard case .apply(let plan) = outcome else { throw Unexpected(outcome: outcome) }
        return plan
    }

    struct Unexpected: Error { var outcome: ClaimLifecycle.Outcome }

    static func proposed() throws -> ClaimState { try applied(ClaimLifecycle.open(draft(), facts: facts, actor: scjg, claimId: 7)).state }

    @Test("a new claim is checked against the catalog, the department, the region and the details")
    func newClaimChecks() throws {
        var f = Self.facts
        f.item = nil
        #expect(Self.refusal(ClaimLifecycle.open(Self.draft(), facts: f, actor: Self.scjg, claimId: 1))?.code == "unknown_catalog_item")
        f.item = .init(active: false, levelsText: "3|4")
        #expect(Self.refusal(ClaimLifecycle.open(Self.draft(), facts: f, actor: Self.scjg, claimId: 1))?.code == "catalog_item_retired")
        f.item = .init(active: true, levelsText: "4")
        #expect(Self.refusal(ClaimLifecycle.open(Self.draft(), facts: f, actor: Self.scjg, claimId: 1))?.code == "level_not_in_catalog")
        f = Self.facts
        f.agencyOfDepartment = false
        #expect(Self.refusal(ClaimLifecycle.open(Self.draft(), facts: f, actor: Self.scjg, claimId: 1))?.code == "agency_not_of_department")
        let mismatch = ClaimLifecycle.open(Self.draft(Self.city, level: .county), facts: Self.facts, actor: Self.scjg, claimId: 1)
        #expect(Self.refusal(mismatch)?.code == "region_level_mismatch" && Self.refusal(mismatch)?.errors[0].path == "agencyCode")
        let given = ClaimLifecycle.open(Self.draft(Self.county, level: .county, region: "430400"), facts: Self.facts, actor: Self.scjg, claimId: 1)
        #expect(Self.refusal(given)?.errors[0].path == "regionCode")
        let empty = ClaimLifecycle.open(
            Self.draft(details: ClaimDetails(checkContent: " ", checkMethod: "", checkFrequency: "每年")),
            facts: Self.facts,
            actor: Self.scjg,
            claimId: 1
        )
        #expect(Self.refusal(empty)?.errors.map(\.path) == ["checkContent", "checkMethod"])
        f = Self.facts
        f.openClaimExists = true
        let twice = Self.refusal(ClaimLifecycle.open(Self.draft(), facts: f, actor: Self.scjg, claimId: 1))
        #expect(twice?.code == "claim_exists" && twice?.kind == .conflict)
        let other = Self.refusal(ClaimLifecycle.open(Self.draft(), facts: Self.facts, actor: .department("HY-WJ"), claimId: 1))
        #expect(other?.code == "department_out_of_scope" && other?.kind == .forbidden)
        let scoped = ClaimLifecycle.open(Self.draft(), facts: Self.facts, actor: .ops(username: "erin", departments: ["HY-WJ"]), claimId: 1)
        #expect(Self.refusal(scoped)?.code == "department_out_of_scope")

        let plan = try Self.applied(ClaimLifecycle.open(Self.draft(), facts: Self.facts, actor: Self.scjg, claimId: 7))
        #expect(plan.state.status == .proposed && plan.state.regionCode == "430400" && plan.state.proposedBy == "department:HY-SCJG")
        #expect(plan.event.kind == .catalogClaim && plan.event.payload["step"]?.stringValue == "claimed")
        #expect(plan.publication == nil && plan.delivery == nil, "nothing is published before the second person")
    }

    @Test("four eyes: only ops approve, never the proposer")
    func fourEyes() throws {
        let claim = try Self.proposed()
        #expect(Self.refusal(ClaimLifecycle.plan(claim, step: .approve, actor: Self.scjg))?.code == "approval_by_ops_only")
        var own = claim
        own.proposedBy = "ops:bob"
        let refused = Self.refusal(ClaimLifecycle.plan(own, step: .approve, actor: Self.bob))
        #expect(refused?.code == "own_claim_proposal" && refused?.kind == .forbidden)
        #expect(Self.refusal(ClaimLifecycle.plan(own, step: .reject(reason: "不符"), actor: Self.bob))?.code == "own_claim_proposal")
        let scoped = ClaimActor.ops(username: "erin", departments: ["HY-WJ"])
        #expect(Self.refusal(ClaimLifecycle.plan(claim, step: .approve, actor: scoped))?.code == "department_out_of_scope")
    }

    @Test("approval publishes: the code's layout, version 1, an I row for the province; adjust U; withdraw D and retired")
    func publishAdjustWithdraw() throws {
        let published = try Self.applied(ClaimLifecycle.plan(try Self.proposed(), step: .approve, actor: Self.bob, sequence: 2))
        #expect(published.state.status == .published && published.publication == .active)
        #expect(published.state.implementationCode == "11430400013248734H" + "3" + "43012100010001" + "02")
        #expect(published.state.implementationCode?.count == 35 && published.state.publishedVersion == 1)
        #expect(published.delivery?.operation == "I" && published.delivery?.key == published.state.implementationCode)
        #expect(published.delivery?.body["action"]?.stringValue == "publish" && published.delivery?.body["status"]?.stringValue == "active")
        #expect(published.event.payload["claim"]?["status"]?.stringValue == "published")

        let again = Self.refusal(ClaimLifecycle.plan(published.state, step: .approve, actor: Self.bob))
        #expect(again?.code == "claim_step_out_of_order" && again?.kind == .conflict)
        #expect(Self.refusal(ClaimLifecycle.plan(published.state, step: .adjust(Self.details), actor: Self.scjg))?.code == "no_change")

        let changed = ClaimDetails(checkContent: Self.details.checkContent, checkMethod: "现场检查、书面检查", checkFrequency: "每半年一次")
        let adjusting = try Self.applied(ClaimLifecycle.plan(published.state, step: .adjust(changed), actor: Self.scjg))
        #expect(adjusting.state.status == .adjustmentProposed && adjusting.state.details == Self.details, "the published details stay until approved")
        #expect(adjusting.publication == nil && adjusting.delivery == nil)
        #expect(
            Self.refusal(ClaimLifecycle.plan(adjusting.state, step: .withdraw(reason: "职能调整"), actor: Self.scjg))?.code == "claim_step_out_of_order"
        )
        let rejected = try Self.applied(ClaimLifecycle.plan(adjusting.state, step: .reject(reason: "频次不足"), actor: Self.bob))
        #expect(rejected.state.status == .published && rejected.state.pendingDetails == nil && rejected.delivery == nil)
        #expect(Self.refusal(ClaimLifecycle.plan(adjusting.state, step: .reject(reason: " "), actor: Self.bob))?.code == "reason_required")

        let adjusted = try Self.applied(ClaimLifecycle.plan(adjusting.state, step: .approve, actor: Self.bob))
        #expect(adjusted.state.details == changed && adjusted.state.publishedVersion == 2 && adjusted.delivery?.operation == "U")
        #expect(adjusted.state.implementationCode == published.state.implementationCode, "an adjustment keeps the code")

        let withdrawing = try Self.applied(ClaimLifecycle.plan(adjusted.state, step: .withdraw(reason: "职能调整"), actor: Self.scjg))
        #expect(withdrawing.state.status == .withdrawalProposed && withdrawing.state.status.isPublished)
        let withdrawn = try Self.applied(ClaimLifecycle.plan(withdrawing.state, step: .approve, actor: Self.bob))
        #expect(withdrawn.state.status == .withdrawn && withdrawn.publication == .retired && withdrawn.state.publishedVersion == 3)
        #expect(withdrawn.delivery?.operation == "D" && withdrawn.delivery?.body["reason"]?.stringValue == "职能调整")
        #expect(!withdrawn.state.status.isOpen)
    }

    @Test("a rejected claim closes; the sequence is bounded; regions name their level")
    func rejectionAndCodes() throws {
        let rejected = try Self.applied(ClaimLifecycle.plan(try Self.proposed(), step: .reject(reason: "实施主体有误"), actor: Self.bob))
        #expect(rejected.state.status == .rejected && !rejected.state.status.isOpen && rejected.publication == nil)
        let exhausted = ClaimLifecycle.plan(try Self.proposed(), step: .approve, actor: Self.bob, sequence: 100)
        #expect(Self.refusal(exhausted)?.code == "sequence_exhausted")
        #expect(ClaimLevel.of(region: "430400") == .city && ClaimLevel.of(region: "430421") == .county && ClaimLevel.of(region: "4304") == nil)
        #expect(ImplementationCode.region(ofAgency: Self.county) == "430421")
        #expect(
            ImplementationCode.compose(agency: Self.city, level: .city, catalogCode: "43012100010000", sequence: 1)
                == "11430400013248734H34301210001000001"
        )
    }

    @Test("the lists: numbered rows in region and code order, 主项/子项, level and region names")
    func listRows() {
        func entry(_ code: String, _ region: String, parent: String?) -> CatalogList.Entry {
            CatalogList.Entry(
                catalogCode: code,
                name: "事项" + code.suffix(2),
                itemType: "行政检查",
                legalBasis: "《中华人民共和国食品安全法》第一百一十条",
                parentCode: parent,
                agencyCode: Self.county,
                agencyName: "衡阳县市场监督管理局",
                implementationCode: "X",
                regionCode: region,
                level: .county,
                details: Self.details
            )
        }
        let rows = CatalogList.rows([entry("43012100010001", "430422", parent: "43012100010000"), entry("43012100010000", "430421", parent: nil)])
        #expect(rows.map { $0[0] } == ["1", "2"] && rows[0][2] == "43012100010000" && rows[0][3] == "主项" && rows[1][3] == "子项")
        #expect(rows[0][8] == "县级" && rows[0][9] == "衡阳县" && rows[1][9] == "衡南县" && rows[0].count == CatalogList.header.count)
        #expect(CatalogList.fileName(level: .county, region: "430421") == "county-list-430421")
        #expect(CatalogList.title(level: .city, region: "430400") == "衡阳市市级监管事项目录清单")
    }
}
