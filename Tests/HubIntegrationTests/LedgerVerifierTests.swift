import Foundation
import HubModel
import HubServer
import HubStore
import NIOCore
import PostgresNIO
import Testing

/// `hub ledger verify` beyond the chain and the roots: entries left unsigned past the checkpoint interval, a
/// checkpoint row and its ledger entry that disagree, and a checkpoint row that is gone. Each case passes the
/// checks verify made before (chain + signed roots), and the full verify names it.
@Suite("Ledger verify: coverage and agreement")
struct LedgerVerifierTests {
    static let later = nowMicros() + 3 * 3600 * 1_000_000

    /// What verify checked before: the chain and every checkpoint's signed root.
    func oldChecksPass(_ t: TestHub, _ db: HubDatabase) async throws -> Bool {
        let chain = try await LedgerStore.verify(db).ok
        let roots = try await LedgerCheckpoints.verifyAll(db, trustedKeys: t.hub.trustedCheckpointKeys).firstBad == nil
        return chain && roots
    }

    func run(_ t: TestHub, _ db: HubDatabase, at now: Int64 = nowMicros()) async throws -> LedgerVerifier.Report {
        try await LedgerVerifier.run(
            db,
            trustedKeys: t.hub.trustedCheckpointKeys,
            intervalMinutes: t.hub.configuration.checkpointMinutes,
            nowMicros: now
        )
    }

    @Test("entries older than the checkpoint interval that no signed checkpoint covers fail verify")
    func uncoveredEntries() async throws {
        let t = try await TestHub.make()
        try await t.withDatabase { db in
            // Fresh entries are fine; the same entries three hours on, never signed, are not.
            #expect(try await run(t, db).ok)
            #expect(try await oldChecksPass(t, db))
            let stale = try await run(t, db, at: Self.later)
            #expect(stale.firstBad?.seq == 1)
            #expect(stale.firstBad?.reason.contains("no signed checkpoint covers it") == true)

            let checkpoints = LedgerCheckpoints(db: db, signingKey: t.hub.checkpointKey)
            let made = try #require(try await checkpoints.create(by: "test"))
            // Only the entry recording that checkpoint is after it, and it is exempt.
            #expect(try await run(t, db, at: Self.later).ok)

            try await OpsUserStore(db: db).recordAction(.ledgerVerify, by: "test")
            let tail = try await run(t, db, at: Self.later)
            #expect(tail.firstBad?.seq == made.treeSize + 2)
            #expect(try await oldChecksPass(t, db))
        }
    }

    @Test("a checkpoint ledger entry rewritten to disagree with its row fails verify")
    func entryDisagreesWithRow() async throws {
        let t = try await TestHub.make()
        let made = try await t.withDatabase { db in
            try #require(try await LedgerCheckpoints(db: db, signingKey: t.hub.checkpointKey).create(by: "test"))
        }
        let seq = made.treeSize + 1
        // A superuser rewrites the checkpoint's ledger entry (the last one, so the chain still holds) to claim another root.
        try await t.withSuperuser { db in
            try await db.client.withConnection { conn in
                var entry: LedgerEntry?
                for try await (kind, dept, subject, us, payload, prev) in try await conn.query(
                    """
                    SELECT kind, department, subject, recorded_us, payload, prev_hash FROM ledger WHERE seq = \(seq)
                    """,
                    logger: db.logger
                ).decode((String, String, String, Int64, String, ByteBuffer).self) {
                    let forged = payload.replacingOccurrences(of: made.root.hex, with: [UInt8](repeating: 0xAB, count: 32).hex)
                    entry = LedgerEntry(
                        seq: seq,
                        kind: kind,
                        department: dept,
                        subject: subject,
                        recordedMicros: us,
                        payload: forged,
                        previousHash: Array(prev.readableBytesView)
                    )
                }
                let e = try #require(entry)
                #expect(e.kind == "checkpoint")
                try await conn.query("SET session_replication_role = replica", logger: db.logger)
                try await conn.query(
                    "UPDATE ledger SET payload = \(e.payload), entry_hash = \(ByteBuffer(bytes: e.hash)) WHERE seq = \(seq)",
                    logger: db.logger
                )
            }
        }
        try await t.withDatabase { db in
            #expect(try await oldChecksPass(t, db))
            let report = try await run(t, db)
            #expect(report.firstBad?.seq == seq)
            #expect(report.firstBad?.reason.contains("disagrees") == true)
        }
    }

    @Test("a checkpoint row that is gone fails verify")
    func missingRow() async throws {
        let t = try await TestHub.make()
        let first = try await t.withDatabase { db in
            let checkpoints = LedgerCheckpoints(db: db, signingKey: t.hub.checkpointKey)
            let first = try #require(try await checkpoints.create(by: "test"))
            _ = try #require(try await checkpoints.create(by: "test"))
            return first
        }
        try await t.withSuperuser { db in
            try await db.client.withConnection { conn in
                try await conn.query("SET session_replication_role = replica", logger: db.logger)
                try await conn.query("DELETE FROM ledger_checkpoints WHERE tree_size = \(first.treeSize)", logger: db.logger)
            }
        }
        try await t.withDatabase { db in
            #expect(try await oldChecksPass(t, db))
            let report = try await run(t, db)
            #expect(report.firstBad?.seq == first.treeSize + 1)
            #expect(report.firstBad?.reason.contains("missing") == true)
        }
    }
}
