import HubModel
import Ingest
import Testing

@testable import Normalization

@Suite("Ingest planner: accepted, held, duplicate, rejected, and the release after a review")
struct IngestPlannerTests {
    typealias F = Fixture

    func outcome(_ plan: IngestPlan, _ i: Int) -> String {
        switch plan.items[i].outcome {
        case .written(let v): "written:\(plan.versions[v].status.rawValue)"
        case .duplicate(of: .stored): "duplicate:stored"
        case .duplicate(of: .planned(let v)): "duplicate:planned:\(v)"
        case .rejected(let errors): "rejected:" + errors.map(\.code).joined(separator: ",")
        }
    }

    @Test("valid codes are accepted as version 1, an insert, with a record ledger entry")
    func accepted() throws {
        let plan = F.plan([F.coded()])
        #expect(outcome(plan, 0) == "written:accepted")
        let v = try #require(plan.versions.first)
        #expect(v.version == 1 && v.operation == "I" && v.write == .insert && v.batchId == "B-1")
        #expect(v.state == .accepted(catalogCode: F.catalog, implementationCode: F.impl, rule: .recordCodes, release: nil))
        let entry = try #require(v.entry(department: "HY-SCJG", release: nil))
        #expect(entry.kind == .record && entry.subject == "A#1" && entry.department == "HY-SCJG")
        #expect(entry.payload.contains("\"rule\":\"record-codes\"") && !entry.payload.contains("mappingRelease"))
        let results = plan.results(written: F.written(plan))
        #expect(results.map(\.status) == [.accepted])
        #expect(results[0].ledgerSeq == 100 && results[0].version == 1 && results[0].operation == "I")
    }

    @Test("codes the catalog contradicts are rejected; nothing is written")
    func rejected() {
        let plan = F.plan([F.coded()], context: ResolutionContext())
        #expect(outcome(plan, 0) == "rejected:unknown_implementation_code")
        #expect(plan.versions.isEmpty && plan.reviews.isEmpty)
        #expect(plan.results(written: []).map(\.status) == [.rejected])
    }

    @Test("the same content again is a duplicate of the stored version, answered with its facts")
    func duplicateOfStored() {
        let record = F.coded()
        let stored = StoredVersion(version: 1, contentHash: sha256(record.canonicalBytes), status: .accepted, operation: "I", ledgerSeq: 7)
        let plan = F.plan([record], stored: ["A": [stored]])
        #expect(outcome(plan, 0) == "duplicate:stored")
        let result = plan.results(written: [])[0]
        #expect(result.status == .duplicate && result.originalStatus == .accepted && result.ledgerSeq == 7)
    }

    @Test("a resend of a version rejected after review is not a duplicate: it becomes the next version")
    func resendAfterRejection() {
        let record = F.coded()
        let stored = StoredVersion(version: 1, contentHash: sha256(record.canonicalBytes), status: .rejected, operation: "I")
        let plan = F.plan([record], stored: ["A": [stored]])
        #expect(outcome(plan, 0) == "written:accepted")
        #expect(plan.versions[0].version == 2 && plan.versions[0].operation == "I")
    }

    @Test("the same content twice in one batch: the second is a duplicate of the first")
    func duplicateInBatch() {
        let plan = F.plan([F.coded(), F.coded()])
        #expect(outcome(plan, 1) == "duplicate:planned:0")
        let results = plan.results(written: F.written(plan))
        #expect(results[1].status == .duplicate && results[1].originalStatus == .accepted && results[1].ledgerSeq == 100)
    }

    @Test("a new version of an accepted record is an update; a delete is D")
    func operations() {
        let stored = StoredVersion(version: 1, contentHash: [1], status: .accepted, operation: "I", ledgerSeq: 5)
        let plan = F.plan(
            [F.coded(note: "v2"), F.record("A", catalog: F.catalog, implementation: F.impl, localCode: nil, note: "v3", operation: "delete")],
            stored: ["A": [stored]]
        )
        #expect(plan.versions.map(\.version) == [2, 3])
        #expect(plan.versions.map(\.operation) == ["U", "D"])
    }

    @Test("an unmatched local item is held and opens the review of its item")
    func heldOpensReview() {
        let plan = F.plan([F.record("A"), F.record("B")], context: F.context(matches: ["JC-1": .unmatched]))
        #expect(outcome(plan, 0) == "written:held" && outcome(plan, 1) == "written:held")
        #expect(plan.reviews.map(\.localCode) == ["JC-1"] && plan.reviews[0].reason == .unmatched && plan.reviews[0].recordKind == .inspection)
        #expect(plan.versions.allSatisfy { $0.state == .held(review: .item(localCode: "JC-1")) })
        #expect(plan.versions[0].entry(department: "D", release: nil) == nil)
    }

    @Test("a version never overtakes a stored held one: it waits on that version's review")
    func earlierStoredHeld() {
        let held = StoredVersion(version: 1, contentHash: [1], status: .held, operation: "I", reviewId: 42)
        let plan = F.plan([F.coded(note: "v2")], stored: ["A": [held]])
        #expect(outcome(plan, 0) == "written:held")
        #expect(plan.versions[0].state == .held(review: .stored(42)))
        #expect(plan.versions[0].version == 2 && plan.versions[0].operation == "I")
        #expect(plan.reviews.isEmpty)
    }

