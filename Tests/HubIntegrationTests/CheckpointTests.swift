import Crypto
import HubServer
import HubStore
import NIOCore
import PostgresNIO
import Testing

/// Signed checkpoints against a real database: verify passes on an honest ledger, refuses a checkpoint signed
/// by a key the hub does not trust, and the checkpoint table is as append-only as the ledger.
@Suite("Ledger checkpoints")
struct CheckpointTests {
    @Test("a forged checkpoint signed with another key fails verify; checkpoints cannot be deleted")
    func forgedCheckpoint() async throws {
        let t = try await TestHub.make()
        try await t.withDatabase { db in
            let checkpoints = LedgerCheckpoints(db: db, signingKey: t.hub.checkpointKey)
            let made = try #require(try await checkpoints.create(by: "test"))
            let trusted = [checkpoints.publicKey]
            let honest = try await LedgerCheckpoints.verifyAll(db, trustedKeys: trusted)
            #expect(honest.firstBad == nil && honest.checked == 1)
            let proof = try #require(try await checkpoints.proof(seq: 3, trustedKeys: trusted))
            #expect(proof.verified)

            // Someone with database access signs a root of their own choosing with their own key.
            let forger = Curve25519.Signing.PrivateKey()
            let size = made.treeSize + 1
            let root = [UInt8](repeating: 7, count: 32)
            let signature = try forger.signature(for: LedgerCheckpoints.Checkpoint.message(treeSize: size, root: root))
            try await db.client.query(
                """
                INSERT INTO ledger_checkpoints (tree_size, root_hash, signature, public_key, created_by)
                VALUES (\(size), \(ByteBuffer(bytes: root)), \(ByteBuffer(bytes: Array(signature))), \(ByteBuffer(bytes: Array(forger.publicKey.rawRepresentation))), 'mallory')
                """,
                logger: db.logger
            )
            let forged = try await LedgerCheckpoints.verifyAll(db, trustedKeys: trusted)
            #expect(forged.firstBad?.0 == size)
            #expect(forged.firstBad?.1.contains("does not trust") == true)

            await #expect(throws: (any Error).self) {
                try await db.client.query("DELETE FROM ledger_checkpoints", logger: db.logger)
            }
        }
    }
}
