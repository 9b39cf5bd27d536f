import Foundation
import HubModel
import HubServer
import HubStore
import NIOCore
import PostgresNIO
import Testing

/// The ledger in monthly partitions (migration 24), its conversion from a pre-24 ledger, and
/// `hub ledger archive` from the database to a proof made from the archive alone.
@Suite("Ledger partitions and archive", .serialized)
struct LedgerPartitionTests {
    /// Appends `n` entries recorded at `micros` through the ordinary chain (head lock, COPY).
    @discardableResult
    static func append(_ db: HubDatabase, at micros: Int64, count n: Int, tag: String) async throws -> [LedgerEntry] {
        try await db.client.withTransaction(logger: db.logger) { conn in
            var chain = LedgerChain(head: try await LedgerStore.lockHead(conn, logger: db.logger), recordedMicros: micros)
            for i in 0..<n { chain.add(kind: .opsAction, department: "", subject: "\(tag):\(i)", payload: "{\"i\":\(i)}") }
            try await LedgerStore.insert(chain.entries, conn, logger: db.logger)
            return chain.entries
        }
    }

    static func partitions(_ db: HubDatabase, after seq: Int64) async throws -> [Int64: String] {
        var out: [Int64: String] = [:]
        for try await (s, p) in try await db.client.query("SELECT seq, tableoid::regclass::text FROM ledger WHERE seq > \(seq)", logger: db.logger)
            .decode((Int64, String).self)
        { out[s] = p }
        return out
    }

    static func name(_ m: LedgerMonth) -> String { "ledger_y\(m.year)m\(m.month < 10 ? "0" : "")\(m.month)" }

    /// The three months after the legacy partition's bound (the month after the one two days from now).
    static func months() -> (LedgerMonth, LedgerMonth, LedgerMonth) {
        let m0 = LedgerMonth(containing: nowMicros() + 2 * 86_400_000_000).next
        return (m0, m0.next, m0.next.next.next)
    }

    static func owner(_ t: TestHub) throws -> HubDatabase { try HubDatabase(url: t.ownerURL, maxConnections: 2, logger: TestCluster.logger) }

    @Test("the hub's own role makes the months ahead (the maintenance round's call), and again is a no-op")
    func ensureAhead() async throws {
        let t = try await TestHub.make()
        try await t.withDatabase { db in
            let made = try await LedgerPartitions.ensure(db, ahead: 4)
            let far = LedgerMonth(containing: nowMicros()).next.next.next.next
            #expect(made.contains(Self.name(far)), "\(made)")
            #expect(try await LedgerPartitions.ensure(db, ahead: 4).isEmpty)
            #expect(try await LedgerPartitions.list(db).contains { $0.name == Self.name(far) })
        }
    }

    @Test("entries of three months land in their partitions; verify and proofs hold across them")
    func acrossMonths() async throws {
        let t = try await TestHub.make()
        let (m0, m1, m2) = Self.months()
        let base = try await t.withDatabase { db in
            // m1 is created on demand (as the maintenance round would); m2 by nobody: the default partition takes it.
            for try await _ in try await db.client.query("SELECT ledger_add_month(\(m1.startMicros))", logger: db.logger) {}
            let base = try await LedgerStore.verify(db).height
            try await Self.append(db, at: m0.startMicros, count: 3, tag: "m0")
            try await Self.append(db, at: m1.startMicros + 1, count: 3, tag: "m1")
            try await Self.append(db, at: m2.endMicros - 1, count: 2, tag: "m2")
            return base
        }
        try await t.withDatabase { db in
            let parts = try await Self.partitions(db, after: base)
            #expect((1...3).allSatisfy { parts[base + $0] == Self.name(m0) }, "\(parts)")
            #expect((4...6).allSatisfy { parts[base + $0] == Self.name(m1) }, "\(parts)")
            #expect((7...8).allSatisfy { parts[base + $0] == "ledger_default" }, "\(parts)")
            var before: [String] = []
            for try await p in try await db.client.query(
                "SELECT DISTINCT tableoid::regclass::text FROM ledger WHERE seq <= \(base)",
                logger: db.logger
            ).decode(String.self) { before.append(p) }
            #expect(before == ["ledger_legacy"])
            // The hub's own writer never records before the head: a checkpoint now is stamped with m2's time.
            let checkpoints = LedgerCheckpoints(db: db, signingKey: t.hub.checkpointKey)
            let made = try #require(try await checkpoints.create(by: "test"))
            #expect(made.treeSize == base + 8)
            let parts2 = try await Self.partitions(db, after: base + 8)
            #expect(parts2[base + 9] == "ledger_default")
            let report = try await LedgerVerifier.run(
                db,
                trustedKeys: [checkpoints.publicKey],
                intervalMinutes: t.hub.configuration.checkpointMinutes,
                nowMicros: m2.endMicros
            )
            #expect(report.firstBad == nil)
            #expect(report.chain.checked == base + 9)
            for seq in [Int64(1), base + 1, base + 5, base + 8] {
                let proof = try #require(try await checkpoints.proof(seq: seq))
                #expect(proof.verified, "proof of \(seq)")
            }
        }
    }

