import HubModel
import PostgresNIO

/// One way to read a ledger row back into a `LedgerEntry`, for every reader that re-checks hashes (verify,
/// the month archiver): the columns are selected and decoded in one order, here.
extension LedgerEntry {
    /// The ledger's columns, in the order `Row` decodes them.
    static let selectColumns = "seq, kind, department, subject, recorded_us, payload, prev_hash, entry_hash"

    /// The decoded tuple of `selectColumns`.
    typealias Row = (Int64, String, String, String, Int64, String, ByteBuffer, ByteBuffer)

    init(row: Row) {
        self.init(
            seq: row.0,
            kind: row.1,
            department: row.2,
            subject: row.3,
            recordedMicros: row.4,
            payload: row.5,
            previousHash: Array(row.6.readableBytesView),
            hash: Array(row.7.readableBytesView)
        )
    }
}
