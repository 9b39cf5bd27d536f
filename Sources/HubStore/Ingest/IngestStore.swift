import Foundation
import HubModel
import Ingest
import Logging
import NIOCore
import Normalization
import PostgresNIO

/// Writes a batch of validated records: new versions, held records and their review items, automatic
/// mapping releases, ledger entries and outbox rows — all in one transaction, so a batch is either fully
/// written or not at all.
///
/// Set-based on purpose: a batch of 500 costs a handful of statements, not 500 round trips. What needs no
/// lock (catalog facts, decided mappings, legal-basis matches) is gathered before the transaction; inside
/// it the ledger head lock is taken first, which also serializes concurrent batches of the same `localId`.
public struct IngestStore: Sendable {
    public let db: HubDatabase
    public let catalog: CatalogStore
    public let catalogCache: CatalogCache
    let mappings: MappingStore

    public init(db: HubDatabase, catalogCache: CatalogCache) {
        self.db = db
        self.catalog = CatalogStore(db: db)
        self.catalogCache = catalogCache
        self.mappings = MappingStore(db: db)
    }

    /// A record that passed the schema and rules, at its place in the batch.
    public typealias Candidate = IngestCandidate

    /// Gathers what the item resolution needs for these records (no lock, no writes): catalog facts, decided
    /// mappings and open reviews; then `LocalItemMatching.plan` (pure) matches the remaining local items against
    /// the catalog index and names the catalog items whose implementations are read last.
    public func resolutionContext(
        for records: [CanonicalRecord],
        department: Department,
        profile: DepartmentProfile?
    ) async throws -> ResolutionContext {
        var context = ResolutionContext(agencyLevel: profile?.agencyLevel)
        context.facts = try await catalog.facts(implementationCodes: Array(Set(records.compactMap(\.item.implementationCode))))
        let localCodes = Array(Set(LocalItemMatching.localRecords(records).compactMap(\.item.localCode)))
        context.mappings = try await mappings.decided(department: department.id, localCodes: localCodes)
        if !localCodes.isEmpty {
            for try await code in try await db.client.query(
                """
                SELECT local_code FROM review_items
                WHERE department_id = \(department.id) AND status IN ('open', 'pending_approval') AND local_code = ANY(\(localCodes))
                """,
                logger: db.logger
            ).decode(String.self) { context.underReview.insert(code) }
        }
        // The index only when there is a profile to match with (its catalog department scopes the candidates).
        let index = profile == nil ? nil : try await catalogCache.current()
        let matching = LocalItemMatching.plan(records, context: context, catalogDepartment: profile?.catalogDepartment, index: index)
        context.matches = matching.matches
        context.implementationsByCatalog = try await catalog.implementations(catalogCodes: Array(matching.catalogCodes))
        context.timeline = try await catalog.timeline(
            implementationCodes: Array(Set(records.compactMap(\.item.implementationCode))),
            catalogCodes: Array(matching.catalogCodes)
        )
        context.taskTeams = try await RandomCheckStore(db: db).teams(taskIds: Array(Set(records.compactMap(\.taskId))))
        return context
    }

    /// Reads what only the ledger lock makes stable, plans, and applies the plan — in one transaction.
    ///
    /// Inside the transaction the ledger head lock is taken first; then the stored versions of the batch's
    /// `localId`s and the mappings confirmed meanwhile for the batch's automatic matches are read, `plan` (pure,
    /// normally `IngestPlanner.plan`) decides, and `RecordWriter` applies. `rejectedBefore` counts the batch's
    /// records refused before this point (schema, rules); with the results they go into the hour's intake tally
    /// in the same transaction, so the tally never disagrees with what was written. `log`: the batch's message
    /// log entry and the results refused before this point; its row is written in the same transaction too, so
    /// there is no log row for a batch rolled back and no batch without its row.
    public func write(_ request: IngestWrite) async throws -> [RecordResult] {
        guard request.candidates.isEmpty else { return try await write(group: [request])[0] }
        let department = request.department
        guard let log = request.log else {
            try await Reconciliation(db: db).tally(department: department.id, accepted: 0, held: 0, duplicate: 0, rejected: request.rejectedBefore)
            return []
        }
        try await db.client.withTransaction(logger: db.logger) { conn in
            try await Reconciliation(db: db).tally(
                department: department.id,
                accepted: 0,
                held: 0,
                duplicate: 0,
                rejected: request.rejectedBefore,
                on: conn
            )
            try await MessageLogStore(db: db).insert(log.entry, answers: log.entry.answers(log.refused), on: conn)
        }
        return []
    }

