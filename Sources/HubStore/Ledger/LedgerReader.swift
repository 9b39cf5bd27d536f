import Logging
import NIOCore
import PostgresNIO

/// What the console's ledger page and `/metrics` read of the ledger: its height and its newest entries.
/// Reads only; `LedgerStore` is what writes and verifies.
public struct LedgerReader: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// The newest entry's sequence number (0 when the ledger is empty).
    public func height() async throws -> Int64 {
        for try await height in try await db.client.query("SELECT coalesce(max(seq), 0) FROM ledger", logger: db.logger).decode(Int64.self) {
            return height
        }
        return 0
    }

    /// One entry as a list shows it.
    public struct Summary: Sendable {
        public var seq: Int64
        public var kind: String
        public var department: String
        public var subject: String
        public var entryHash: [UInt8]
    }

    /// The newest `limit` entries, newest first.
    public func recent(limit: Int) async throws -> [Summary] {
        var out: [Summary] = []
        for try await (seq, kind, department, subject, hash) in try await db.client.query(
            """
            SELECT seq, kind, department, subject, entry_hash FROM ledger ORDER BY seq DESC LIMIT \(limit)
            """,
            logger: db.logger
        ).decode((Int64, String, String, String, ByteBuffer).self) {
            out.append(Summary(seq: seq, kind: kind, department: department, subject: subject, entryHash: Array(hash.readableBytesView)))
        }
        return out
    }
}