    @Test("every partition, made now or later, refuses UPDATE, DELETE and TRUNCATE; seq stays unique")
    func appendOnly() async throws {
        let t = try await TestHub.make()
        let (m0, m1, m2) = Self.months()
        try await t.withDatabase { db in
            try await Self.append(db, at: m0.startMicros, count: 2, tag: "m0")
            for try await _ in try await db.client.query("SELECT ledger_add_month(\(m1.startMicros))", logger: db.logger) {}
            try await Self.append(db, at: m1.startMicros, count: 2, tag: "m1")
            try await Self.append(db, at: m2.startMicros, count: 1, tag: "m2")
        }
        // As the owner (who could otherwise write any table): the triggers refuse.
        try await Self.owner(t).withRunning { db in
            for part in ["ledger_legacy", Self.name(m0), Self.name(m1), "ledger_default", "ledger"] {
                for sql in ["UPDATE \(part) SET payload = '{}'", "DELETE FROM \(part)", "TRUNCATE \(part)"] {
                    await #expect(throws: PSQLError.self, "\(sql)") {
                        try await db.client.query(PostgresQuery(unsafeSQL: sql), logger: db.logger)
                    }
                }
            }
            // A second entry with a taken seq, through the parent at another time or straight into a partition.
            let last = try await LedgerStore.verify(db).height
            for table in ["ledger", Self.name(m1)] {
                await #expect(throws: PSQLError.self, "duplicate seq into \(table)") {
                    try await db.client.query(
                        PostgresQuery(
                            unsafeSQL: """
                                INSERT INTO \(table) (seq, kind, subject, recorded_us, payload, prev_hash, entry_hash)
                                VALUES (\(last), 'ops_action', 'x', \(m1.startMicros + 5), '{}', '\\x00', '\\x00')
                                """
                        ),
                        logger: db.logger
                    )
                }
            }
            // An entry recorded before the head is refused too (it would land in a closed month).
            let late = await #expect(throws: (any Error).self) {
                try await Self.append(db, at: m1.startMicros, count: 1, tag: "late")
            }
            #expect(String(reflecting: late as Any).contains("does not follow the head"))
        }
        // The hub's role cannot reach a partition at all, only the parent.
        try await t.withDatabase { db in
            await #expect(throws: PSQLError.self) {
                try await db.client.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(Self.name(m0))"), logger: db.logger)
            }
            let verified = try await LedgerStore.verify(db)
            #expect(verified.ok)
        }
    }

    @Test("migration 24 converts a pre-24 ledger with rows and outbox rows in place")
    func conversion() async throws {
        let database = try await TestCluster.freshDatabase()
        let owner = try HubDatabase(url: database.owner, maxConnections: 2, logger: TestCluster.logger)
        let now = nowMicros()
        let count = 1200
        try await owner.withRunning { db in
            #expect(try await Migrations.apply(db, through: 23).last == 23)
            // Three months of entries, the oldest first, with an outbox row for some.
            let department = try await db.client.withConnection { conn in
                var id: Int64 = 0
                for try await i in try await conn.query("INSERT INTO departments (code, name) VALUES ('T-1', 'T') RETURNING id", logger: db.logger)
                    .decode(Int64.self)
                { id = i }
                return id
            }
            // Written as a pre-24 hub wrote them (no `ledger_head` yet): chained in memory, one COPY per month.
            var entries: [LedgerEntry] = []
            var head: (seq: Int64, hash: [UInt8]) = (0, LedgerEntry.genesisHash)
            for month in 0..<3 {
                var chain = LedgerChain(head: head, recordedMicros: now - Int64(3 - month) * 31 * 86_400_000_000)
                for i in 0..<(count / 3) { chain.add(kind: .opsAction, department: "", subject: "old\(month):\(i)", payload: "{}") }
                try await db.client.withConnection { conn in try await LedgerStore.insert(chain.entries, conn, logger: db.logger) }
                entries += chain.entries
                head = chain.head
            }
            for e in entries where e.seq % 7 == 0 {
                try await db.client.query(
                    """
                    INSERT INTO outbox (ledger_seq, department_id, local_id, version, cd_id, cd_operation)
                    VALUES (\(e.seq), \(department), \("L-\(e.seq)"), 1, gen_random_uuid(), 'I')
                    """,
                    logger: db.logger
                )
            }
            #expect(try await Migrations.apply(db) == [24, 25])
            var facts: (String, String, Int, Int64) = ("", "", 0, 0)
            for try await row in try await db.client.query(
                """
                SELECT (SELECT relkind::text FROM pg_class WHERE oid = 'ledger'::regclass),
                       (SELECT DISTINCT tableoid::regclass::text FROM ledger),
                       (SELECT count(*)::int FROM ledger),
                       (SELECT seq FROM ledger_head)
                """,
                logger: db.logger
            ).decode((String, String, Int, Int64).self) { facts = row }
            #expect(facts.0 == "p")
            #expect(facts.1 == "ledger_legacy")
            #expect(facts.2 == count)
            #expect(facts.3 == Int64(count))
            // The outbox's key to the ledger was backfilled and is a validated foreign key.
            var outbox: (Int, Int, Bool) = (0, 0, false)
            for try await row in try await db.client.query(
                """
                SELECT count(*)::int, count(ledger_recorded_us)::int,
                       (SELECT convalidated FROM pg_constraint WHERE conname = 'outbox_ledger_fkey')
                FROM outbox
                """,
                logger: db.logger
            ).decode((Int, Int, Bool).self) { outbox = row }
            #expect(outbox.0 == count / 7 && outbox.1 == outbox.0 && outbox.2)
            #expect(try await LedgerStore.verify(db).ok)
            // The writer goes on from the converted head; a new outbox row gets its time from the trigger.
            let next = try await db.client.withTransaction(logger: db.logger) { conn in
                try await LedgerStore.append(
                    [LedgerDraft(kind: .opsAction, department: "", subject: "after", payload: "{}")],
                    conn,
                    logger: db.logger
                )
            }
            #expect(next.first?.seq == Int64(count + 1))
            try await db.client.query(
                """
                INSERT INTO outbox (ledger_seq, department_id, local_id, version, cd_id, cd_operation)
                VALUES (\(Int64(count + 1)), \(department), 'L-new', 1, gen_random_uuid(), 'I')
                """,
                logger: db.logger
            )
            await #expect(throws: PSQLError.self, "an outbox row for no ledger entry") {
                try await db.client.query(
                    """
                    INSERT INTO outbox (ledger_seq, department_id, local_id, version, cd_id, cd_operation)
                    VALUES (999999, \(department), 'L-none', 1, gen_random_uuid(), 'I')
                    """,
                    logger: db.logger
                )
            }
            let verified = try await LedgerStore.verify(db)
            #expect(verified.ok && verified.checked == Int64(count + 1))
            #expect(try await Migrations.apply(db).isEmpty)
        }
    }

    @Test("a closed month archived, checked and proved from the files alone; a tampered file is caught")
    func archive() async throws {
        let t = try await TestHub.make()
        let (m0, m1, _) = Self.months()
        try await t.withDatabase { db in
            try await Self.append(db, at: m0.startMicros, count: 40, tag: "m0")
            try await Self.append(db, at: m1.startMicros, count: 5, tag: "m1")
        }
        try await t.withDatabase { db in
            let checkpoints = LedgerCheckpoints(db: db, signingKey: t.hub.checkpointKey)
            let archiver = LedgerArchiver(checkpoints: checkpoints)
            await #expect(throws: LedgerArchiver.Refusal.notClosed(m0)) {
                _ = try await archiver.export(month: m0, by: "test", now: m0.endMicros - 1)
            }
            await #expect(throws: LedgerArchiver.Refusal.empty(m1.next)) {
                _ = try await archiver.export(month: m1.next, by: "test", now: m1.next.endMicros)
            }
            // No checkpoint covers m0 yet: one is signed for the archive.
            let contents = try await archiver.export(month: m0, by: "test", now: m1.endMicros)
            #expect(contents.entries.count == 40)
            #expect(contents.head.treeSize >= contents.lastSeq)
            let files = Dictionary(uniqueKeysWithValues: LedgerArchive.files(contents, createdAt: "").map { ($0.name, $0.bytes) })
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-archive-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            for (name, bytes) in files { try Data(bytes).write(to: dir.appendingPathComponent(name)) }
            // From here on, only the files.
            var read: [String: [UInt8]] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
                read[name] = Array(try Data(contentsOf: dir.appendingPathComponent(name)))
            }
            let checked = try LedgerArchive.check(files: read, trustedKeys: [checkpoints.publicKey])
            for seq in checked.firstSeq...checked.lastSeq {
                #expect(LedgerArchive.prove(checked, seq: seq)?.verified == true)
            }
            // The same proof the hub gives from the database.
            let fromDB = try #require(try await checkpoints.proof(seq: checked.firstSeq + 7))
            if fromDB.checkpoint.treeSize == checked.head.treeSize {
                #expect(LedgerArchive.prove(checked, seq: checked.firstSeq + 7)?.path == fromDB.path)
            }
            var tampered = read
            tampered[LedgerArchive.entriesFile] = Array(
                String(decoding: read[LedgerArchive.entriesFile]!, as: UTF8.self).replacingOccurrences(of: "m0:7\"", with: "m0:8\"").utf8
            )
            #expect(throws: LedgerArchive.Failure.self) { try LedgerArchive.check(files: tampered) }
            // A second archive of the month reuses the covering checkpoint.
            let again = try await archiver.export(month: m0, by: "test", now: m1.endMicros)
            #expect(again.head == contents.head)
        }
    }
}
