import HubModel
import Logging
import NIOCore
import PostgresNIO

/// Reads a closed month of the ledger for `hub ledger archive` (the files are `HubModel.LedgerArchive`'s).
///
/// The month is read by recorded time through the parent table (PostgreSQL prunes to its partition, or reads
/// it from `ledger_legacy`/`ledger_default` where it lives). It must be one run of sequence numbers — true
/// of every month written since migration 24, whose writer never records back in time. The checkpoint is
/// the smallest signed one covering the month's last entry; when none does, one is signed now as
/// `hub ledger checkpoint` would. Nothing is deleted: the ledger is append-only.
public struct LedgerArchiver: Sendable {
    public let checkpoints: LedgerCheckpoints
    var db: HubDatabase { checkpoints.db }

    public init(checkpoints: LedgerCheckpoints) {
        self.checkpoints = checkpoints
    }

    public enum Refusal: Error, Sendable, Equatable {
        /// The month has not ended (+08:00).
        case notClosed(LedgerMonth)
        /// No entry was recorded in the month.
        case empty(LedgerMonth)
        /// The month's entries are not one run of sequence numbers (a pre-24 ledger whose hubs' clocks disagreed).
        case notOneRun(LedgerMonth, first: Int64, last: Int64, count: Int)
    }

    /// The month's contents, checkpoint and boundary nodes. `progress`: (step, detail) lines for stderr.
    public func export(
        month: LedgerMonth,
        by user: String,
        now: Int64 = nowMicros(),
        progress: (@Sendable (String) -> Void)? = nil
    ) async throws -> LedgerArchive.Contents {
        guard month.isClosed(at: now) else { throw Refusal.notClosed(month) }
        progress?("读取 \(month) 的台账记录 reading the entries of \(month)")
        let entries = try await readMonth(month)
        guard let first = entries.first, let last = entries.last else { throw Refusal.empty(month) }
        guard last.seq - first.seq + 1 == Int64(entries.count) else {
            throw Refusal.notOneRun(month, first: first.seq, last: last.seq, count: entries.count)
        }
        var head = try await covering(last.seq)
        if head == nil {
            progress?("没有覆盖本月的检查点，现在签一个 no checkpoint covers the month: signing one now")
            _ = try await checkpoints.create(by: user)
            head = try await covering(last.seq)
        }
        guard let head else { throw Refusal.empty(month) }
        progress?("计算边界节点（树大小 \(head.treeSize)）computing the boundary nodes (tree size \(head.treeSize))")
        let ranges = MerkleTree.rangeBoundary(size: Int(head.treeSize), range: Int(first.seq - 1)..<Int(last.seq))
        var nodes: [MerkleTree.RangeNode] = []
        try await db.client.withConnection { conn in
            for r in ranges {
                var frontier = MerkleTree.Frontier()
                try await LedgerCheckpoints.fold(conn, into: &frontier, after: Int64(r.lowerBound), upTo: Int64(r.upperBound), logger: db.logger)
                nodes.append(MerkleTree.RangeNode(start: r.lowerBound, end: r.upperBound, hash: frontier.root))
            }
        }
        return LedgerArchive.Contents(month: month, entries: entries, head: head.head, nodes: nodes)
    }

    func readMonth(_ month: LedgerMonth) async throws -> [LedgerEntry] {
        var out: [LedgerEntry] = []
        let rows = try await db.client.query(
            """
            SELECT \(unescaped: LedgerEntry.selectColumns) FROM ledger
            WHERE recorded_us >= \(month.startMicros) AND recorded_us < \(month.endMicros) ORDER BY seq
            """,
            logger: db.logger
        )
        for try await row in rows.decode(LedgerEntry.Row.self) {
            out.append(LedgerEntry(row: row))
        }
        return out
    }

    /// The smallest signed checkpoint whose tree holds entry `seq`.
    func covering(_ seq: Int64) async throws -> LedgerCheckpoints.Checkpoint? {
        try await db.client.withConnection { conn in
            var size: Int64?
            for try await s in try await conn.query(
                "SELECT tree_size FROM ledger_checkpoints WHERE tree_size >= \(seq) ORDER BY tree_size LIMIT 1",
                logger: db.logger
            ).decode(Int64.self) { size = s }
            guard let size else { return nil }
            return try await checkpoints.all(conn, limit: 1, exactly: size).first
        }
    }
}