    /// Writes several batches in one transaction (group commit, `GroupCommit`), each planned on its own: one
    /// ledger lock, one read of the stored versions per department, one COPY per table, one tally per department,
    /// one message log statement — and one commit. Returns each batch's results, aligned with `group`.
    ///
    /// The batches must not share a `localId` or a local item code of one department (`GroupCommit` keeps such a
    /// batch for the next group): each batch's plan reads the versions as they were before the group. A record the
    /// planner refuses is an answer of its batch, not a failure of the group; a statement that fails rolls back the
    /// whole group (nothing of it is written).
    public func write(group: [IngestWrite]) async throws -> [[RecordResult]] {
        precondition(group.allSatisfy { !$0.candidates.isEmpty })
        return try await db.client.withTransaction(logger: db.logger) { conn in
            var chain = try await LedgerChain(conn, logger: db.logger)
            // The stored versions of every batch's localIds, one query per department of the group.
            var localIds: [Int64: Set<String>] = [:]
            for w in group { localIds[w.department.id, default: []].formUnion(w.candidates.map(\.record.localId)) }
            var stored: [Int64: [String: [StoredVersion]]] = [:]
            for (department, ids) in localIds {
                stored[department] = try await storedVersions(conn, department: department, localIds: Array(ids))
            }
            var plans: [IngestPlan] = []
            plans.reserveCapacity(group.count)
            for w in group {
                let readings = IngestReadings(
                    context: w.context,
                    stored: stored[w.department.id] ?? [:],
                    // A confirmation that committed meanwhile must be seen by the automatic matches.
                    confirmed: try await mappings.decided(department: w.department.id, localCodes: w.automaticLocalCodes, on: conn)
                )
                plans.append(w.plan(readings))
            }
            var writers: [RecordWriter] = []
            var prepared: [RecordWriter.Prepared] = []
            for (w, plan) in zip(group, plans) {
                let writer = RecordWriter(department: w.department, catalogDepartment: w.profile?.catalogDepartment, logger: db.logger)
                prepared.append(try await writer.prepare(plan, conn: conn, chain: &chain))
                writers.append(writer)
            }
            // The entries first: the outbox rows point at them.
            try await chain.flush(conn, logger: db.logger)
            if group.count == 1 {
                try await prepared[0].rows.write(department: group[0].department.id, conn, logger: db.logger)
            } else {
                try await RecordWriter.Rows.merged(prepared.map(\.rows)).write(department: 0, conn, logger: db.logger)
            }
            var results: [[RecordResult]] = []
            var tallies: [Int64: IntakeCounts] = [:]
            var logs: [(MessageLogEntry, [MessageAnswer])] = []
            for i in group.indices {
                try await writers[i].finish(plans[i], prepared[i], conn: conn)
                let answered = plans[i].results(written: prepared[i].written)
                tallies[group[i].department.id, default: IntakeCounts()].add(answered, rejectedBefore: group[i].rejectedBefore)
                if let log = group[i].log { logs.append((log.entry, log.entry.answers(log.refused + answered))) }
                results.append(answered)
            }
            let reconciliation = Reconciliation(db: db)
            for (department, counts) in tallies.sorted(by: { $0.key < $1.key }) {
                try await reconciliation.tally(
                    department: department,
                    accepted: counts.accepted,
                    held: counts.held,
                    duplicate: counts.duplicate,
                    rejected: counts.rejected,
                    on: conn
                )
            }
            try await MessageLogStore(db: db).insert(logs, on: conn)
            return results
        }
    }

    /// Reads the context and writes the candidates as `IngestPlanner` plans them (the benchmark's and tools' one call).
    public func write(
        _ candidates: [IngestCandidate],
        department: Department,
        profile: DepartmentProfile?,
        batchId: String?,
        rejectedBefore: Int = 0
    ) async throws -> [RecordResult] {
        let context = try await resolutionContext(for: candidates.map(\.record), department: department, profile: profile)
        return try await write(
            IngestWrite(candidates: candidates, context: context, department: department, profile: profile, rejectedBefore: rejectedBefore, log: nil)
            {
                IngestPlanner.plan(candidates, department: department.code, batchId: batchId, readings: $0)
            }
        )
    }

    /// The stored versions of these `localId`s, in version order, read inside the transaction (after the ledger lock).
    func storedVersions(_ conn: PostgresConnection, department: Int64, localIds: [String]) async throws -> [String: [StoredVersion]] {
        let rows = try await conn.query(
            """
            SELECT r.local_id, r.version, r.content_hash, r.status, r.operation, r.ledger_seq, l.entry_hash,
                   r.catalog_code, r.implementation_code, r.rule, r.review_id
            FROM records r LEFT JOIN ledger l ON l.seq = r.ledger_seq
            WHERE r.department_id = \(department) AND r.local_id = ANY(\(localIds))
            ORDER BY r.local_id, r.version
            """,
            logger: db.logger
        )
        var out: [String: [StoredVersion]] = [:]
        for try await (localId, version, hash, status, operation, seq, entryHash, catalogCode, implementationCode, rule, reviewId) in rows.decode(
            (String, Int, ByteBuffer, String, String, Int64?, ByteBuffer?, String?, String?, String?, Int64?).self
        ) {
            out[localId, default: []].append(
                StoredVersion(
                    version: version,
                    contentHash: Array(hash.readableBytesView),
                    status: RecordResult.Status(rawValue: status) ?? .rejected,
                    operation: operation,
                    ledgerSeq: seq,
                    entryHash: entryHash.map { Array($0.readableBytesView).hex },
                    catalogCode: catalogCode,
                    implementationCode: implementationCode,
                    rule: rule,
                    reviewId: reviewId
                )
            )
        }
        return out
    }
}
