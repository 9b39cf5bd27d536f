import HubModel
import PostgresNIO

extension CatalogStore {
    /// The day a version takes effect, in Asia/Shanghai; NULL for `-infinity` (a first version the publisher gave
    /// no date for: it stands for every earlier day).
    static let effectiveDay = "CASE WHEN isfinite(effective_from) THEN to_char(effective_from AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') END"

    /// Every version of the implementation items named, and of those of the catalog items named, with every version
    /// of their catalog items: what `ItemResolver` picks the versions in force on an act date from (indexed by
    /// migration 20). Reads all versions, future-dated ones included.
    public func timeline(implementationCodes: [String], catalogCodes: [String]) async throws -> CatalogTimeline {
        guard !implementationCodes.isEmpty || !catalogCodes.isEmpty else { return CatalogTimeline() }
        var implementations: [ImplementationVersion] = []
        for try await (code, version, day, catalogCode, agency, level, status) in try await db.client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT code, version, \(Self.effectiveDay), catalog_code, agency_code, level, status FROM implementation_items
                    WHERE code = ANY($1) OR catalog_code = ANY($2)
                    """,
                binds: {
                    var b = PostgresBindings()
                    b.append(implementationCodes)
                    b.append(catalogCodes)
                    return b
                }()
            ),
            logger: db.logger
        ).decode((String, Int, String?, String, String, Int, String).self) {
            implementations.append(
                ImplementationVersion(
                    code: code,
                    version: version,
                    effectiveOn: day.flatMap { CalendarDate($0) },
                    catalogCode: catalogCode,
                    agencyCode: agency,
                    level: level,
                    active: status == "active"
                )
            )
        }
        let items = Array(Set(implementations.map(\.catalogCode)).union(catalogCodes))
        var catalog: [CatalogVersion] = []
        for try await (code, version, day, type, status) in try await db.client.query(
            PostgresQuery(
                unsafeSQL: "SELECT code, version, \(Self.effectiveDay), item_type, status FROM catalog_items WHERE code = ANY($1)",
                binds: {
                    var b = PostgresBindings()
                    b.append(items)
                    return b
                }()
            ),
            logger: db.logger
        ).decode((String, Int, String?, String, String).self) {
            catalog.append(
                CatalogVersion(
                    code: code,
                    version: version,
                    effectiveOn: day.flatMap { CalendarDate($0) },
                    itemType: ItemType(rawValue: type) ?? .other,
                    active: status == "active"
                )
            )
        }
        return CatalogTimeline(catalog: catalog, implementations: implementations)
    }
}
