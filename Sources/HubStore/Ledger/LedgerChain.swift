import HubModel
import Logging
import PostgresNIO

/// The one way to add ledger entries: lock the head, chain entries in memory (`HubModel.LedgerChain`), insert
/// them in one statement.
///
/// Used inside the caller's transaction. Entries get consecutive sequence numbers from the head and share
/// one recording time; `flush` writes what was added since the last flush.
extension LedgerChain {
    /// Takes the ledger's append lock (held until the transaction ends) and reads the head.
    public init(_ conn: PostgresConnection, logger: Logger) async throws {
        self.init(head: try await LedgerStore.lockHead(conn, logger: logger), recordedMicros: nowMicros())
    }

    /// Inserts the entries added since the last flush.
    public mutating func flush(_ conn: PostgresConnection, logger: Logger) async throws {
        try await LedgerStore.insert(Array(unflushed), conn, logger: logger)
        flushed = entries.count
    }
}
