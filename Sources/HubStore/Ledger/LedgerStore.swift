import HubModel
import Logging
import NIOCore
import PostgresNIO

/// Writes and verifies the ledger. The only code that inserts into `ledger`.
///
/// Appends happen inside the caller's transaction after `lockHead`, which serializes writers with a
/// transaction-scoped advisory lock: the hash chain needs one order, and the lock is released by commit or
/// rollback, so a failed batch leaves no gap and no half chain.
public enum LedgerStore {
    static let headLockKey: Int64 = 7_411_002

    /// The chain head: last sequence and hash (0 and the genesis hash when empty). Takes the append lock.
    public static func lockHead(_ conn: PostgresConnection, logger: Logger) async throws -> (seq: Int64, hash: [UInt8]) {
        let head = try await lockHeadTimed(conn, logger: logger)
        return (head.seq, head.hash)
    }

    /// `lockHead` with the head's recorded time (0 when empty): new entries are recorded no earlier, so
    /// recorded time never goes back along the chain and a month of the partitioned ledger is one run of
    /// `seq` (migration 24's `ledger_head` trigger refuses an entry recorded before the head).
    static func lockHeadTimed(_ conn: PostgresConnection, logger: Logger) async throws -> (seq: Int64, hash: [UInt8], recordedMicros: Int64) {
        try await conn.query("SELECT pg_advisory_xact_lock(\(headLockKey))", logger: logger)
        let rows = try await conn.query(
            """
            SELECT seq, entry_hash, greatest(recorded_us, coalesce((SELECT recorded_us FROM ledger_head), 0))
            FROM ledger ORDER BY seq DESC LIMIT 1
            """,
            logger: logger
        )
        for try await (seq, hash, us) in rows.decode((Int64, ByteBuffer, Int64).self) {
            return (seq, Array(hash.readableBytesView), us)
        }
        return (0, LedgerEntry.genesisHash, 0)
    }

    /// Writes entries (already chained from the head) with one COPY.
    public static func insert(_ entries: [LedgerEntry], _ conn: PostgresConnection, logger: Logger) async throws {
        guard !entries.isEmpty else { return }
        var rows = CopyRows(table: "ledger", columns: ["seq", "kind", "department", "subject", "recorded_us", "payload", "prev_hash", "entry_hash"])
        for e in entries {
            rows.append([
                .int(e.seq), .text(e.kind), .text(e.department), .text(e.subject), .int(e.recordedMicros), .text(e.payload),
                .bytes(e.previousHash), .bytes(e.hash),
            ])
        }
        try await rows.copy(conn, logger: logger)
    }

    /// Appends entries in the caller's transaction, chained from the head. Returns them.
    public static func append(
        _ drafts: [LedgerDraft],
        _ conn: PostgresConnection,
        logger: Logger
    ) async throws -> [LedgerEntry] {
        var chain = try await LedgerChain(conn, logger: logger)
        for d in drafts { chain.add(d) }
        try await chain.flush(conn, logger: logger)
        return chain.entries
    }

    /// What `verify` found.
    public struct Verification: Sendable {
        public var checked: Int64
        public var height: Int64
        /// The first entry that does not hold, and why.
        public var firstBad: (seq: Int64, reason: String)?
        public var ok: Bool { firstBad == nil }
    }

    /// Recomputes the whole chain from the genesis hash, in order, and names the first entry that breaks it:
    /// a gap in sequence numbers, a previous-hash that is not the prior entry's hash, or a stored hash that is
    /// not the hash of the stored content. Reads in pages so memory stays flat on a long ledger.
    public static func verify(_ db: HubDatabase, progress: (@Sendable (Int64, Int64) -> Void)? = nil) async throws -> Verification {
        var height: Int64 = 0
        for try await h in try await db.client.query("SELECT coalesce(max(seq), 0) FROM ledger", logger: db.logger).decode(Int64.self) { height = h }
        var expectedSeq: Int64 = 1
        var previous = LedgerEntry.genesisHash
        let page = 5000
        while true {
            let rows = try await db.client.query(
                """
                SELECT \(unescaped: LedgerEntry.selectColumns)
                FROM ledger WHERE seq >= \(expectedSeq) ORDER BY seq LIMIT \(page)
                """,
                logger: db.logger
            )
            var count = 0
            for try await row in rows.decode(LedgerEntry.Row.self) {
                count += 1
                let entry = LedgerEntry(row: row)
                let seq = entry.seq
                guard seq == expectedSeq else {
                    return Verification(
                        checked: expectedSeq - 1,
                        height: height,
                        firstBad: (expectedSeq, "entry \(expectedSeq) is missing (next present: \(seq))")
                    )
                }
                if entry.previousHash != previous {
                    return Verification(checked: seq - 1, height: height, firstBad: (seq, "previous hash does not match entry \(seq - 1)"))
                }
                if entry.computeHash() != entry.hash {
                    return Verification(checked: seq - 1, height: height, firstBad: (seq, "content does not match its hash (altered)"))
                }
                previous = entry.hash
                expectedSeq += 1
            }
            progress?(expectedSeq - 1, height)
            if count < page { break }
        }
        return Verification(checked: expectedSeq - 1, height: height, firstBad: nil)
    }
}
