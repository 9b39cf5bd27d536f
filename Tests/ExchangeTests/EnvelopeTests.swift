import Exchange
import HubModel
import HubXML
import Testing

@testable import ProvinceSimulator

@Suite("Exchange envelope and receipts")
struct EnvelopeTests {
    let row = ExchangeRow(
        cdId: "6f1c2b1e-8d3a-4b5e-9c7f-0a1b2c3d4e5f",
        cdTime: "2026-11-26T10:00:00+08:00",
        cdSource: "430000-HY-SCJG",
        cdOperation: "I",
        localId: "SCJG-1",
        version: 1,
        record: Array(#"{"item":{"catalogCode":"11430400000001"},"localId":"SCJG-1"}"#.utf8)
    )

    @Test("the JSON and XML forms carry the same envelope and the province reads both the same")
    func bothFormsReadTheSame() throws {
        let batch = ExchangeBatch(cdBatch: "2026112600001", rows: [row])
        let json = try UploadParsing.parse(batch.json(), contentType: "application/json")
        let xml = try UploadParsing.parse(Array(try batch.xml().utf8), contentType: "application/xml; charset=utf-8")
        for parsed in [json, xml] {
            #expect(parsed.cdBatch == "2026112600001")
            #expect(parsed.rows.count == 1)
            #expect(parsed.rows[0].cdId == row.cdId)
            #expect(parsed.rows[0].cdSource == "430000-HY-SCJG")
            #expect(parsed.rows[0].version == 1)
            #expect(parsed.rows[0].catalogCode == "11430400000001")
        }
    }

    @Test("the newest signed tree head rides in both forms; a batch without one still reads; a broken one is refused")
    func signedTreeHead() throws {
        let head = SignedTreeHead(
            treeSize: 42,
            root: [UInt8](repeating: 3, count: 32),
            signature: [UInt8](repeating: 5, count: 64),
            publicKey: [UInt8](repeating: 9, count: 32),
            createdAt: "2026-12-02 10:00:00"
        )
        let batch = ExchangeBatch(cdBatch: "2026112600001", rows: [row], signedTreeHead: head)
        let json = try UploadParsing.parse(batch.json(), contentType: "application/json")
        let xml = try UploadParsing.parse(Array(try batch.xml().utf8), contentType: "application/xml")
        for parsed in [json, xml] {
            #expect(parsed.head == head)
            #expect(parsed.rows.count == 1 && parsed.rows[0].problem == nil)
        }
        #expect(try UploadParsing.parse(ExchangeBatch(cdBatch: "2026112600001", rows: [row]).json(), contentType: "application/json").head == nil)
        let broken = String(decoding: batch.json(), as: UTF8.self).replacingOccurrences(of: "\"treeSize\":42", with: "\"treeSize\":\"x\"")
        #expect(throws: UploadParsing.Refusal.self) { try UploadParsing.parse(Array(broken.utf8), contentType: "application/json") }
    }

    @Test("a receipt verifies with the shared secret and not after tampering")
    func receiptSignature() throws {
        let receipt = ProvincialReceipt(
            receiptId: "R-1",
            cdBatch: "2026112600001",
            results: [
                .init(cdId: row.cdId, status: .accepted),
                .init(cdId: "x", status: .rejected, retryable: false, code: "catalog_item_unknown", message: "省级目录中无此事项"),
            ]
        ).signed(secret: "s3cret")
        let parsed = try ProvincialReceipt.parse(receipt.json())
        #expect(parsed == receipt)
        #expect(parsed.verify(secret: "s3cret"))
        #expect(!parsed.verify(secret: "other"))
        var tampered = parsed
        tampered.results[1].status = .accepted
        #expect(!tampered.verify(secret: "s3cret"))
    }

    @Test("a bad cd_batch is refused as a whole")
    func badBatchRefused() {
        let batch = ExchangeBatch(cdBatch: "2026-11-26", rows: [row])
        #expect(throws: UploadParsing.Refusal.self) { try UploadParsing.parse(batch.json(), contentType: "application/json") }
    }

    @Test("fault plans are read strictly")
    func faultPlanParsing() throws {
        let plan = try FaultPlan.parse(Array(#"{"serverError":0.3,"timeout":0.1,"retryAfterSeconds":2}"#.utf8))
        #expect(plan.serverError == 0.3 && plan.timeout == 0.1 && plan.retryAfterSeconds == 2)
        #expect(throws: FaultPlan.Invalid.self) { try FaultPlan.parse(Array(#"{"serverError":1.5}"#.utf8)) }
        #expect(throws: FaultPlan.Invalid.self) { try FaultPlan.parse(Array(#"{"typo":0.1}"#.utf8)) }
    }

    @Test("the platform answers a resent cd_id as duplicate and counts a version only once")
    func idempotentByCdId() async throws {
        let csv = "catalog_code,name,item_type,department,legal_basis\n11430400000001,检查,行政检查,市场监管,《某法》第一条\n"
        let platform = try ProvincialPlatform(catalogCSV: csv)
        let parsed = try UploadParsing.parse(ExchangeBatch(cdBatch: "2026112600001", rows: [row]).json(), contentType: "application/json")
        var g = SeededGenerator(state: 1)
        let first = await platform.take(parsed.rows, cdBatch: parsed.cdBatch, partialReject: 0, duplicateAck: 0, using: &g)
        let second = await platform.take(parsed.rows, cdBatch: parsed.cdBatch, partialReject: 0, duplicateAck: 0, using: &g)
        #expect(first.results.map(\.status) == [.accepted])
        #expect(second.results.map(\.status) == [.duplicate])
        let counters = await platform.counters
        #expect(counters.accepted == 1 && counters.duplicateAcks == 1 && counters.acceptedTwice == 0)
    }
}
