import Foundation
import HubClient
import HubServer
import HubStore
import PostgresNIO
import Testing

/// The ledger is append-only in the database itself, and `verify` finds what a superuser changed anyway.
@Suite("Ledger")
struct LedgerTests {
    @Test("UPDATE, DELETE and TRUNCATE are refused by the database; a row altered with triggers disabled is named by verify")
    func tamperEvidence() async throws {
        let t = try await TestHub.make()
        let item = t.inspectionItem
        try await t.serve { client, hub in
            let records = (0..<20).map {
                SampleRecords.inspection(
                    localId: "L-\($0)",
                    catalogCode: item.catalogCode,
                    implementationCode: item.code,
                    agencyCode: item.agencyCode
                )
            }
            _ = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch(records), as: t.scjg)
        }
        // With the hub stopped: TRUNCATE waits for an exclusive lock on the ledger and every table that refers to
        // it, and beside the hub's own background rounds that wait took minutes in a loaded full run.
        try await t.withDatabase { db in
            let before = try await LedgerStore.verify(db)
            #expect(before.ok)
            // The catalog, the 20 records, then their 20 publications (行政执法公示), chained after the records.
            #expect(before.checked == 211 + 20 + 20)

            for sql in ["UPDATE ledger SET payload = '{}' WHERE seq = 215", "DELETE FROM ledger WHERE seq = 215", "TRUNCATE ledger CASCADE"] {
                await #expect(throws: PSQLError.self, "\(sql) must be refused") {
                    try await db.client.query(PostgresQuery(unsafeSQL: sql), logger: db.logger)
                }
            }
            #expect(try await LedgerStore.verify(db).ok)

            // A superuser who switches the triggers off can change a row; the chain names it.
            try await t.withSuperuser { db in
                try await db.client.withConnection { conn in
                    try await conn.query("SET session_replication_role = replica", logger: db.logger)
                    try await conn.query("UPDATE ledger SET payload = replace(payload, 'L-7', 'L-X') WHERE seq = 219", logger: db.logger)
                    try await conn.query("SET session_replication_role = origin", logger: db.logger)
                }
            }
            let after = try await LedgerStore.verify(db)
            #expect(after.firstBad?.seq == 219)
            #expect(after.firstBad?.reason.contains("altered") == true)
            #expect(after.checked == 218)
        }
    }

    @Test("an entry deleted from the middle is named as missing")
    func deletedEntry() async throws {
        let t = try await TestHub.make()
        try await t.withSuperuser { (db: HubDatabase) async throws -> Void in
            try await db.client.withConnection { conn in
                try await conn.query("SET session_replication_role = replica", logger: db.logger)
                try await conn.query("DELETE FROM ledger WHERE seq = 100", logger: db.logger)
            }
            let gap = try await LedgerStore.verify(db)
            #expect(gap.firstBad?.seq == 100)
            #expect(gap.firstBad?.reason.contains("missing") == true)
        }
    }

    @Test("the hub's own role cannot switch triggers off, replicate, or change the ledger; it owns nothing and is no superuser")
    func appRoleCannotRewrite() async throws {
        let t = try await TestHub.make()
        try await t.withDatabase { (db: HubDatabase) async throws -> Void in
            var facts: (Bool, Int) = (true, -1)
            for try await row in try await db.client.query(
                """
                SELECT rolsuper, (SELECT count(*)::int FROM pg_class WHERE relowner = r.oid) FROM pg_roles r WHERE rolname = current_user
                """,
                logger: db.logger
            ).decode((Bool, Int).self) { facts = row }
            #expect(facts.0 == false, "the hub's role must not be a superuser")
            #expect(facts.1 == 0, "the hub's role must own no table")
            for sql in [
                "SET session_replication_role = replica",
                "ALTER TABLE ledger DISABLE TRIGGER ALL",
                "ALTER TABLE ledger_checkpoints DISABLE TRIGGER ALL",
                "UPDATE ledger SET payload = '{}' WHERE seq = 5",
                "DELETE FROM ledger WHERE seq = 5",
                "TRUNCATE ledger CASCADE",
                "UPDATE ledger_checkpoints SET created_by = 'x'",
                "DROP TABLE ledger CASCADE",
                "CREATE TABLE sneaky (x int)",
            ] {
                await #expect(throws: PSQLError.self, "\(sql) must be refused to the app role") {
                    try await db.client.withConnection { conn in
                        try await conn.query(PostgresQuery(unsafeSQL: sql), logger: db.logger)
                    }
                }
            }
            // What it needs still works: reading and appending.
            #expect(try await count(db, "SELECT count(*)::int FROM ledger") > 0)
            #expect(try await LedgerStore.verify(db).ok)
        }
    }
}
