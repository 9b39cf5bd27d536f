import HubModel
import Ingest
import Normalization
import Testing

@Suite("Record ledger entries and review policy")
struct RecordEntryTests {
    @Test("the payload is canonical JSON with the normalized record embedded as is")
    func payload() {
        let normalized = Array(#"{"b":1,"a":2}"#.utf8)
        let text = RecordEntry.payload(
            localId: "X-1",
            normalized: normalized,
            version: 2,
            operation: "U",
            contentHash: [0xAB, 0x01],
            rule: .confirmedMapping,
            release: 7,
            batchId: "B"
        )
        #expect(text.contains(#""record":{"b":1,"a":2}"#) && text.contains(#""mappingRelease":7"#) && text.contains(#""batchId":"B""#))
        let bare = RecordEntry.payload(
            localId: "X-1",
            normalized: normalized,
            version: 1,
            operation: "I",
            contentHash: [],
            rule: .recordCodes,
            release: nil,
            batchId: nil
        )
        #expect(!bare.contains("mappingRelease") && !bare.contains("batchId"))
        #expect(RecordEntry.subject(localId: "X-1", version: 3) == "X-1#3")
    }

    @Test("no match result: no candidates")
    func candidates() {
        #expect(RecordEntry.candidatesJSON(nil) == "[]")
    }

    @Test("deciding needs the reviewer role, approving the approver role, and nobody approves their own decision")
    func policy() throws {
        try ReviewPolicy.authorize(.decide, reviewer: true, approver: false)
        try ReviewPolicy.authorize(.approve, reviewer: false, approver: true)
        #expect(throws: ReviewError.self) { try ReviewPolicy.authorize(.decide, reviewer: false, approver: true) }
        #expect(throws: ReviewError.self) { try ReviewPolicy.authorize(.approve, reviewer: true, approver: false) }
        do throws(ReviewError) {
            try ReviewPolicy.authorizeApproval(decidedBy: "alice", approver: "alice")
            Issue.record("own decision approved")
        } catch {
            #expect(error.error.code == "own_decision" && error.kind == .forbidden)
        }
        try ReviewPolicy.authorizeApproval(decidedBy: "alice", approver: "bob")
    }
}
