import Foundation
import HubModel
import Logging
import Normalization
import PostgresNIO

/// The provincial catalog: catalog items and implementation items, every version kept.
///
/// An import compares each row with the current version of its code and writes a new version only when
/// something changed; each change is also a ledger entry, so the catalog's history is as auditable as the
/// records coded against it.
public struct CatalogStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    public struct ImportSummary: Sendable, Equatable {
        public var rows = 0
        public var added = 0
        public var changed = 0
        public var unchanged = 0
        /// Confirmed mappings sent back to review because their catalog item changed or was retired.
        public var mappingsToReview = 0
        /// Items set by local legislation that received their provincial code (`LocalItemStore+Coding`).
        public var localItems = LocalItemStore.CodingSummary()
    }

    // MARK: Writing versions

    /// Writes new versions of what changed, in one transaction, with a ledger entry per change. The items come
    /// from a catalog file (`CatalogFile`) or the province's catalog feed (`CatalogChange.item`).
    ///
    /// Each row is compared with the code's latest version (a future-dated one included: importing the same file
    /// twice writes nothing). A version takes effect on its `effectiveFrom` day (00:00 +08:00); without one, a first
    /// version is stored effective `-infinity` (in force for every act date: the hub cannot know better) and a later
    /// version from the import on. The catalog writers are serialized (`lockWrites`), so the `seq` the tables
    /// assign commits in order and the department catalog API's cursor never skips a change.
    /// `replacing`: the feed's changes that code a local item, by provincial code (`LocalItemStore.code`, in this transaction).
    package func importCatalog(_ rows: [CatalogItem], replacing: [String: LocalItemStore.Replacement] = [:]) async throws -> ImportSummary {
        try await db.client.withTransaction(logger: db.logger) { conn in
            try await Self.lockWrites(conn, logger: db.logger)
            var current: [String: (Int, CatalogItem)] = [:]
            let existing = try await conn.query(
                """
                SELECT DISTINCT ON (code) code, version, name, item_type, department, legal_basis, parent_code, levels, status
                FROM catalog_items ORDER BY code, version DESC
                """,
                logger: db.logger
            )
            for try await (code, version, name, type, dept, basis, parent, levels, status) in existing.decode(
                (String, Int, String, String, String, String, String?, String, String).self
            ) {
                current[code] = (
                    version,
                    CatalogItem(
                        code: code,
                        name: name,
                        itemType: ItemType(rawValue: type) ?? .other,
                        department: dept,
                        legalBasis: basis,
                        parentCode: parent,
                        levels: levels,
                        status: CatalogStatus(rawValue: status) ?? .active,
                        effectiveFrom: nil
                    )
                )
            }
            var summary = ImportSummary()
            var drafts: [LedgerDraft] = []
            // What stood before this import (the mappings to reopen are judged against it); `current` moves on
            // row by row, so two changes to one item in one import become two versions, not one key clash.
            let before = current
            for row in rows {
                summary.rows += 1
                let old = current[row.code]
                let comparable = row.content
                if let old, old.1 == comparable {
                    summary.unchanged += 1
                    continue
                }
                let version = (old?.0 ?? 0) + 1
                if old == nil { summary.added += 1 } else { summary.changed += 1 }
                let refs = CitationParser.parse(row.legalBasis)
                let refsJSON = String(decoding: try JSONEncoder().encode(refs), as: UTF8.self)
                try await conn.query(
                    """
                    INSERT INTO catalog_items (code, version, name, item_type, department, legal_basis, legal_refs, parent_code, levels, status, effective_from)
                    VALUES (\(row.code), \(version), \(row.name), \(row.itemType.rawValue), \(row.department), \(row.legalBasis),
                            \(refsJSON)::jsonb, \(row.parentCode), \(row.levels), \(row.status.rawValue),
                            coalesce((\(row.effectiveFrom)::text || ' 00:00:00+08')::timestamptz,
                                     CASE WHEN \(version) = 1 THEN '-infinity'::timestamptz ELSE now() END))
                    """,
                    logger: db.logger
                )
                let payload = JSONValue.object([
                    ("change", .string(old == nil ? "added" : "changed")), ("version", .number(String(version))),
                    ("name", .string(row.name)), ("itemType", .string(row.itemType.rawValue)), ("department", .string(row.department)),
                    ("legalBasis", .string(row.legalBasis)), ("status", .string(row.status.rawValue)),
                ])
                drafts.append(LedgerDraft(kind: .catalog, department: "", subject: "catalog:\(row.code)", payload: CanonicalJSON.string(payload)))
                current[row.code] = (version, comparable)
            }
            _ = try await LedgerStore.append(drafts, conn, logger: db.logger)
            summary.mappingsToReview = try await reopenMappings(
                conn,
                changedCodes: rows.filter { row in
                    before[row.code].map { $0.1 != row.content } ?? false
                }.map(\.code)
            )
            summary.localItems = try await LocalItemStore.code(replacing, conn: conn, logger: db.logger)
            return summary
        }
    }

    /// A catalog item that changed or was retired puts the confirmed mappings pointing at it back into
    /// review: the mapping becomes `needs_review` and an open review item (reason `catalog_changed`) waits
    /// for a person; records of that local item are held until then.
    func reopenMappings(_ conn: PostgresConnection, changedCodes: [String]) async throws -> Int {
        guard !changedCodes.isEmpty else { return 0 }
        var count = 0
        let rows = try await conn.query(
            """
            WITH reopened AS (
                UPDATE item_mappings SET status = 'needs_review'
                WHERE status = 'confirmed' AND catalog_code = ANY(\(changedCodes)) RETURNING department_id, local_code, catalog_code)
            INSERT INTO review_items (department_id, local_code, record_kind, reason, candidates)
            SELECT r.department_id, r.local_code,
                   CASE c.item_type WHEN '行政检查' THEN 'inspection' WHEN '行政处罚' THEN 'penalty' WHEN '行政强制' THEN 'coercion' ELSE 'other' END,
                   'catalog_changed', '[]'
            FROM reopened r JOIN catalog_current c ON c.code = r.catalog_code
            ON CONFLICT (department_id, local_code) WHERE status IN ('open', 'pending_approval') DO UPDATE SET reason = 'catalog_changed'
            RETURNING 1
            """,
            logger: db.logger
        )
        for try await _ in rows.decode(Int.self) { count += 1 }
        // A proposal waiting for approval that points at a changed item goes back to the reviewers.
        try await conn.query(
            """
            WITH withdrawn AS (
                UPDATE item_mappings SET status = 'withdrawn' WHERE status = 'proposed' AND catalog_code = ANY(\(changedCodes)) RETURNING review_id)
            UPDATE review_items SET status = 'open', reason = 'catalog_changed', decided_mapping = NULL
            WHERE id IN (SELECT review_id FROM withdrawn) AND status = 'pending_approval'
            """,
            logger: db.logger
        )
        return count
    }

    /// Writes new versions of changed implementation items (no ledger entry: they follow their catalog item).
    /// A first version is effective `-infinity` (for every act date), a later one from the import on.
    package func importImplementation(_ rows: [ImplementationItem]) async throws -> ImportSummary {
        try await db.client.withTransaction(logger: db.logger) { conn in
            try await Self.lockWrites(conn, logger: db.logger)
            var current: [String: (Int, ImplementationItem)] = [:]
            let existing = try await conn.query(
                """
                SELECT DISTINCT ON (code) code, version, catalog_code, agency_code, agency_name, region_code, level
                FROM implementation_items ORDER BY code, version DESC
                """,
                logger: db.logger
            )
            for try await (code, version, catalogCode, agency, agencyName, region, level) in existing.decode(
                (String, Int, String, String, String, String, Int).self
            ) {
                current[code] = (
                    version,
                    ImplementationItem(
                        code: code,
                        catalogCode: catalogCode,
                        agencyCode: agency,
                        agencyName: agencyName,
                        regionCode: region,
                        level: level
                    )
                )
            }
            var summary = ImportSummary()
            for row in rows {
                summary.rows += 1
                let old = current[row.code]
                if let old, old.1 == row {
                    summary.unchanged += 1
                    continue
                }
                if old == nil { summary.added += 1 } else { summary.changed += 1 }
                try await conn.query(
                    """
                    INSERT INTO implementation_items (code, version, catalog_code, agency_code, agency_name, region_code, level, status, effective_from)
                    VALUES (\(row.code), \((old?.0 ?? 0) + 1), \(row.catalogCode), \(row.agencyCode), \(row.agencyName), \(row.regionCode), \(row.level), 'active',
                            CASE WHEN \(old == nil) THEN '-infinity'::timestamptz ELSE now() END)
                    """,
                    logger: db.logger
                )
            }
            return summary
        }
    }

    /// Serializes catalog writers (the `seq` trigger of migration 20 takes the same lock per row; taking it first
    /// keeps one import's rows together and orders it before the ledger head lock).
    static func lockWrites(_ conn: PostgresConnection, logger: Logger) async throws {
        try await conn.query("SELECT pg_advisory_xact_lock(7411020)", logger: logger)
    }

    // MARK: Reading for ingest

    /// The facts the item resolution needs, for the implementation codes a batch mentions.
    public func facts(implementationCodes: [String]) async throws -> [String: ImplementationFacts] {
        guard !implementationCodes.isEmpty else { return [:] }
        var out: [String: ImplementationFacts] = [:]
        for f in try await facts(where: "i.code = ANY($1)", implementationCodes) { out[f.implementationCode] = f }
        return out
    }

    /// Active implementation items of the given catalog items, by catalog code.
    public func implementations(catalogCodes: [String]) async throws -> [String: [ImplementationFacts]] {
        guard !catalogCodes.isEmpty else { return [:] }
        var out: [String: [ImplementationFacts]] = [:]
        for f in try await facts(where: "i.catalog_code = ANY($1) AND i.status = 'active'", catalogCodes) {
            out[f.catalogCode, default: []].append(f)
        }
        return out
    }

    func facts(where condition: String, _ codes: [String]) async throws -> [ImplementationFacts] {
        var bindings = PostgresBindings()
        bindings.append(codes)
        let rows = try await db.client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT i.code, i.catalog_code, i.agency_code, i.level, c.item_type, c.status, i.status
                    FROM implementation_current i JOIN catalog_current c ON c.code = i.catalog_code
                    WHERE \(condition) ORDER BY i.code
                    """,
                binds: bindings
            ),
            logger: db.logger
        )
        var out: [ImplementationFacts] = []
        for try await (code, catalogCode, agency, level, type, catalogStatus, status) in rows.decode(
            (String, String, String, Int, String, String, String).self
        ) {
            out.append(
                ImplementationFacts(
                    implementationCode: code,
                    catalogCode: catalogCode,
                    agencyCode: agency,
                    level: level,
                    itemType: ItemType(rawValue: type) ?? .other,
                    catalogActive: catalogStatus == "active",
                    implementationActive: status == "active"
                )
            )
        }
        return out
    }

    /// Implementation items of one agency (for the demo and tests: a department's own codes).
    public func implementations(
        agencyName: String? = nil,
        regionCode: String? = nil,
        limit: Int = 100
    ) async throws -> [(code: String, catalogCode: String, agencyCode: String, agencyName: String, itemType: ItemType)] {
        let rows = try await db.client.query(
            """
            SELECT i.code, i.catalog_code, i.agency_code, i.agency_name, c.item_type
            FROM implementation_current i JOIN catalog_current c ON c.code = i.catalog_code
            WHERE c.status = 'active' AND i.status = 'active'
              AND (\(agencyName)::text IS NULL OR i.agency_name = \(agencyName))
              AND (\(regionCode)::text IS NULL OR i.region_code = \(regionCode))
            ORDER BY i.code LIMIT \(limit)
            """,
            logger: db.logger
        )
        var out: [(String, String, String, String, ItemType)] = []
        for try await (code, catalogCode, agency, agencyName, type) in rows.decode((String, String, String, String, String).self) {
            out.append((code, catalogCode, agency, agencyName, ItemType(rawValue: type) ?? .other))
        }
        return out
    }

    public func counts() async throws -> (catalog: Int, implementation: Int) {
        var c = 0
        var i = 0
        for try await v in try await db.client.query("SELECT count(*)::int FROM catalog_current", logger: db.logger).decode(Int.self) { c = v }
        for try await v in try await db.client.query("SELECT count(*)::int FROM implementation_current", logger: db.logger).decode(Int.self) { i = v }
        return (c, i)
    }
}
