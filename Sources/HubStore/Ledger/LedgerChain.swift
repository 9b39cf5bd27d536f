import Logging
import PostgresNIO

/// The one way to add ledger entries: lock the head, chain entries in memory, insert them in one statement.
///
/// Used inside the caller's transaction. Entries get consecutive sequence numbers from the head and share
/// one recording time; `flush` writes what was added since the last flush.
public struct LedgerChain {
    public private(set) var head: (seq: Int64, hash: [UInt8])
    public private(set) var entries: [LedgerEntry] = []
    var flushed = 0
    let recordedMicros: Int64

    /// Takes the ledger's append lock (held until the transaction ends) and reads the head.
    public init(_ conn: PostgresConnection, logger: Logger) async throws {
        head = try await LedgerStore.lockHead(conn, logger: logger)
        recordedMicros = nowMicros()
    }

    /// Chains one entry after the head and returns it.
    @discardableResult
    public mutating func add(kind: String, department: String, subject: String, payload: String) -> LedgerEntry {
        let entry = LedgerEntry(seq: head.seq + 1, kind: kind, department: department, subject: subject,
                                recordedMicros: recordedMicros, payload: payload, previousHash: head.hash)
        head = (entry.seq, entry.hash)
        entries.append(entry)
        return entry
    }

    /// Inserts the entries added since the last flush.
    public mutating func flush(_ conn: PostgresConnection, logger: Logger) async throws {
        try await LedgerStore.insert(Array(entries[flushed...]), conn, logger: logger)
        flushed = entries.count
    }
}
