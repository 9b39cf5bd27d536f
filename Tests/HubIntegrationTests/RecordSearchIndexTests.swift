import HubStore
import PostgresNIO
import Testing

/// The console's `localId` prefix search is served by an index (migration 25): without it the search read every
/// record (1 s at 5,000,000 records).
@Suite("Records search by localId: an index")
struct RecordSearchIndexTests {
    @Test("a localId prefix (LIKE 'abc%') is answered from records_local_id_prefix, not by reading the table")
    func prefixUsesTheIndex() async throws {
        let t = try await TestHub.make()
        try await t.withDatabase { db in
            let plan = try await db.client.withConnection { conn in
                // Few rows here: the planner would read the table anyway; forbid that, so the plan shows whether
                // an index can answer the prefix at all (with none, it is still a sequential scan).
                try await conn.query("SET enable_seqscan = off", logger: db.logger)
                var lines: [String] = []
                for try await line in try await conn.query(
                    "EXPLAIN SELECT local_id, version FROM records WHERE local_id LIKE 'INSP-2026%'",
                    logger: db.logger
                ).decode(String.self) { lines.append(line) }
                return lines.joined(separator: "\n")
            }
            #expect(plan.contains("records_local_id_prefix"), "\(plan)")
            #expect(!plan.contains("Seq Scan"), "\(plan)")
        }
    }
}
