import HubModel
import NIOCore
import PostgresNIO

/// The whole check behind `hub ledger verify` and the console's "verify now": the hash chain, every signed
/// checkpoint against the ledger as it is now, checkpoint rows against their `checkpoint` ledger entries, and
/// that no entry older than the checkpoint interval is left outside every signed checkpoint.
///
/// Why the last two: the chain and the checkpoints alone pass on a ledger whose writer simply stopped signing
/// (a rewrite of the unsigned tail is invisible), or whose checkpoint row was removed together with what it
/// signed. An entry that stays unsigned longer than the interval, or a checkpoint row and its ledger entry that
/// no longer agree, is itself the finding.
public enum LedgerVerifier {
    public struct Report: Sendable {
        public var chain: LedgerStore.Verification
        /// Checkpoints whose signature and root held.
        public var checkpoints: Int
        /// The first thing that does not hold: the entry's sequence number (or the checkpoint's tree size), and why.
        public var firstBad: (seq: Int64, reason: String)?
        public var ok: Bool { firstBad == nil }
    }

    /// `intervalMinutes`: `HUB_CHECKPOINT_MINUTES`; an entry older than that plus `graceMinutes` must be covered
    /// by a signed checkpoint (the grace keeps verify from racing the scheduled signing). `nowMicros` for tests.
    public static func run(
        _ db: HubDatabase,
        trustedKeys: [[UInt8]],
        intervalMinutes: Int,
        graceMinutes: Int = 1,
        nowMicros now: Int64 = nowMicros(),
        progress: (@Sendable (Int64, Int64) -> Void)? = nil
    ) async throws -> Report {
        let chain = try await LedgerStore.verify(db, progress: progress)
        var report = Report(chain: chain, checkpoints: 0, firstBad: chain.firstBad)
        if let bad = chain.firstBad {
            report.firstBad = bad
            return report
        }
        let signed = try await LedgerCheckpoints.verifyAll(db, trustedKeys: trustedKeys)
        report.checkpoints = signed.checked
        if let bad = signed.firstBad {
            report.firstBad = (bad.0, "checkpoint \(bad.0): \(bad.1)")
            return report
        }
        if let bad = try await agreement(db) {
            report.firstBad = bad
            return report
        }
        let cutoff = now - Int64(intervalMinutes + graceMinutes) * 60_000_000
        if let bad = try await uncovered(db, olderThan: cutoff, intervalMinutes: intervalMinutes) { report.firstBad = bad }
        return report
    }

    /// Every `checkpoint` ledger entry names a checkpoint row with the same size, root, signature and key, and
    /// every checkpoint row has its ledger entry.
    static func agreement(_ db: HubDatabase) async throws -> (seq: Int64, reason: String)? {
        var rows: [Int64: (root: [UInt8], signature: [UInt8], key: [UInt8])] = [:]
        for try await (size, root, sig, key) in try await db.client.query(
            "SELECT tree_size, root_hash, signature, public_key FROM ledger_checkpoints",
            logger: db.logger
        )
        .decode((Int64, ByteBuffer, ByteBuffer, ByteBuffer).self) {
            rows[size] = (Array(root.readableBytesView), Array(sig.readableBytesView), Array(key.readableBytesView))
        }
        var recorded = Set<Int64>()
        for try await (seq, payload) in try await db.client.query(
            "SELECT seq, payload FROM ledger WHERE kind = \(LedgerKind.checkpoint.rawValue) ORDER BY seq",
            logger: db.logger
        ).decode((Int64, String).self) {
            guard let doc = try? JSONParser().parse(Array(payload.utf8)), let size = doc["treeSize"]?.intValue.map(Int64.init) else {
                return (seq, "ledger entry \(seq) is a checkpoint entry that names no tree size")
            }
            recorded.insert(size)
            guard let row = rows[size] else {
                return (seq, "the checkpoint row of tree size \(size) that ledger entry \(seq) records is missing")
            }
            let same =
                doc["root"]?.stringValue == row.root.hex && doc["signature"]?.stringValue == row.signature.hex
                && doc["publicKey"]?.stringValue == row.key.hex
            guard same else { return (seq, "the checkpoint row of tree size \(size) disagrees with ledger entry \(seq) that records it") }
        }
        if let orphan = rows.keys.filter({ !recorded.contains($0) }).min() {
            return (orphan, "the checkpoint row of tree size \(orphan) has no checkpoint entry in the ledger")
        }
        return nil
    }

    /// The first entry recorded before `cutoff` (µs) that the newest checkpoint does not cover. The entry that
    /// records the newest checkpoint itself is exempt: it can only be covered by the next one.
    static func uncovered(_ db: HubDatabase, olderThan cutoff: Int64, intervalMinutes: Int) async throws -> (seq: Int64, reason: String)? {
        var newest: Int64 = 0
        for try await size in try await db.client.query("SELECT coalesce(max(tree_size), 0) FROM ledger_checkpoints", logger: db.logger)
            .decode(Int64.self)
        { newest = size }
        for try await seq in try await db.client.query(
            """
            SELECT seq FROM ledger WHERE seq > \(newest) AND recorded_us < \(cutoff)
              AND NOT (seq = \(newest + 1) AND kind = \(LedgerKind.checkpoint.rawValue))
            ORDER BY seq LIMIT 1
            """,
            logger: db.logger
        ).decode(Int64.self) {
            return (
                seq,
                "entry \(seq) is older than the checkpoint interval (\(intervalMinutes) min) and no signed checkpoint covers it "
                    + "(newest checkpoint: tree size \(newest)); run `hub ledger checkpoint`"
            )
        }
        return nil
    }
}
