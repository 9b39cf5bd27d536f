import Foundation
import HubModel
import Logging
import NIOCore
import Normalization
import PostgresNIO

/// Writes a batch of validated records: new versions, held records and their review items, ledger
/// entries and outbox rows — all in one transaction, so a batch is either fully written or not at all.
///
/// Set-based on purpose: a batch of 500 costs a handful of statements, not 500 round trips. Lookups that
/// need no lock (catalog facts, confirmed mappings) run before the transaction; the ledger head lock is
/// taken first inside it, which also serializes concurrent batches of the same `localId`.
public struct IngestStore: Sendable {
    public let db: HubDatabase
    public let catalog: CatalogStore

    public init(db: HubDatabase) {
        self.db = db
        self.catalog = CatalogStore(db: db)
    }

    /// A record that passed the schema and rules, at its place in the batch.
    public struct Candidate: Sendable {
        public var index: Int
        public var record: CanonicalRecord
        public init(index: Int, record: CanonicalRecord) { self.index = index; self.record = record }
    }

    /// An earlier version of a record, as stored.
    struct StoredVersion {
        var version: Int
        var contentHash: [UInt8]
        var status: RecordResult.Status
        var operation: String
        var ledgerSeq: Int64?
        var entryHash: String?
        var catalogCode: String?
        var implementationCode: String?
        var rule: String?
        var reviewId: Int64?
    }

    /// Writes the candidates of one batch for `department`; returns one result per candidate, by index.
    public func write(_ candidates: [Candidate], department: Department, batchId: String?) async throws -> [RecordResult] {
        guard !candidates.isEmpty else { return [] }
        let implementationCodes = Array(Set(candidates.compactMap { $0.record.item.implementationCode }))
        let facts = try await catalog.facts(implementationCodes: implementationCodes)
        let localCodes = Array(Set(candidates.compactMap { $0.record.item.localCode }))
        let mappings = try await confirmedMappings(department: department.id, localCodes: localCodes)

        // Item resolution is pure and needs no lock.
        var resolutions: [Int: ItemResolution] = [:]
        for c in candidates {
            let path = "records[\(c.index)]"
            resolutions[c.index] = ItemResolver.resolve(
                c.record, path: path,
                facts: c.record.item.implementationCode.flatMap { facts[$0] },
                mapping: c.record.item.localCode.flatMap { mappings[$0] })
        }
        let hashes = Dictionary(uniqueKeysWithValues: candidates.map { ($0.index, sha256($0.record.canonicalBytes)) })

        return try await db.client.withTransaction(logger: db.logger) { conn in
            var head = try await LedgerStore.lockHead(conn, logger: db.logger)
            let localIds = Array(Set(candidates.map(\.record.localId)))
            var versions = try await storedVersions(conn, department: department.id, localIds: localIds)

            // Held records need their review item's id: open (or find) one per local item first.
            var heldItems: [String: CanonicalRecord] = [:]
            for c in candidates where resolutions[c.index] == .held {
                if let code = c.record.item.localCode, heldItems[code] == nil { heldItems[code] = c.record }
            }
            let reviewIds = try await openReviews(conn, department: department.id, items: heldItems)

            var results: [RecordResult] = []
            var ledgerEntries: [LedgerEntry] = []
            var rows = RecordRows()
            let now = nowMicros()
            for c in candidates {
                let record = c.record
                var result = RecordResult(index: c.index, localId: record.localId, status: .rejected)
                let hash = hashes[c.index]!
                let existing = versions[record.localId] ?? []
                if let original = existing.first(where: { $0.contentHash == hash }) {
                    result.status = .duplicate
                    result.originalStatus = original.status
                    result.version = original.version
                    result.operation = original.operation
                    result.ledgerSeq = original.ledgerSeq
                    result.entryHash = original.entryHash
                    result.catalogCode = original.catalogCode
                    result.implementationCode = original.implementationCode
                    result.rule = original.rule
                    result.reviewId = original.reviewId
                    results.append(result)
                    continue
                }
                let version = (existing.map(\.version).max() ?? 0) + 1
                let operation = record.operation == .delete ? "D" : (version == 1 ? "I" : "U")
                var stored = StoredVersion(version: version, contentHash: hash, status: .held, operation: operation)
                switch resolutions[c.index]! {
                case .rejected(let errors):
                    result.errors = errors
                    results.append(result)
                    continue
                case .held:
                    stored.reviewId = record.item.localCode.flatMap { reviewIds[$0] }
                    rows.append(department: department.id, localId: record.localId, stored: stored, body: CanonicalJSON.string(record.tree), batchId: batchId, release: nil)
                case let .resolved(catalogCode, implementationCode, rule, release):
                    let tree = record.resolved(catalogCode: catalogCode, implementationCode: implementationCode)
                    let body = CanonicalJSON.string(tree)
                    var payloadMembers: [(String, JSONValue)] = [
                        ("localId", .string(record.localId)), ("version", .number(String(version))), ("operation", .string(operation)),
                        ("contentHash", .string(hash.hex)), ("rule", .string(rule.rawValue)), ("record", tree),
                    ]
                    if let release { payloadMembers.append(("mappingRelease", .number(String(release)))) }
                    if let batchId { payloadMembers.append(("batchId", .string(batchId))) }
                    let entry = LedgerEntry(seq: head.seq + 1, kind: "record", department: department.code,
                                            subject: "\(record.localId)#\(version)", recordedMicros: now,
                                            payload: CanonicalJSON.string(.object(payloadMembers)), previousHash: head.hash)
                    head = (entry.seq, entry.hash)
                    ledgerEntries.append(entry)
                    stored.status = .accepted
                    stored.ledgerSeq = entry.seq
                    stored.entryHash = entry.hashHex
                    stored.catalogCode = catalogCode
                    stored.implementationCode = implementationCode
                    stored.rule = rule.rawValue
                    rows.append(department: department.id, localId: record.localId, stored: stored, body: body, batchId: batchId, release: release)
                }
                versions[record.localId, default: []].append(stored)
                result.status = stored.status
                result.version = version
                result.operation = operation
                result.ledgerSeq = stored.ledgerSeq
                result.entryHash = stored.entryHash
                result.catalogCode = stored.catalogCode
                result.implementationCode = stored.implementationCode
                result.rule = stored.rule
                result.reviewId = stored.reviewId
                results.append(result)
            }
            try await LedgerStore.insert(ledgerEntries, conn, logger: db.logger)
            try await rows.insert(conn, logger: db.logger)
            return results
        }
    }

