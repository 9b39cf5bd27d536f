import Logging
import PostgresNIO

/// What the console's catalog browser and review pages read of the catalog: current items with how many
/// local items map to each, one item's versions and implementation items, and legal bases by code.
extension CatalogStore {
    /// A current catalog item in the browser's list.
    public struct ListedItem: Sendable {
        public var code: String
        public var name: String
        public var itemType: String
        public var department: String
        public var status: String
        public var version: Int
        /// Local items mapped to it (confirmed or needing review).
        public var mapped: Int
    }

    /// Current items whose code starts with `search` or whose name contains it, of `department` when given.
    public func browse(search: String, department: String?, limit: Int = 300) async throws -> [ListedItem] {
        var out: [ListedItem] = []
        for try await (code, name, type, dept, status, version, mapped) in try await db.client.query(
            """
            SELECT c.code, c.name, c.item_type, c.department, c.status, c.version,
                   (SELECT count(*)::int FROM item_mappings m WHERE m.catalog_code = c.code AND m.status IN ('confirmed', 'needs_review'))
            FROM catalog_current c
            WHERE (\(search) = '' OR c.code LIKE \(search) || '%' OR c.name LIKE '%' || \(search) || '%')
              AND (\(department)::text IS NULL OR c.department = \(department)::text)
            ORDER BY c.code LIMIT \(limit)
            """,
            logger: db.logger
        ).decode((String, String, String, String, String, Int, Int).self) {
            out.append(ListedItem(code: code, name: name, itemType: type, department: dept, status: status, version: version, mapped: mapped))
        }
        return out
    }

    /// The departments that own current catalog items, sorted.
    public func catalogDepartments() async throws -> [String] {
        var out: [String] = []
        for try await department in try await db.client.query("SELECT DISTINCT department FROM catalog_current ORDER BY 1", logger: db.logger)
            .decode(String.self)
        { out.append(department) }
        return out
    }

    /// One version of a catalog item, with its dates as the console shows them (Asia/Shanghai).
    public struct ItemVersion: Sendable {
        public var version: Int
        public var name: String
        public var itemType: String
        public var department: String
        public var legalBasis: String
        public var status: String
        public var effectiveFrom: String
        public var recordedAt: String
    }

    /// Every version of `code`, newest first.
    public func versions(code: String) async throws -> [ItemVersion] {
        var out: [ItemVersion] = []
        for try await (version, name, type, dept, basis, status, effective, recorded) in try await db.client.query(
            """
            SELECT version, name, item_type, department, legal_basis, status,
                   coalesce(\(unescaped: Self.effectiveDay), '-'),
                   to_char(recorded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')
            FROM catalog_items WHERE code = \(code) ORDER BY version DESC
            """,
            logger: db.logger
        ).decode((Int, String, String, String, String, String, String, String).self) {
            out.append(
                ItemVersion(
                    version: version,
                    name: name,
                    itemType: type,
                    department: dept,
                    legalBasis: basis,
                    status: status,
                    effectiveFrom: effective,
                    recordedAt: recorded
                )
            )
        }
        return out
    }

    /// A current implementation item of a catalog item.
    public struct ImplementationSummary: Sendable {
        public var code: String
        public var agencyName: String
        public var regionCode: String
        public var status: String
    }

    /// The current implementation items of `catalogCode`, by code.
    public func implementations(catalogCode: String, limit: Int = 100) async throws -> [ImplementationSummary] {
        var out: [ImplementationSummary] = []
        for try await (code, agency, region, status) in try await db.client.query(
            """
            SELECT code, agency_name, region_code, status FROM implementation_current WHERE catalog_code = \(catalogCode) ORDER BY code LIMIT \(limit)
            """,
            logger: db.logger
        ).decode((String, String, String, String).self) {
            out.append(ImplementationSummary(code: code, agencyName: agency, regionCode: region, status: status))
        }
        return out
    }

    /// The current legal basis of each of `codes` that exists.
    public func legalBases(codes: [String]) async throws -> [String: String] {
        guard !codes.isEmpty else { return [:] }
        var out: [String: String] = [:]
        for try await (code, basis) in try await db.client.query(
            "SELECT code, legal_basis FROM catalog_current WHERE code = ANY(\(codes))",
            logger: db.logger
        ).decode((String, String).self) {
            out[code] = basis
        }
        return out
    }
}
