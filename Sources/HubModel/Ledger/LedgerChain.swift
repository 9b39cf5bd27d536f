/// Chains entries in memory after a head: consecutive sequence numbers, one recording time, each entry's
/// hash over the previous one. Pure; the store takes the ledger's append lock to learn the head and writes
/// what was chained (`HubStore`'s `LedgerChain.init(_:logger:)` and `flush`).
public struct LedgerChain: Sendable {
    public private(set) var head: (seq: Int64, hash: [UInt8])
    public private(set) var entries: [LedgerEntry] = []
    /// How many of `entries` the store has written.
    package var flushed = 0
    public let recordedMicros: Int64

    /// A chain that continues after `head` (0 and the genesis hash for an empty ledger).
    public init(head: (seq: Int64, hash: [UInt8]), recordedMicros: Int64) {
        self.head = head
        self.recordedMicros = recordedMicros
    }

    /// Chains one entry after the head and returns it.
    @discardableResult
    public mutating func add(kind: LedgerKind, department: String, subject: String, payload: String) -> LedgerEntry {
        let entry = LedgerEntry(
            seq: head.seq + 1,
            kind: kind,
            department: department,
            subject: subject,
            recordedMicros: recordedMicros,
            payload: payload,
            previousHash: head.hash
        )
        head = (entry.seq, entry.hash)
        entries.append(entry)
        return entry
    }

    /// Chains a draft after the head and returns the entry.
    @discardableResult
    public mutating func add(_ draft: LedgerDraft) -> LedgerEntry {
        add(kind: draft.kind, department: draft.department, subject: draft.subject, payload: draft.payload)
    }

    /// The entries added and not yet written.
    package var unflushed: ArraySlice<LedgerEntry> { entries[flushed...] }
}
