import Foundation
import HubModel
import HubServer
import HubStore
import Testing

/// Entries written before the kinds had one spelling (`review-decision`) keep their stored bytes: the chain
/// and the full verify still pass over them, and they read as the same kind as new entries.
@Suite("Ledger kinds: an old spelling still verifies")
struct LedgerKindSpellingTests {
    @Test("a chain holding a review-decision entry (old spelling) beside a review_decision one verifies")
    func oldSpellingVerifies() async throws {
        let t = try await TestHub.make()
        try await t.withDatabase { db in
            try await db.client.withTransaction(logger: db.logger) { conn in
                var chain = try await LedgerChain(conn, logger: db.logger)
                // As an earlier hub wrote it: the same columns, the kind spelled with a hyphen.
                let old = LedgerEntry(
                    seq: chain.head.seq + 1,
                    kind: "review-decision",
                    department: "HY-SCJG",
                    subject: "review:1",
                    recordedMicros: chain.recordedMicros,
                    payload: "{}",
                    previousHash: chain.head.hash
                )
                try await LedgerStore.insert([old], conn, logger: db.logger)
                chain = LedgerChain(head: (old.seq, old.hash), recordedMicros: chain.recordedMicros)
                chain.add(kind: .reviewDecision, department: "HY-SCJG", subject: "review:2", payload: "{}")
                try await chain.flush(conn, logger: db.logger)
            }
            #expect(try await LedgerStore.verify(db).ok)
            _ = try await LedgerCheckpoints(db: db, signingKey: t.hub.checkpointKey).create(by: "test")
            let report = try await LedgerVerifier.run(
                db,
                trustedKeys: t.hub.trustedCheckpointKeys,
                intervalMinutes: t.hub.configuration.checkpointMinutes,
                nowMicros: nowMicros()
            )
            #expect(report.ok)
            var kinds: [String] = []
            for try await kind in try await db.client.query(
                "SELECT kind FROM ledger WHERE kind = ANY(\(LedgerKind.reviewDecision.storedSpellings)) ORDER BY seq",
                logger: db.logger
            ).decode(String.self) { kinds.append(kind) }
            #expect(kinds == ["review-decision", "review_decision"])
            #expect(kinds.allSatisfy { LedgerKind(stored: $0) == .reviewDecision })
        }
    }
}
