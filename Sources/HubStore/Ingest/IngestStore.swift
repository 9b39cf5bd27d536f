import Foundation
import HubModel
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

    public init(db: HubDatabase, catalogCache: CatalogCache) {
        self.db = db
        self.catalog = CatalogStore(db: db)
        self.catalogCache = catalogCache
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

    /// Gathers what the item resolution needs for these records (no lock, no writes).
    public func resolutionContext(for records: [CanonicalRecord], department: Department, profile: DepartmentProfile?) async throws -> ResolutionContext {
        var context = ResolutionContext(agencyLevel: profile?.agencyLevel)
        context.facts = try await catalog.facts(implementationCodes: Array(Set(records.compactMap(\.item.implementationCode))))
        let local = records.filter { $0.item.catalogCode == nil || $0.item.implementationCode == nil }
        let localCodes = Array(Set(local.compactMap(\.item.localCode)))
        context.mappings = try await MappingStore(db: db).decided(department: department.id, localCodes: localCodes)
        var catalogCodes = Set(context.mappings.values.compactMap(\.catalogCode))
        catalogCodes.formUnion(records.filter { $0.item.implementationCode == nil }.compactMap(\.item.catalogCode))
        if !localCodes.isEmpty {
            for try await code in try await db.client.query("""
                SELECT local_code FROM review_items
                WHERE department_id = \(department.id) AND status IN ('open', 'pending_approval') AND local_code = ANY(\(localCodes))
                """, logger: db.logger).decode(String.self) { context.underReview.insert(code) }
        }
        if let profile {
            let index = try await catalogCache.current()
            var seen = Set<String>()
            for record in local {
                guard let code = record.item.localCode, context.mappings[code] == nil, !context.underReview.contains(code),
                      seen.insert(code).inserted else { continue }
                let item = LocalItem(localCode: code, localName: record.item.localName ?? "", itemType: ItemType(kind: record.kind),
                                     legalBasis: record.item.legalBasis ?? "", department: profile.catalogDepartment)
                let match = ItemMatcher.match(item, in: index)
                context.matches[code] = match
                if let c = match.catalogCode { catalogCodes.insert(c) }
            }
        }
        context.implementationsByCatalog = try await catalog.implementations(catalogCodes: Array(catalogCodes))
        return context
    }

    /// Writes the candidates of one batch for `department`; returns one result per candidate, by index.
    ///
    /// `rejectedBefore` counts the batch's records refused before this point (schema, rules); with the results
    /// they go into the hour's intake tally in the same transaction, so the tally never disagrees with what was
    /// written.
    public func write(_ candidates: [Candidate], department: Department, profile: DepartmentProfile?, batchId: String?,
                      rejectedBefore: Int = 0) async throws -> [RecordResult] {
        guard !candidates.isEmpty else {
            try await Reconciliation(db: db).tally(department: department.id, accepted: 0, held: 0, duplicate: 0, rejected: rejectedBefore)
            return []
        }
        let context = try await resolutionContext(for: candidates.map(\.record), department: department, profile: profile)
        var resolutions: [Int: ItemResolution] = [:]
        for c in candidates {
            resolutions[c.index] = ItemResolver.resolve(c.record, path: "records[\(c.index)]", context: context)
        }
        let hashes = Dictionary(uniqueKeysWithValues: candidates.map { ($0.index, sha256($0.record.canonicalBytes)) })

        return try await db.client.withTransaction(logger: db.logger) { conn in
            var chain = try await LedgerChain(conn, logger: db.logger)
            var versions = try await storedVersions(conn, department: department.id, localIds: Array(Set(candidates.map(\.record.localId))))

            // Pass 1: final resolution of each record (an earlier held version holds the later ones too).
            var final: [Int: ItemResolution] = [:]
            var waitOn: [Int: Int64] = [:]
            var heldItems: [String: (CanonicalRecord, HoldReason)] = [:]
            var autoMatched: [String: (catalogCode: String, implementationCode: String)] = [:]
            var pending = Set<String>()
            var duplicates = Set<Int>()
            var seenInBatch: [String: [[UInt8]]] = [:]
            for c in candidates {
                let localId = c.record.localId
                let earlier = versions[localId] ?? []
                let hash = hashes[c.index]!
                // A version rejected after review does not make a resend a duplicate: the resend may now be taken.
                if earlier.contains(where: { $0.contentHash == hash && $0.status != .rejected }) || seenInBatch[localId, default: []].contains(hash) {
                    duplicates.insert(c.index)
                    continue
                }
                var resolution = resolutions[c.index]!
                if case .rejected = resolution {
                    final[c.index] = resolution
                    continue
                }
                seenInBatch[localId, default: []].append(hash)
                if let held = earlier.first(where: { $0.status == .held }), let review = held.reviewId {
                    resolution = .held(.earlierVersionHeld)
                    waitOn[c.index] = review
                } else if pending.contains(localId) {
                    resolution = .held(.earlierVersionHeld)
                }
                if case .held(let reason) = resolution, waitOn[c.index] == nil, reason != .earlierVersionHeld,
                   let code = c.record.item.localCode, heldItems[code] == nil {
                    heldItems[code] = (c.record, reason)
                }
                if case let .resolved(catalogCode, implementationCode, .legalBasis, _) = resolution, let code = c.record.item.localCode, autoMatched[code] == nil {
                    autoMatched[code] = (catalogCode, implementationCode)
                }
                if case .held = resolution { pending.insert(localId) }
                final[c.index] = resolution
            }
            // Automatic matches become mapping releases (ledger entries first, so records can cite them).
            let releases = try await MappingStore.recordAutoMatches(autoMatched, matches: context.matches, department: department,
                                                                    conn: conn, chain: &chain, logger: db.logger)
            // A mapping confirmed meanwhile that disagrees with this batch's automatic match wins: those records
            // wait for a person rather than go out under either code unchecked.
            for c in candidates {
                guard case let .resolved(catalogCode, _, .legalBasis, _)? = final[c.index], let code = c.record.item.localCode,
                      let release = releases[code], release.catalogCode != catalogCode else { continue }
                final[c.index] = .held(.ambiguous)
                if heldItems[code] == nil { heldItems[code] = (c.record, .ambiguous) }
            }
            let reviewIds = try await openReviews(conn, department: department.id, catalogDepartment: profile?.catalogDepartment,
                                                  items: heldItems, matches: context.matches)

            var results: [RecordResult] = []
            var rows = RecordRows()
            for c in candidates {
                let record = c.record
                var result = RecordResult(index: c.index, localId: record.localId, status: .rejected)
                let hash = hashes[c.index]!
                let existing = versions[record.localId] ?? []
                if duplicates.contains(c.index), let original = existing.first(where: { $0.contentHash == hash && $0.status != .rejected }) {
                    result.status = .duplicate
                    result.originalStatus = original.status
                    result.fill(from: original)
                    results.append(result)
                    continue
                }
                let version = (existing.map(\.version).max() ?? 0) + 1
                // The province knows the record once a version was accepted (delivered or queued); before, it is an insert.
                let known = existing.contains { $0.status == .accepted }
                let operation = record.operation == .delete ? "D" : (known ? "U" : "I")
                var stored = StoredVersion(version: version, contentHash: hash, status: .held, operation: operation)
                switch final[c.index]! {
                case .rejected(let errors):
                    result.errors = errors
                    results.append(result)
                    continue
                case .held:
                    // Wait on the review of an earlier version that is still held, else on this item's own review —
                    // never on the (closed) review of a version that was already released or rejected.
                    stored.reviewId = waitOn[c.index]
                        ?? existing.last(where: { $0.status == .held })?.reviewId
                        ?? record.item.localCode.flatMap { reviewIds[$0] }
                    rows.append(department: department.id, localId: record.localId, stored: stored, body: String(decoding: record.canonicalBytes, as: UTF8.self), batchId: batchId, release: nil)
                case let .resolved(catalogCode, implementationCode, rule, release):
                    let mappingRelease = release ?? record.item.localCode.flatMap { releases[$0]?.release }
                    let normalized = record.resolvedBytes(catalogCode: catalogCode, implementationCode: implementationCode)
                    let entry = chain.add(kind: "record", department: department.code, subject: "\(record.localId)#\(version)",
                                          payload: RecordEntry.payload(record: record, normalized: normalized, version: version, operation: operation,
                                                                       contentHash: hash, rule: rule, release: mappingRelease, batchId: batchId))
                    stored.status = .accepted
                    stored.ledgerSeq = entry.seq
                    stored.entryHash = entry.hashHex
                    stored.catalogCode = catalogCode
                    stored.implementationCode = implementationCode
                    stored.rule = rule.rawValue
                    rows.append(department: department.id, localId: record.localId, stored: stored, body: String(decoding: normalized, as: UTF8.self),
                                batchId: batchId, release: mappingRelease)
                }
                versions[record.localId, default: []].append(stored)
                result.status = stored.status
                result.version = version
                result.operation = operation
                result.fill(from: stored)
                results.append(result)
            }
            try await chain.flush(conn, logger: db.logger)
            try await rows.insert(conn, logger: db.logger)
            try await Reconciliation(db: db).tally(
                department: department.id, accepted: results.count { $0.status == .accepted }, held: results.count { $0.status == .held },
                duplicate: results.count { $0.status == .duplicate }, rejected: rejectedBefore + results.count { $0.status == .rejected }, on: conn)
            return results
        }
    }

    func storedVersions(_ conn: PostgresConnection, department: Int64, localIds: [String]) async throws -> [String: [StoredVersion]] {
        let rows = try await conn.query("""
            SELECT r.local_id, r.version, r.content_hash, r.status, r.operation, r.ledger_seq, l.entry_hash,
                   r.catalog_code, r.implementation_code, r.rule, r.review_id
            FROM records r LEFT JOIN ledger l ON l.seq = r.ledger_seq
            WHERE r.department_id = \(department) AND r.local_id = ANY(\(localIds))
            ORDER BY r.local_id, r.version
            """, logger: db.logger)
        var out: [String: [StoredVersion]] = [:]
        for try await (localId, version, hash, status, operation, seq, entryHash, catalogCode, implementationCode, rule, reviewId) in rows.decode(
            (String, Int, ByteBuffer, String, String, Int64?, ByteBuffer?, String?, String?, String?, Int64?).self)
        {
            out[localId, default: []].append(StoredVersion(
                version: version, contentHash: Array(hash.readableBytesView), status: RecordResult.Status(rawValue: status) ?? .rejected,
                operation: operation, ledgerSeq: seq, entryHash: entryHash.map { Array($0.readableBytesView).hex },
                catalogCode: catalogCode, implementationCode: implementationCode, rule: rule, reviewId: reviewId))
        }
        return out
    }

    /// Opens a review item per held local item, or refreshes the unresolved one; returns local code → review id.
    func openReviews(_ conn: PostgresConnection, department: Int64, catalogDepartment: String?,
                     items: [String: (CanonicalRecord, HoldReason)], matches: [String: MatchResult]) async throws -> [String: Int64] {
        guard !items.isEmpty else { return [:] }
        let codes = Array(items.keys)
        let names = codes.map { items[$0]!.0.item.localName ?? "" }
        let bases = codes.map { items[$0]!.0.item.legalBasis ?? "" }
        let kinds = codes.map { items[$0]!.0.kind.rawValue }
        let reasons = codes.map { items[$0]!.1.rawValue }
        let candidates = codes.map { RecordEntry.candidatesJSON(matches[$0]) }
        let rows = try await conn.query("""
            INSERT INTO review_items (department_id, local_code, local_name, legal_basis, record_kind, reason, catalog_department, candidates)
            SELECT \(department), code, nullif(name, ''), nullif(basis, ''), kind, reason, \(catalogDepartment), cands
            FROM unnest(\(codes)::text[], \(names)::text[], \(bases)::text[], \(kinds)::text[], \(reasons)::text[], \(candidates)::text[])
                 AS t(code, name, basis, kind, reason, cands)
            ON CONFLICT (department_id, local_code) WHERE status IN ('open', 'pending_approval')
            DO UPDATE SET last_seen_at = now()
            RETURNING local_code, id
            """, logger: db.logger)
        var out: [String: Int64] = [:]
        for try await (code, id) in rows.decode((String, Int64).self) { out[code] = id }
        return out
    }
}

