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
    public func write(
        _ candidates: [IngestCandidate],
        context: ResolutionContext,
        department: Department,
        profile: DepartmentProfile?,
        rejectedBefore: Int = 0,
        log: MessageLogWrite? = nil,
        plan: @Sendable (IngestReadings) -> IngestPlan
    ) async throws -> [RecordResult] {
        guard !candidates.isEmpty else {
            guard let log else {
                try await Reconciliation(db: db).tally(department: department.id, accepted: 0, held: 0, duplicate: 0, rejected: rejectedBefore)
                return []
            }
            try await db.client.withTransaction(logger: db.logger) { conn in
                try await Reconciliation(db: db).tally(
                    department: department.id,
                    accepted: 0,
                    held: 0,
                    duplicate: 0,
                    rejected: rejectedBefore,
                    on: conn
                )
                try await MessageLogStore(db: db).insert(log.entry, answers: log.entry.answers(log.refused), on: conn)
            }
            return []
        }
        // Local codes the batch may match automatically: a confirmation that committed meanwhile must be seen.
        let automatic = Array(
            Set(
                candidates.compactMap { c -> String? in
                    guard let code = c.record.item.localCode, context.mappings[code] == nil, context.matches[code]?.decision == .auto else {
                        return nil
                    }
                    return code
                }
            )
        )
        return try await db.client.withTransaction(logger: db.logger) { conn in
            var chain = try await LedgerChain(conn, logger: db.logger)
            let readings = IngestReadings(
                context: context,
                stored: try await storedVersions(conn, department: department.id, localIds: Array(Set(candidates.map(\.record.localId)))),
                confirmed: try await mappings.decided(department: department.id, localCodes: automatic, on: conn)
            )
            let decided = plan(readings)
            let written = try await RecordWriter(department: department, catalogDepartment: profile?.catalogDepartment, logger: db.logger)
                .apply(decided, conn: conn, chain: &chain)
            let results = decided.results(written: written)
            try await Reconciliation(db: db).tally(
                department: department.id,
                accepted: results.count { $0.status == .accepted },
                held: results.count { $0.status == .held },
                duplicate: results.count { $0.status == .duplicate },
                rejected: rejectedBefore + results.count { $0.status == .rejected },
                on: conn
            )
            if let log { try await MessageLogStore(db: db).insert(log.entry, answers: log.entry.answers(log.refused + results), on: conn) }
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
        return try await write(candidates, context: context, department: department, profile: profile, rejectedBefore: rejectedBefore) {
            IngestPlanner.plan(candidates, department: department.code, batchId: batchId, readings: $0)
        }
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