    func confirmedMappings(department: Int64, localCodes: [String]) async throws -> [String: ConfirmedMapping] {
        guard !localCodes.isEmpty else { return [:] }
        let rows = try await db.client.query("""
            SELECT local_code, catalog_code, implementation_code, id FROM item_mappings
            WHERE department_id = \(department) AND status = 'confirmed' AND local_code = ANY(\(localCodes))
            """, logger: db.logger)
        var out: [String: ConfirmedMapping] = [:]
        for try await (local, catalogCode, implementationCode, id) in rows.decode((String, String, String, Int64).self) {
            out[local] = ConfirmedMapping(localCode: local, catalogCode: catalogCode, implementationCode: implementationCode, release: id)
        }
        return out
    }

    func storedVersions(_ conn: PostgresConnection, department: Int64, localIds: [String]) async throws -> [String: [StoredVersion]] {
        let rows = try await conn.query("""
            SELECT r.local_id, r.version, r.content_hash, r.status, r.operation, r.ledger_seq, l.entry_hash,
                   r.catalog_code, r.implementation_code, r.rule, r.review_id
            FROM records r LEFT JOIN ledger l ON l.seq = r.ledger_seq
            WHERE r.department_id = \(department) AND r.local_id = ANY(\(localIds))
            """, logger: db.logger)
        var out: [String: [StoredVersion]] = [:]
        for try await (localId, version, hash, status, operation, seq, entryHash, catalogCode, implementationCode, rule, reviewId) in rows.decode(
            (String, Int, ByteBuffer, String, String, Int64?, ByteBuffer?, String?, String?, String?, Int64?).self)
        {
            out[localId, default: []].append(StoredVersion(
                version: version, contentHash: Array(hash.readableBytesView), status: RecordResult.Status(rawValue: status) ?? .held,
                operation: operation, ledgerSeq: seq, entryHash: entryHash.map { Array($0.readableBytesView).hex },
                catalogCode: catalogCode, implementationCode: implementationCode, rule: rule, reviewId: reviewId))
        }
        return out
    }

