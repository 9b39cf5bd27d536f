import HubModel
import PostgresNIO

extension CatalogStore {
    /// One implementation item of a department's agencies with its catalog item, as `GET /api/v1/catalog` answers it.
    public struct DepartmentItem: Sendable, Hashable {
        public var implementationCode: String
        public var agencyCode: String
        public var agencyName: String
        public var regionCode: String
        public var level: Int
        public var catalogCode: String
        public var name: String
        public var itemType: String
        public var legalBasis: String
        public var parentCode: String?
        /// `retired` when the catalog item or the implementation item is (in the newest versions).
        public var status: String
        /// The later of the two versions' effective days (`YYYY-MM-DD`); nil when both stand since before any date.
        public var effectiveFrom: String?
        public var version: Int
        public var implementationVersion: Int
        /// Where this row stands in the change order.
        public var position: CatalogCursor
    }

    /// The newest version of every implementation item of `agencies` (and of its catalog item) whose last change
    /// comes after `after`, in change order (seq, then implementation code); `limit + 1` rows are read to say
    /// whether more follow.
    ///
    /// A change is a new version of the implementation item or of its catalog item; its `seq` comes from the tables
    /// (migration 20's trigger, under a transaction advisory lock every catalog writer takes), so seq order is
    /// commit order and a cursor taken from an answer never skips a change committed later. Future-dated versions
    /// are answered when written (with their `effectiveFrom`): a system applies them on that day.
    public func departmentItems(
        agencies: [String],
        level: Int?,
        after: CatalogCursor,
        limit: Int
    ) async throws -> (items: [DepartmentItem], more: Bool) {
        guard !agencies.isEmpty else { return ([], false) }
        var out: [DepartmentItem] = []
        for try await r in try await db.client.query(
            """
            WITH impl AS (
                SELECT DISTINCT ON (code) * FROM implementation_items
                WHERE agency_code = ANY(\(agencies)) AND (\(level)::int IS NULL OR level = \(level))
                ORDER BY code, version DESC),
            cat AS (
                SELECT DISTINCT ON (code) * FROM catalog_items WHERE code IN (SELECT catalog_code FROM impl) ORDER BY code, version DESC),
            joined AS (
                SELECT i.code AS impl_code, i.agency_code, i.agency_name, i.region_code, i.level, c.code, c.name, c.item_type, c.legal_basis,
                       c.parent_code, CASE WHEN c.status = 'retired' OR i.status = 'retired' THEN 'retired' ELSE 'active' END AS status,
                       greatest(c.effective_from, i.effective_from) AS effective_from, c.version, i.version AS impl_version,
                       greatest(c.seq, i.seq) AS change
                FROM impl i JOIN cat c ON c.code = i.catalog_code)
            SELECT impl_code, agency_code, agency_name, region_code, level, code, name, item_type, legal_basis, parent_code, status,
                   CASE WHEN isfinite(effective_from) THEN to_char(effective_from AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') END,
                   version, impl_version, change
            FROM joined WHERE (change, impl_code) > (\(after.seq), \(after.code))
            ORDER BY change, impl_code LIMIT \(limit + 1)
            """,
            logger: db.logger
        ).decode((String, String, String, String, Int, String, String, String, String, String?, String, String?, Int, Int, Int64).self) {
            out.append(
                DepartmentItem(
                    implementationCode: r.0,
                    agencyCode: r.1,
                    agencyName: r.2,
                    regionCode: r.3,
                    level: r.4,
                    catalogCode: r.5,
                    name: r.6,
                    itemType: r.7,
                    legalBasis: r.8,
                    parentCode: r.9,
                    status: r.10,
                    effectiveFrom: r.11,
                    version: r.12,
                    implementationVersion: r.13,
                    position: CatalogCursor(seq: r.14, code: r.0)
                )
            )
        }
        let more = out.count > limit
        return (Array(out.prefix(limit)), more)
    }
}
