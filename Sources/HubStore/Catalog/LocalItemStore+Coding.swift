import HubModel
import Ingest
import Logging
import Normalization
import PostgresNIO

/// The province coded an item set by local legislation: its catalog feed carried the new item with the provisional
/// code it replaces (`CatalogChange.replaces`). Called by `CatalogStore.importCatalog` in the import's transaction,
/// after the catalog item was written under its provincial code, so that the item, its implementation items, the
/// moved mappings, the local item's status and the released records commit together or not at all.
extension LocalItemStore {
    /// What coding did, for the import's summary and the logs.
    public struct CodingSummary: Sendable, Equatable {
        public var coded = 0
        public var mappingsMoved = 0
        public var released = 0
        public var stillHeld = 0
    }

    /// A catalog change that codes a local item: the provisional code its item replaces, and the change as the feed
    /// sent it (the evidence of the mapping releases that follow).
    public struct Replacement: Sendable, Hashable {
        public var provisionalCode: String
        public var evidence: String

        public init(provisionalCode: String, evidence: String) {
            self.provisionalCode = provisionalCode
            self.evidence = evidence
        }
    }

    /// Codes the local items named by `replacing` (by provincial code). A provisional code the hub does not know,
    /// or an item already coded, is skipped (a feed page read again after a crash codes nothing twice).
    static func code(_ replacing: [String: Replacement], conn: PostgresConnection, logger: Logger) async throws -> CodingSummary {
        var summary = CodingSummary()
        for (provincial, replacement) in replacing.sorted(by: { $0.key < $1.key }) {
            let provisional = replacement.provisionalCode
            guard let item = try await item(provisionalCode: provisional, conn: conn, logger: logger) else {
                logger.warning("catalog change replaces an unknown provisional code", metadata: ["provisional": "\(provisional)"])
                continue
            }
            guard item.status != .coded else { continue }
            try await conn.query(
                "UPDATE local_items SET status = 'coded', provincial_code = \(provincial), coded_at = now() WHERE id = \(item.id)",
                logger: logger
            )
            let implementations = try await writeImplementations(item, provincialCode: provincial, conn: conn, logger: logger)
            var coded = item
            coded.status = .coded
            coded.provincialCode = provincial
            var chain = try await LedgerChain(conn, logger: logger)
            chain.add(kind: .localItem, department: item.department, subject: subject(item), payload: payload("coded", by: "province", coded))
            try await chain.flush(conn, logger: logger)
            summary.coded += 1
            let moved = try await moveMappings(
                from: provisional,
                to: provincial,
                evidence: replacement.evidence,
                conn: conn,
                logger: logger
            )
            summary.mappingsMoved += moved.count
            for (department, localCode) in moved {
                let outcome = try await releaseHeld(
                    department: department,
                    localCode: localCode,
                    implementations: implementations,
                    conn: conn,
                    logger: logger
                )
                summary.released += outcome.released
                summary.stillHeld += outcome.stillHeld
            }
        }
        return summary
    }

    /// The implementation items of the registering agencies under the provincial code (`LocalItemDraft.implementationCodes`),
    /// unless the province's implementation list already has that code; returns them as the resolution reads them.
    static func writeImplementations(
        _ item: LocalItem,
        provincialCode: String,
        conn: PostgresConnection,
        logger: Logger
    ) async throws -> [ImplementationFacts] {
        let derived = LocalItemDraft.implementationCodes(agencies: item.agencies, provincialCode: provincialCode)
        try await conn.query(
            """
            INSERT INTO implementation_items (code, version, catalog_code, agency_code, agency_name, region_code, level, status)
            SELECT t.code, 1, \(provincialCode), t.agency, coalesce((SELECT a.agency_name FROM department_agencies a WHERE a.agency_code = t.agency
                                                               AND a.agency_name IS NOT NULL LIMIT 1), ''), t.region, t.level, 'active'
            FROM unnest(\(derived.map(\.code))::text[], \(derived.map(\.agency))::text[], \(derived.map(\.region))::text[], \(derived.map(\.level))::int[])
                 AS t(code, agency, region, level)
            WHERE NOT EXISTS (SELECT 1 FROM implementation_items i WHERE i.code = t.code)
            """,
            logger: logger
        )
        return derived.map {
            ImplementationFacts(
                implementationCode: $0.code,
                catalogCode: provincialCode,
                agencyCode: $0.agency,
                level: $0.level,
                itemType: item.itemType,
                catalogActive: true,
                implementationActive: true
            )
        }
    }

