import HubModel
import PostgresNIO
import Supervision

/// What ops and the lists read of claims: the published implementation items of a level (and region), and the
/// catalog items a department's agencies have not claimed at their level.
extension ClaimStore {
    /// The published claims of `level` (in `region`, or every region of the level), with their catalog items.
    public func publishedList(level: ClaimLevel, region: String?) async throws -> [CatalogList.Entry] {
        var out: [CatalogList.Entry] = []
        let rows = try await db.client.query(
            """
            SELECT c.catalog_code, i.name, i.item_type, i.legal_basis, i.parent_code, c.agency_code, c.agency_name,
                   coalesce(c.implementation_code, ''), c.region_code, c.check_content, c.check_method, c.check_frequency
            FROM catalog_claims c JOIN catalog_current i ON i.code = c.catalog_code
            WHERE c.status IN ('published', 'adjustment_proposed', 'withdrawal_proposed') AND c.level = \(level.rawValue)
              AND (\(region ?? "") = '' OR c.region_code = \(region ?? ""))
            ORDER BY c.region_code, c.catalog_code, c.agency_code
            """,
            logger: db.logger
        )
        for try await (code, name, type, basis, parent, agency, agencyName, implementation, regionCode, content, method, frequency) in rows.decode(
            (String, String, String, String, String?, String, String, String, String, String, String, String).self
        ) {
            out.append(
                CatalogList.Entry(
                    catalogCode: code,
                    name: name,
                    itemType: type,
                    legalBasis: basis,
                    parentCode: parent?.isEmpty == true ? nil : parent,
                    agencyCode: agency,
                    agencyName: agencyName,
                    implementationCode: implementation,
                    regionCode: regionCode,
                    level: level,
                    details: ClaimDetails(checkContent: content, checkMethod: method, checkFrequency: frequency)
                )
            )
        }
        return out
    }

    /// The regions that have published claims at `level` (for the lists' selection).
    public func listRegions(level: ClaimLevel) async throws -> [String] {
        var out: [String] = []
        for try await region in try await db.client.query(
            """
            SELECT DISTINCT region_code FROM catalog_claims
            WHERE status IN ('published', 'adjustment_proposed', 'withdrawal_proposed') AND level = \(level.rawValue) ORDER BY region_code
            """,
            logger: db.logger
        ).decode(String.self) { out.append(region) }
        return out
    }

    /// An active catalog item of the department's catalog department that one of its agencies has not published a
    /// claim of at the agency's level (its USCC's region: a prefecture is level 3, a district or county level 4).
    public struct Unclaimed: Sendable, Hashable {
        public var agencyCode: String
        public var agencyName: String
        public var level: ClaimLevel
        public var catalogCode: String
        public var name: String
        public var itemType: String
        /// Claimed, with the proposal waiting for approval (认领待审核).
        public var pending: Bool
    }

    /// The department's unclaimed items, by agency then code; at most `limit`, and how many there are in all.
    public func unclaimed(department: String, catalogDepartment: String, limit: Int = 500) async throws -> (items: [Unclaimed], total: Int) {
        var out: [Unclaimed] = []
        var total = 0
        let rows = try await db.client.query(
            """
            WITH agencies AS (
                SELECT a.agency_code, coalesce(a.agency_name, '') AS agency_name,
                       CASE WHEN substr(a.agency_code, 7, 2) = '00' THEN 3 ELSE 4 END AS level
                FROM department_agencies a JOIN departments d ON d.id = a.department_id WHERE d.code = \(department)),
            missing AS (
                SELECT g.agency_code, g.agency_name, g.level, i.code, i.name, i.item_type,
                       EXISTS (SELECT 1 FROM catalog_claims c WHERE c.catalog_code = i.code AND c.agency_code = g.agency_code
                               AND c.status = 'proposed') AS pending
                FROM agencies g JOIN catalog_current i
                  ON i.status = 'active' AND i.department = \(catalogDepartment) AND g.level::text = ANY(string_to_array(i.levels, '|'))
                WHERE NOT EXISTS (SELECT 1 FROM catalog_claims c WHERE c.catalog_code = i.code AND c.agency_code = g.agency_code
                                  AND c.status IN ('published', 'adjustment_proposed', 'withdrawal_proposed')))
            SELECT agency_code, agency_name, level, code, name, item_type, pending, count(*) OVER ()::int FROM missing
            ORDER BY agency_code, code LIMIT \(max(1, min(limit, 5000)))
            """,
            logger: db.logger
        )
        for try await (agency, name, level, code, itemName, type, pending, n) in rows.decode(
            (String, String, Int, String, String, String, Bool, Int).self
        ) {
            total = n
            out.append(
                Unclaimed(
                    agencyCode: agency,
                    agencyName: name,
                    level: ClaimLevel(rawValue: level) ?? .county,
                    catalogCode: code,
                    name: itemName,
                    itemType: type,
                    pending: pending
                )
            )
        }
        return (out, total)
    }
}
