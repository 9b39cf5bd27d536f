import HubModel
import Normalization
import PostgresNIO

extension CatalogStore {
    /// What ingest's item resolution reads from the catalog, in one statement (one round trip per push instead of
    /// four): the facts of the implementation codes named (`facts(implementationCodes:)`), the active implementation
    /// items of the catalog codes named (`implementations(catalogCodes:)`) — both as `implementation_current` and
    /// `catalog_current` give them — and every version of both (`timeline(implementationCodes:catalogCodes:)`).
    ///
    /// Read from the tables, not cached: a catalog import or a future-dated version reaching its day is seen by the
    /// next push. The "current" rows are the views' own rule (`effective_from <= now()`, newest first, then the
    /// highest version) applied to the versions of the codes involved only, not to the whole catalog.
    public func resolution(
        implementationCodes: [String],
        catalogCodes: [String]
    ) async throws -> (facts: [String: ImplementationFacts], byCatalog: [String: [ImplementationFacts]], timeline: CatalogTimeline) {
        guard !implementationCodes.isEmpty || !catalogCodes.isEmpty else { return ([:], [:], CatalogTimeline()) }
        var bindings = PostgresBindings()
        bindings.append(implementationCodes)
        if !catalogCodes.isEmpty { bindings.append(catalogCodes) }
        let rows = try await db.client.query(
            PostgresQuery(unsafeSQL: catalogCodes.isEmpty ? Self.resolutionByCodes : Self.resolutionSQL, binds: bindings),
            logger: db.logger
        )
        var facts: [String: ImplementationFacts] = [:]
        var byCatalog: [String: [ImplementationFacts]] = [:]
        var implementations: [ImplementationVersion] = []
        var catalog: [CatalogVersion] = []
        for try await (row, code, version, day, catalogCode, agency, level, type, status, catalogStatus) in rows.decode(
            (String, String, Int?, String?, String?, String?, Int?, String?, String, String?).self
        ) {
            switch row {
            case "i":
                implementations.append(
                    ImplementationVersion(
                        code: code,
                        version: version ?? 0,
                        effectiveOn: day.flatMap { CalendarDate($0) },
                        catalogCode: catalogCode ?? "",
                        agencyCode: agency ?? "",
                        level: level ?? 0,
                        active: status == "active"
                    )
                )
            case "c":
                catalog.append(
                    CatalogVersion(
                        code: code,
                        version: version ?? 0,
                        effectiveOn: day.flatMap { CalendarDate($0) },
                        itemType: ItemType(rawValue: type ?? "") ?? .other,
                        active: status == "active"
                    )
                )
            default:
                let f = ImplementationFacts(
                    implementationCode: code,
                    catalogCode: catalogCode ?? "",
                    agencyCode: agency ?? "",
                    level: level ?? 0,
                    itemType: ItemType(rawValue: type ?? "") ?? .other,
                    catalogActive: catalogStatus == "active",
                    implementationActive: status == "active"
                )
                if row == "f" { facts[code] = f } else { byCatalog[f.catalogCode, default: []].append(f) }
            }
        }
        return (facts, byCatalog, CatalogTimeline(catalog: catalog, implementations: implementations))
    }

    /// i: every version the timeline needs; ic: the current version of each code in i (over all its versions);
    /// c: every version of their catalog items and of the catalog codes named; cc: the current one of each.
    static let resolutionSQL = """
        WITH i AS (
            SELECT code, version, effective_from, catalog_code, agency_code, level, status FROM implementation_items
            WHERE code = ANY($1) OR catalog_code = ANY($2)),
        ic AS (
            SELECT DISTINCT ON (code) code, catalog_code, agency_code, level, status FROM implementation_items
            WHERE code IN (SELECT code FROM i) AND effective_from <= now() ORDER BY code, effective_from DESC, version DESC),
        c AS (
            SELECT code, version, effective_from, item_type, status FROM catalog_items
            WHERE code = ANY(ARRAY(SELECT catalog_code FROM i) || $2)),
        cc AS (
            SELECT DISTINCT ON (code) code, item_type, status FROM c
            WHERE effective_from <= now() ORDER BY code, effective_from DESC, version DESC)
        SELECT 'i', code, version, \(effectiveDay), catalog_code, agency_code, level, NULL::text, status, NULL::text FROM i
        UNION ALL
        SELECT 'c', code, version, \(effectiveDay), NULL, NULL, NULL, item_type, status, NULL FROM c
        UNION ALL
        SELECT 'f', ic.code, NULL, NULL, ic.catalog_code, ic.agency_code, ic.level, cc.item_type, ic.status, cc.status
        FROM ic JOIN cc ON cc.code = ic.catalog_code WHERE ic.code = ANY($1)
        UNION ALL
        SELECT 'm', ic.code, NULL, NULL, ic.catalog_code, ic.agency_code, ic.level, cc.item_type, ic.status, cc.status
        FROM ic JOIN cc ON cc.code = ic.catalog_code WHERE ic.catalog_code = ANY($2) AND ic.status = 'active'
        ORDER BY 1, 2, 3
        """

    /// `resolutionSQL` when no catalog code is named (every record carries both codes, the common push): i then holds
    /// every version of its codes, so their current versions come from i itself — half the planning and execution
    /// time of the general form (0.35 against 0.75 ms on the benchmark's catalog).
    static let resolutionByCodes = """
        WITH i AS (
            SELECT code, version, effective_from, catalog_code, agency_code, level, status FROM implementation_items
            WHERE code = ANY($1)),
        c AS (
            SELECT code, version, effective_from, item_type, status FROM catalog_items
            WHERE code = ANY(ARRAY(SELECT catalog_code FROM i)))
        SELECT 'i', code, version, \(effectiveDay), catalog_code, agency_code, level, NULL::text, status, NULL::text FROM i
        UNION ALL
        SELECT 'c', code, version, \(effectiveDay), NULL, NULL, NULL, item_type, status, NULL FROM c
        UNION ALL
        SELECT 'f', ic.code, NULL, NULL, ic.catalog_code, ic.agency_code, ic.level, cc.item_type, ic.status, cc.status
        FROM (SELECT DISTINCT ON (code) * FROM i WHERE effective_from <= now() ORDER BY code, effective_from DESC, version DESC) ic
        JOIN (SELECT DISTINCT ON (code) * FROM c WHERE effective_from <= now() ORDER BY code, effective_from DESC, version DESC) cc
          ON cc.code = ic.catalog_code
        ORDER BY 1, 2, 3
        """
}
