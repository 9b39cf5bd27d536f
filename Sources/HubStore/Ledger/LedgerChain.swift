import HubModel
import Logging
import PostgresNIO

/// The one way to add ledger entries: lock the head, chain entries in memory (`HubModel.LedgerChain`), insert
/// them in one statement.
///
/// Used inside the caller's transaction. Entries get consecutive sequence numbers from the head and share
/// one recording time — now, or the head's time if that is later (a clock behind another instance's must not
/// record back in time); `flush` writes what was added since the last flush.
extension LedgerChain {
    /// Takes the ledger's append lock (held until the transaction ends) and reads the head.
    public init(_ conn: PostgresConnection, logger: Logger) async throws {
        let head = try await LedgerStore.lockHeadTimed(conn, logger: logger)
        self.init(head: (head.seq, head.hash), recordedMicros: max(nowMicros(), head.recordedMicros))
    }

    /// Inserts the entries added since the last flush.
    public mutating func flush(_ conn: PostgresConnection, logger: Logger) async throws {
        try await LedgerStore.insert(Array(unflushed), conn, logger: logger)
        flushed = entries.count
    }
}
