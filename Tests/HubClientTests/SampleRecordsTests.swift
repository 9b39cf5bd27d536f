import HubClient
import HubModel
import Testing

/// The sample records the demo, the tests and the benchmark push are well-formed push API JSON.
@Suite("Sample records")
struct SampleRecordsTests {
    @Test("a batch of an inspection and a penalty parses, with the batch id and the codes given")
    func batch() throws {
        let inspection = SampleRecords.inspection(localId: "I-1", catalogCode: "43012100010000", implementationCode: nil, agencyCode: "A")
        let penalty = SampleRecords.penalty(localId: "P-1", catalogCode: "43012100020000", implementationCode: "X", agencyCode: "A")
        let body = try JSONParser().parse(Array(SampleRecords.batch([inspection, penalty], batchId: "2026112600001").utf8))
        #expect(body["batchId"]?.stringValue == "2026112600001")
        let records = try #require(body["records"]?.arrayValue)
        #expect(records.map { $0["kind"]?.stringValue } == ["inspection", "penalty"])
        #expect(records[0]["item"]?["catalogCode"]?.stringValue == "43012100010000")
        #expect(records[0]["item"]?["implementationCode"] == nil, "a missing code is left out, for mapping to resolve")
        #expect(records[1]["penalty"]?["fineAmount"]?.stringValue == "5000.00")
    }
}
