import Crypto
import Foundation
import HubModel
import Logging
import NIOCore
import PostgresNIO

/// Signed Merkle checkpoints of the ledger (DESIGN.md "Ledger"): the root of the first `treeSize` entries,
/// signed with the hub's Ed25519 key, kept in `ledger_checkpoints` and written to the ledger itself.
///
/// With checkpoints, a rewrite of old entries or a cut tail is caught even when the rewritten chain is
/// internally consistent: the root no longer matches what was signed. An inclusion proof shows an auditor
/// that one entry is in the signed tree.
public struct LedgerCheckpoints: Sendable {
    public let db: HubDatabase
    /// The raw 32-byte Ed25519 private key (kept as bytes: the key type is not `Sendable`).
    let signingKeyBytes: [UInt8]

    public init(db: HubDatabase, signingKey: [UInt8]) {
        self.db = db
        self.signingKeyBytes = signingKey
    }

    var signingKey: Curve25519.Signing.PrivateKey {
        get throws { try Curve25519.Signing.PrivateKey(rawRepresentation: signingKeyBytes) }
    }

    /// The public half, for auditors (hex on the console's ledger page).
    public var publicKey: [UInt8] { (try? Array(signingKey.publicKey.rawRepresentation)) ?? [] }

    public struct Checkpoint: Sendable {
        public var treeSize: Int64
        public var root: [UInt8]
        public var signature: [UInt8]
        public var publicKey: [UInt8]
        public var createdBy: String
        public var createdAt: String

        /// What is signed (see `SignedTreeHead.message`).
        public static func message(treeSize: Int64, root: [UInt8]) -> [UInt8] {
            SignedTreeHead.message(treeSize: treeSize, root: root)
        }

        public var signatureValid: Bool { head.signatureValid }

        /// The checkpoint as it leaves the database.
        public var head: SignedTreeHead {
            SignedTreeHead(treeSize: treeSize, root: root, signature: signature, publicKey: publicKey, createdAt: createdAt)
        }
    }

    /// Checkpoints the whole ledger as it stands (nil when it is empty or has not grown since the last one).
    ///
    /// The entries already written never change, so they are read and folded into the tree's frontier before
    /// the ledger's append lock is taken; under the lock only the few entries added meanwhile are read.
    /// When the oldest entry that no signed checkpoint covers was recorded (Unix microseconds); nil when every
    /// entry is covered. A hub that was stopped past the checkpoint interval catches up from this on start.
    public func oldestUnsignedMicros() async throws -> Int64? {
        let rows = try await db.client.query(
            """
            SELECT min(recorded_us) FROM ledger WHERE seq > (SELECT coalesce(max(tree_size), 0) FROM ledger_checkpoints)
            """,
            logger: db.logger
        )
        for try await value in rows.decode(Int64?.self) { return value }
        return nil
    }

    public func create(by user: String) async throws -> Checkpoint? {
        var frontier = MerkleTree.Frontier()
        try await db.client.withConnection { conn in
            try await Self.fold(conn, into: &frontier, after: 0, upTo: nil, logger: db.logger)
        }
        return try await db.client.withTransaction(logger: db.logger) { conn in
            var chain = try await LedgerChain(conn, logger: db.logger)
            let size = chain.head.seq
            guard size > 0 else { return nil }
            if let last = try await latest(conn), last.treeSize >= size { return nil }
            try await Self.fold(conn, into: &frontier, after: Int64(frontier.size), upTo: size, logger: db.logger)
            let root = frontier.root
            let key = try signingKey
            let signature = try key.signature(for: Checkpoint.message(treeSize: size, root: root))
            let publicKey = Array(key.publicKey.rawRepresentation)
            try await conn.query(
                """
                INSERT INTO ledger_checkpoints (tree_size, root_hash, signature, public_key, created_by)
                VALUES (\(size), \(ByteBuffer(bytes: root)), \(ByteBuffer(bytes: Array(signature))), \(ByteBuffer(bytes: publicKey)), \(user))
                """,
                logger: db.logger
            )
            chain.add(
                kind: .checkpoint,
                department: "",
                subject: "checkpoint:\(size)",
                payload: CanonicalJSON.string(
                    .object([
                        ("treeSize", .number(String(size))), ("root", .string(root.hex)), ("signature", .string(Array(signature).hex)),
                        ("publicKey", .string(publicKey.hex)), ("by", .string(user)),
                    ])
                )
            )
            try await chain.flush(conn, logger: db.logger)
            return Checkpoint(treeSize: size, root: root, signature: Array(signature), publicKey: publicKey, createdBy: user, createdAt: "")
        }
    }

