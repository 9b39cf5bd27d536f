import HubModel
import PostgresNIO

/// Consistency proofs between signed checkpoints (RFC 9162 §2.1.4), for the API, the CLI and the audit of a
/// signed tree head kept outside the hub.
extension LedgerCheckpoints {
    /// The checkpoint of exactly this tree size.
    public func checkpoint(size: Int64) async throws -> Checkpoint? {
        try await db.client.withConnection { try await all($0, limit: 1, exactly: size).first }
    }

    /// A proof that the first `from` entries are a prefix of the tree signed by checkpoint `to`.
    public struct Consistency: Sendable {
        public var from: Int64
        /// MTH of the first `from` entries as the ledger stands now (what an honest old head must carry).
        public var fromRoot: [UInt8]
        public var to: Checkpoint
        public var proof: [[UInt8]]

        /// Whether the proof links `fromRoot` to the signed root of `to` (say nothing about who signed `to`).
        public func verifies(oldRoot: [UInt8]) -> Bool {
            MerkleTree.verifyConsistency(first: Int(from), second: Int(to.treeSize), firstRoot: oldRoot, secondRoot: to.root, proof: proof)
        }
    }

    /// The proof from tree size `from` (0 … `to`) to the checkpoint of size `to` (nil: the newest). Nil when
    /// there is no such checkpoint or `from` is out of range: the caller says which.
    public func consistency(from: Int64, to: Int64?) async throws -> Consistency? {
        try await db.client.withConnection { conn in
            let target: Checkpoint?
            if let to { target = try await all(conn, limit: 1, exactly: to).first } else { target = try await latest(conn) }
            guard let target, from >= 0, from <= target.treeSize else { return nil }
            let tree = try await levels(conn, size: target.treeSize, root: target.root)
            guard tree.size == Int(target.treeSize) else { throw LedgerCut(entries: tree.size, signed: target.treeSize) }
            var prefix = MerkleTree.Frontier()
            for leaf in tree.levels[0].prefix(Int(from)) { prefix.append(leaf) }
            return Consistency(
                from: from,
                fromRoot: from == 0 ? [] : prefix.root,
                to: target,
                proof: tree.consistencyProof(from: Int(from))
            )
        }
    }

    /// The ledger has fewer entries than a checkpoint signed: no proof can be made (and verify fails too).
    public struct LedgerCut: Error, CustomStringConvertible {
        public var entries: Int
        public var signed: Int64
        public var description: String { "the ledger has \(entries) entries, fewer than the \(signed) a checkpoint signed" }
    }

    /// The tree of the first `size` entries (the cached one when it has that size and the signed root).
    func levels(_ conn: PostgresConnection, size: Int64, root: [UInt8]) async throws -> MerkleTree.Levels {
        if let cached = await TreeCache.shared.get(size: size, root: root) { return cached }
        let tree = MerkleTree.Levels(leaves: try await Self.leaves(conn, upTo: size, logger: db.logger))
        await TreeCache.shared.put(size: size, tree: tree)
        return tree
    }
}