    /// Opens a review item per held local item, or touches the open one; returns local code → review id.
    func openReviews(_ conn: PostgresConnection, department: Int64, items: [String: CanonicalRecord]) async throws -> [String: Int64] {
        guard !items.isEmpty else { return [:] }
        let codes = Array(items.keys)
        let names = codes.map { items[$0]!.item.localName ?? "" }
        let bases = codes.map { items[$0]!.item.legalBasis ?? "" }
        let kinds = codes.map { items[$0]!.kind.rawValue }
        let rows = try await conn.query("""
            INSERT INTO review_items (department_id, local_code, local_name, legal_basis, record_kind)
            SELECT \(department), code, nullif(name, ''), nullif(basis, ''), kind
            FROM unnest(\(codes)::text[], \(names)::text[], \(bases)::text[], \(kinds)::text[]) AS t(code, name, basis, kind)
            ON CONFLICT (department_id, local_code) WHERE status = 'open' DO UPDATE SET last_seen_at = now()
            RETURNING local_code, id
            """, logger: db.logger)
        var out: [String: Int64] = [:]
        for try await (code, id) in rows.decode((String, Int64).self) { out[code] = id }
        return out
    }
}

/// Column arrays for one multi-row insert into `records` and `outbox`.
struct RecordRows {
    var departments: [Int64] = []
    var localIds: [String] = []
    var versions: [Int64] = []
    var statuses: [String] = []
    var operations: [String] = []
    var hashes: [ByteBuffer] = []
    var bodies: [String] = []
    var catalogCodes: [String] = []
    var implementationCodes: [String] = []
    var rules: [String] = []
    var releases: [Int64] = []
    var reviewIds: [Int64] = []
    var ledgerSeqs: [Int64] = []
    var batchIds: [String] = []

    mutating func append(department: Int64, localId: String, stored: IngestStore.StoredVersion, body: String, batchId: String?, release: Int64?) {
        departments.append(department)
        localIds.append(localId)
        versions.append(Int64(stored.version))
        statuses.append(stored.status.rawValue)
        operations.append(stored.operation)
        hashes.append(ByteBuffer(bytes: stored.contentHash))
        bodies.append(body)
        catalogCodes.append(stored.catalogCode ?? "")
        implementationCodes.append(stored.implementationCode ?? "")
        rules.append(stored.rule ?? "")
        releases.append(release ?? 0)
        reviewIds.append(stored.reviewId ?? 0)
        ledgerSeqs.append(stored.ledgerSeq ?? 0)
        batchIds.append(batchId ?? "")
    }

    /// Inserts the versions, then an outbox row for each accepted one (its ledger entry is in this transaction).
    func insert(_ conn: PostgresConnection, logger: Logger) async throws {
        guard !localIds.isEmpty else { return }
        try await conn.query("""
            INSERT INTO records (department_id, local_id, version, status, operation, content_hash, body, catalog_code,
                                 implementation_code, rule, mapping_release, review_id, ledger_seq, batch_id)
            SELECT d, l, v, s, o, h, b, nullif(c, ''), nullif(i, ''), nullif(r, ''), nullif(m, 0), nullif(rv, 0), nullif(q, 0), nullif(bt, '')
            FROM unnest(\(departments)::bigint[], \(localIds)::text[], \(versions)::bigint[], \(statuses)::text[], \(operations)::text[],
                        \(hashes)::bytea[], \(bodies)::text[], \(catalogCodes)::text[], \(implementationCodes)::text[], \(rules)::text[],
                        \(releases)::bigint[], \(reviewIds)::bigint[], \(ledgerSeqs)::bigint[], \(batchIds)::text[])
                 AS t(d, l, v, s, o, h, b, c, i, r, m, rv, q, bt)
            """, logger: logger)
        try await conn.query("""
            INSERT INTO outbox (ledger_seq, department_id, local_id, version, cd_id, cd_operation)
            SELECT q, d, l, v, gen_random_uuid(), o
            FROM unnest(\(departments)::bigint[], \(localIds)::text[], \(versions)::bigint[], \(operations)::text[], \(ledgerSeqs)::bigint[])
                 AS t(d, l, v, o, q)
            WHERE q > 0
            """, logger: logger)
    }
}