    /// Appends the leaves of entries `after+1 … upTo` (all when `upTo` is nil) to `frontier`, in order.
    static func fold(_ conn: PostgresConnection, into frontier: inout MerkleTree.Frontier, after: Int64, upTo: Int64?, logger: Logger) async throws {
        let rows = try await conn.query(
            """
            SELECT entry_hash FROM ledger WHERE seq > \(after) AND (\(upTo)::bigint IS NULL OR seq <= \(upTo)::bigint) ORDER BY seq
            """,
            logger: logger
        )
        for try await hash in rows.decode(ByteBuffer.self) { frontier.append(MerkleTree.leafHash(Array(hash.readableBytesView))) }
    }

    public func latest() async throws -> Checkpoint? {
        try await db.client.withConnection { try await latest($0) }
    }

    func latest(_ conn: PostgresConnection) async throws -> Checkpoint? {
        try await all(conn, limit: 1).first
    }

    /// Newest first; `before`: only checkpoints of a smaller tree size (the next page).
    public func all(limit: Int = 20, before: Int64? = nil) async throws -> [Checkpoint] {
        try await db.client.withConnection { try await all($0, limit: limit, before: before) }
    }

    func all(_ conn: PostgresConnection, limit: Int, before: Int64? = nil, exactly: Int64? = nil) async throws -> [Checkpoint] {
        var out: [Checkpoint] = []
        let rows = try await conn.query(
            """
            SELECT tree_size, root_hash, signature, public_key, created_by,
                   to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS')
            FROM ledger_checkpoints
            WHERE (\(before)::bigint IS NULL OR tree_size < \(before)::bigint) AND (\(exactly)::bigint IS NULL OR tree_size = \(exactly)::bigint)
            ORDER BY tree_size DESC LIMIT \(limit)
            """,
            logger: db.logger
        )
        for try await (size, root, sig, key, by, at) in rows.decode((Int64, ByteBuffer, ByteBuffer, ByteBuffer, String, String).self) {
            out.append(
                Checkpoint(
                    treeSize: size,
                    root: Array(root.readableBytesView),
                    signature: Array(sig.readableBytesView),
                    publicKey: Array(key.readableBytesView),
                    createdBy: by,
                    createdAt: at
                )
            )
        }
        return out
    }