    @Test("a version waits on the review of an earlier version held in the same batch, even under another local code")
    func earlierHeldInBatch() {
        let plan = F.plan([F.record("A", localCode: "JC-1"), F.coded(note: "v2")], context: F.context(matches: ["JC-1": .unmatched]))
        #expect(outcome(plan, 1) == "written:held")
        #expect(plan.versions[1].state == .held(review: .item(localCode: "JC-1")))
        #expect(plan.versions.map(\.version) == [1, 2])
        #expect(plan.reviews.map(\.localCode) == ["JC-1"])
    }

    @Test("a sure legal-basis match is accepted and confirmed once as an automatic release")
    func automaticRelease() throws {
        let plan = F.plan([F.record("A"), F.record("B")], context: F.context(matches: ["JC-1": .auto]))
        #expect(plan.automaticReleases.map(\.localCode) == ["JC-1"] && plan.automaticReleases[0].catalogCode == F.catalog)
        #expect(
            plan.versions.allSatisfy {
                $0.state == .accepted(catalogCode: F.catalog, implementationCode: F.impl, rule: .legalBasis, release: .automatic(localCode: "JC-1"))
            }
        )
        let entry = try #require(plan.versions[0].entry(department: "D", release: 9))
        #expect(entry.payload.contains("\"mappingRelease\":9") && entry.payload.contains("\"catalogCode\":\"\(F.catalog)\""))
    }

    @Test("a mapping confirmed meanwhile: cited when it agrees, the records held as ambiguous when it does not")
    func confirmedMeanwhile() {
        let agree = ConfirmedMapping(localCode: "JC-1", catalogCode: F.catalog, implementationCode: nil, release: 3)
        let agreeing = F.plan([F.record("A")], context: F.context(matches: ["JC-1": .auto]), confirmed: ["JC-1": agree])
        #expect(agreeing.automaticReleases.isEmpty)
        #expect(agreeing.versions[0].state == .accepted(catalogCode: F.catalog, implementationCode: F.impl, rule: .legalBasis, release: .stored(3)))

        let disagree = ConfirmedMapping(localCode: "JC-1", catalogCode: F.otherCatalog, implementationCode: nil, release: 4)
        let disagreeing = F.plan([F.record("A")], context: F.context(matches: ["JC-1": .auto]), confirmed: ["JC-1": disagree])
        #expect(disagreeing.automaticReleases.isEmpty)
        #expect(disagreeing.versions[0].state == .held(review: .item(localCode: "JC-1")))
        #expect(disagreeing.reviews.map(\.reason) == [.ambiguous])
    }

    func held(_ localId: String, version: Int, localCode: String = "JC-1") -> IngestPlanner.HeldVersion {
        .init(
            localId: localId,
            version: version,
            operation: "I",
            contentHash: [UInt8(version)],
            batchId: nil,
            receivedAt: "2026-12-01T00:00:00.000000Z",
            record: F.record(localId, localCode: localCode, note: "v\(version)")
        )
    }

    @Test("after a confirmed decision the held versions are released, each with a receipt and its received time")
    func release() throws {
        let context = F.context(mappings: [ConfirmedMapping(localCode: "JC-1", catalogCode: F.catalog, implementationCode: nil, release: 12)])
        let plan = IngestPlanner.planRelease([held("A", version: 1), held("B", version: 1)], review: 5, release: 12, context: context)
        #expect(plan.count(.accepted) == 2 && plan.reviews.isEmpty)
        let v = plan.versions[0]
        #expect(v.write == .update && v.receivedAt == "2026-12-01T00:00:00.000000Z" && v.receipt == ReviewReceipt(reviewId: 5, release: 12))
        #expect(v.state == .accepted(catalogCode: F.catalog, implementationCode: F.impl, rule: .confirmedMapping, release: .stored(12)))
        #expect(try #require(v.entry(department: "D", release: 12)).payload.contains("\"mappingRelease\":12"))
    }

    @Test("a no-match decision rejects the held versions, with the reason in their receipt")
    func releaseNoMatch() {
        let context = F.context(mappings: [
            ConfirmedMapping(localCode: "JC-1", catalogCode: nil, implementationCode: nil, relationship: "no-match", release: 13)
        ])
        let plan = IngestPlanner.planRelease([held("A", version: 1)], review: 5, release: 13, context: context)
        guard case .rejected(let detail) = plan.versions[0].state else {
            Issue.record("not rejected")
            return
        }
        #expect(detail.contains("item_not_in_catalog") && detail.contains("\"reviewId\":5"))
        #expect(plan.versions[0].receipt != nil && plan.count(.rejected) == 1)
    }

    @Test("a version still held moves to its own item's review, and later versions of the record wait with it")
    func releaseStillHeld() {
        // The mapping's catalog item has no implementation item of the records' agency: they stay held.
        var context = F.context(mappings: [ConfirmedMapping(localCode: "JC-1", catalogCode: F.otherCatalog, implementationCode: nil, release: 14)])
        context.implementationsByCatalog[F.otherCatalog] = []
        let plan = IngestPlanner.planRelease(
            [held("A", version: 1), held("A", version: 2, localCode: "JC-2")],
            review: 5,
            release: 14,
            context: context
        )
        #expect(plan.count(.held) == 2)
        #expect(plan.versions.map(\.state) == [.held(review: .item(localCode: "JC-1")), .held(review: .item(localCode: "JC-1"))])
        #expect(plan.reviews.map(\.localCode) == ["JC-1"] && plan.reviews[0].reason == .noImplementation)
        #expect(plan.versions.allSatisfy { $0.receipt == nil })
    }
}