extension RecordResult {
    mutating func fill(from stored: IngestStore.StoredVersion) {
        version = stored.version
        operation = stored.operation
        ledgerSeq = stored.ledgerSeq
        entryHash = stored.entryHash
        catalogCode = stored.catalogCode
        implementationCode = stored.implementationCode
        rule = stored.rule
        reviewId = stored.reviewId
    }
}

/// The `records` and `outbox` rows of one batch, written with COPY.
struct RecordRows {
    var records = CopyRows(table: "records", columns: [
        "department_id", "local_id", "version", "status", "operation", "content_hash", "body", "catalog_code",
        "implementation_code", "rule", "mapping_release", "review_id", "ledger_seq", "batch_id",
    ])
    var outbox = CopyRows(table: "outbox", columns: ["ledger_seq", "department_id", "local_id", "version", "cd_id", "cd_operation"])

    mutating func append(department: Int64, localId: String, stored: IngestStore.StoredVersion, body: String, batchId: String?, release: Int64?) {
        func text(_ s: String?) -> CopyRows.Field { s.map { .text($0) } ?? .null }
        func int(_ n: Int64?) -> CopyRows.Field { n.map { .int($0) } ?? .null }
        records.append([
            .int(department), .text(localId), .int(Int64(stored.version)), .text(stored.status.rawValue), .text(stored.operation),
            .bytes(stored.contentHash), .text(body), text(stored.catalogCode), text(stored.implementationCode), text(stored.rule),
            int(release), int(stored.reviewId), int(stored.ledgerSeq), text(batchId),
        ])
        // An accepted version is queued for the province; `cd_id` is its provincial idempotency key, chosen once.
        if let seq = stored.ledgerSeq {
            outbox.append([.int(seq), .int(department), .text(localId), .int(Int64(stored.version)),
                           .text(UUID().uuidString.lowercased()), .text(stored.operation)])
        }
    }

    /// Writes the versions, then the outbox rows (their ledger entries are already in this transaction).
    func insert(_ conn: PostgresConnection, logger: Logger) async throws {
        try await records.copy(conn, logger: logger)
        try await outbox.copy(conn, logger: logger)
    }
}