    /// Every confirmed mapping to the provisional code gets a new release to the provincial code (rule
    /// `provincial-code`, decided by the hub, the feed's change as evidence); returns the (department, local code)
    /// pairs moved.
    static func moveMappings(
        from provisional: String,
        to provincial: String,
        evidence: String,
        conn: PostgresConnection,
        logger: Logger
    ) async throws -> [(Department, String)] {
        var mapped: [(Department, String, String)] = []
        for try await (id, code, name, localCode, relationship) in try await conn.query(
            """
            SELECT d.id, d.code, d.name, m.local_code, m.relationship FROM item_mappings m JOIN departments d ON d.id = m.department_id
            WHERE m.catalog_code = \(provisional) AND m.status = 'confirmed' ORDER BY d.code, m.local_code
            """,
            logger: logger
        ).decode((Int64, String, String, String, String).self) {
            mapped.append((Department(id: id, code: code, name: name), localCode, relationship))
        }
        guard !mapped.isEmpty else { return [] }
        var chain = try await LedgerChain(conn, logger: logger)
        for (department, localCode, relationship) in mapped {
            _ = try await MappingStore.insert(
                department: department,
                localCode: localCode,
                catalogCode: provincial,
                implementationCode: nil,
                relationship: relationship,
                rule: "provincial-code",
                decidedBy: "hub",
                reason: "省级赋码：临时编码 \(provisional) 由省级目录编码 \(provincial) 取代",
                evidence: evidence,
                reviewId: nil,
                status: "confirmed",
                conn: conn,
                chain: &chain,
                logger: logger
            )
        }
        try await chain.flush(conn, logger: logger)
        return mapped.map { ($0.0, $0.1) }
    }

    /// Releases the records held on the open review of a local item whose mapping now names a provincial code,
    /// through the same planner and writer a review's decision uses (`IngestPlanner.planRelease`, `RecordWriter`).
    /// Everything is read on `conn`: inside the ledger lock no second connection is asked for.
    static func releaseHeld(
        department: Department,
        localCode: String,
        implementations facts: [ImplementationFacts],
        conn: PostgresConnection,
        logger: Logger
    ) async throws -> (released: Int, stillHeld: Int) {
        var reviewId: Int64?
        for try await id in try await conn.query(
            """
            SELECT id FROM review_items WHERE department_id = \(department.id) AND local_code = \(localCode) AND status = 'open' FOR UPDATE
            """,
            logger: logger
        ).decode(Int64.self) { reviewId = id }
        guard let reviewId else { return (0, 0) }
        let held = try await ReviewStore.heldVersions(
            try await conn.query(ReviewStore.heldQuery(department: department.id, review: reviewId, lock: true), logger: logger)
        )
        var mapping: ConfirmedMapping?
        for try await (catalogCode, implementationCode, relationship, id) in try await conn.query(
            """
            SELECT catalog_code, implementation_code, relationship, id FROM item_mappings
            WHERE department_id = \(department.id) AND local_code = \(localCode) AND status = 'confirmed'
            """,
            logger: logger
        ).decode((String?, String?, String, Int64).self) {
            mapping = ConfirmedMapping(
                localCode: localCode,
                catalogCode: catalogCode,
                implementationCode: implementationCode,
                relationship: relationship,
                release: id
            )
        }
        guard let mapping, let catalogCode = mapping.catalogCode else { return (0, held.count) }
        let context = ResolutionContext(implementationsByCatalog: [catalogCode: facts], mappings: [localCode: mapping])
        let plan = IngestPlanner.planRelease(held, review: reviewId, release: mapping.release, context: context)
        try await conn.query(
            """
            UPDATE review_items SET status = \(ReviewStatus.closed.rawValue), closed_at = now(), decided_mapping = \(mapping.release) WHERE id = \(reviewId)
            """,
            logger: logger
        )
        var chain = try await LedgerChain(conn, logger: logger)
        _ = try await RecordWriter(department: department, catalogDepartment: nil, logger: logger).apply(plan, conn: conn, chain: &chain)
        return (plan.count(.accepted), plan.count(.held))
    }
}
