import HubModel
import Testing

@Suite("Ledger entries: the hash, the chain, and the kinds' spellings")
struct LedgerEntryTests {
    @Test("the hash covers the previous hash, the header and the payload")
    func hash() {
        let a = LedgerEntry(
            seq: 1,
            kind: .record,
            department: "D",
            subject: "X#1",
            recordedMicros: 10,
            payload: "{}",
            previousHash: LedgerEntry.genesisHash
        )
        #expect(a.hash.count == 32 && a.hash == a.computeHash())
        #expect(a.hash == sha256(LedgerEntry.genesisHash + Array("hub-ledger-v1\n1\nrecord\nD\nX#1\n10\n{}".utf8)))
        var altered = a
        altered.payload = "{\"x\":1}"
        #expect(altered.computeHash() != a.hash)
        let read = LedgerEntry(
            seq: 1,
            kind: "record",
            department: "D",
            subject: "X#1",
            recordedMicros: 10,
            payload: "{}",
            previousHash: LedgerEntry.genesisHash,
            hash: a.hash
        )
        #expect(read.computeHash() == read.hash && read.ledgerKind == .record)
    }

    @Test("an entry stored with an older spelling keeps its hash and reads as the same kind")
    func olderSpelling() {
        let old = LedgerEntry(
            seq: 4,
            kind: "review-decision",
            department: "D",
            subject: "review:1",
            recordedMicros: 1,
            payload: "{}",
            previousHash: LedgerEntry.genesisHash
        )
        let stored = LedgerEntry(
            seq: 4,
            kind: old.kind,
            department: "D",
            subject: "review:1",
            recordedMicros: 1,
            payload: "{}",
            previousHash: LedgerEntry.genesisHash,
            hash: old.hash
        )
        #expect(stored.computeHash() == stored.hash)
        #expect(stored.ledgerKind == .reviewDecision)
        #expect(LedgerKind.reviewDecision.rawValue == "review_decision")
        #expect(LedgerKind.reviewDecision.storedSpellings == ["review_decision", "review-decision"])
        #expect(LedgerKind(stored: "provincial_receipt") == .provincialReceipt && LedgerKind(stored: "nonsense") == nil)
        // One spelling: every kind written from now on is snake_case.
        #expect(LedgerKind.allCases.allSatisfy { !$0.rawValue.contains("-") })
    }

    @Test("a chain numbers entries from its head and links each to the previous hash")
    func chain() {
        let head = LedgerEntry(
            seq: 7,
            kind: .checkpoint,
            department: "",
            subject: "checkpoint:7",
            recordedMicros: 1,
            payload: "{}",
            previousHash: LedgerEntry.genesisHash
        )
        var chain = LedgerChain(head: (head.seq, head.hash), recordedMicros: 99)
        let a = chain.add(kind: .opsAction, department: "", subject: "s", payload: "{}")
        let b = chain.add(LedgerDraft(kind: .record, department: "D", subject: "X#1", payload: "{}"))
        #expect(a.seq == 8 && b.seq == 9)
        #expect(a.previousHash == head.hash && b.previousHash == a.hash)
        #expect(a.recordedMicros == 99 && b.recordedMicros == 99)
        #expect(chain.head.seq == 9 && chain.head.hash == b.hash && chain.entries == [a, b])
    }
}