    static func leaves(_ conn: PostgresConnection, upTo size: Int64, logger: Logger) async throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        out.reserveCapacity(Int(size))
        let rows = try await conn.query("SELECT entry_hash FROM ledger WHERE seq <= \(size) ORDER BY seq", logger: logger)
        for try await hash in rows.decode(ByteBuffer.self) { out.append(MerkleTree.leafHash(Array(hash.readableBytesView))) }
        return out
    }

    /// An inclusion proof of entry `seq` in the newest checkpoint that covers it.
    public struct Proof: Sendable {
        public var seq: Int64
        public var entryHash: [UInt8]
        public var leafHash: [UInt8]
        public var checkpoint: Checkpoint
        public var path: [[UInt8]]
        /// The proof checked against the signed root, and the signature against its key.
        public var verified: Bool
    }

    /// `trustedKeys`: the public keys whose signatures count (default: this hub's own).
    public func proof(seq: Int64, trustedKeys: [[UInt8]]? = nil) async throws -> Proof? {
        let trusted = trustedKeys ?? [publicKey]
        return try await db.client.withConnection { conn in
            guard let checkpoint = try await latest(conn), seq >= 1, seq <= checkpoint.treeSize else { return nil }
            var entryHash: [UInt8] = []
            for try await h in try await conn.query("SELECT entry_hash FROM ledger WHERE seq = \(seq)", logger: db.logger).decode(ByteBuffer.self) {
                entryHash = Array(h.readableBytesView)
            }
            let tree = try await levels(conn, size: checkpoint.treeSize, root: checkpoint.root)
            let index = Int(seq - 1)
            let path = tree.inclusionProof(index: index)
            let leaf = MerkleTree.leafHash(entryHash)
            let ok =
                trusted.contains(checkpoint.publicKey) && checkpoint.signatureValid
                && MerkleTree.verifyInclusion(leaf: leaf, index: index, size: Int(checkpoint.treeSize), proof: path, root: checkpoint.root)
            return Proof(seq: seq, entryHash: entryHash, leafHash: leaf, checkpoint: checkpoint, path: path, verified: ok)
        }
    }

    /// Recomputes every checkpoint's root from the ledger as it is now, in one pass, and checks its signature
    /// against the hub's trusted keys (never against the key a row carries: whoever could rewrite the ledger
    /// could also re-sign). A rewritten or cut ledger no longer matches what was signed. Returns the first
    /// checkpoint that fails, and why.
    public static func verifyAll(_ db: HubDatabase, trustedKeys: [[UInt8]]) async throws -> (checked: Int, firstBad: (Int64, String)?) {
        try await db.client.withConnection { conn in
            var checkpoints: [Checkpoint] = []
            for try await (size, root, sig, key) in try await conn.query(
                "SELECT tree_size, root_hash, signature, public_key FROM ledger_checkpoints ORDER BY tree_size",
                logger: db.logger
            )
            .decode((Int64, ByteBuffer, ByteBuffer, ByteBuffer).self) {
                checkpoints.append(
                    Checkpoint(
                        treeSize: size,
                        root: Array(root.readableBytesView),
                        signature: Array(sig.readableBytesView),
                        publicKey: Array(key.readableBytesView),
                        createdBy: "",
                        createdAt: ""
                    )
                )
            }
            guard let largest = checkpoints.last else { return (0, nil) }
            for (i, c) in checkpoints.enumerated() {
                guard trustedKeys.contains(c.publicKey) else {
                    return (i, (c.treeSize, "the checkpoint is signed by a key the hub does not trust (\(c.publicKey.hex.prefix(16))…)"))
                }
                guard c.signatureValid else { return (i, (c.treeSize, "the checkpoint's signature does not verify")) }
            }
            var frontier = MerkleTree.Frontier()
            var next = 0
            let rows = try await conn.query("SELECT entry_hash FROM ledger WHERE seq <= \(largest.treeSize) ORDER BY seq", logger: db.logger)
            for try await hash in rows.decode(ByteBuffer.self) {
                frontier.append(MerkleTree.leafHash(Array(hash.readableBytesView)))
                while next < checkpoints.count, Int64(frontier.size) == checkpoints[next].treeSize {
                    guard frontier.root == checkpoints[next].root else {
                        return (
                            next, (checkpoints[next].treeSize, "the first \(checkpoints[next].treeSize) entries no longer hash to the signed root")
                        )
                    }
                    next += 1
                }
            }
            if next < checkpoints.count {
                let c = checkpoints[next]
                return (next, (c.treeSize, "the ledger has \(frontier.size) entries, fewer than the \(c.treeSize) this checkpoint signed"))
            }
            return (checkpoints.count, nil)
        }
    }
}

/// The tree of the newest checkpoint, kept in memory: the ledger below a checkpoint never changes (the
/// database refuses it), so its levels can be reused for every proof until the next checkpoint.
actor TreeCache {
    static let shared = TreeCache()
    var size: Int64 = 0
    var tree: MerkleTree.Levels?

    /// The cached tree when it has this size and root (the root tells one database's tree from another's).
    func get(size: Int64, root: [UInt8]) -> MerkleTree.Levels? { size == self.size && tree?.root == root ? tree : nil }

    func put(size: Int64, tree: MerkleTree.Levels) {
        self.size = size
        self.tree = tree
    }
}
