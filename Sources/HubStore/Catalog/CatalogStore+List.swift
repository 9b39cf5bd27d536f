import PostgresNIO

/// The console's catalog list: current items filtered by type, status, department and hierarchy (main item
/// or sub-item), searched by code prefix or name, sorted by a whitelisted column and paged by offset (some
/// 13,000 items: small enough).
public struct CatalogListFilter: Sendable {
    /// `行政检查` … (the stored item type).
    public var itemType: String?
    /// `active` or `retired`.
    public var status: String?
    public var department: String?
    /// true: main items only (no parent); false: sub-items only.
    public var mainItems: Bool?
    public var search: String

    public init(itemType: String? = nil, status: String? = nil, department: String? = nil, mainItems: Bool? = nil, search: String = "") {
        (self.itemType, self.status, self.department, self.mainItems, self.search) = (itemType, status, department, mainItems, search)
    }
}

/// The columns the catalog list may be sorted by, each with its SQL (never from the query).
public enum CatalogListSort: String, Sendable, CaseIterable {
    case code, name, type, department, version, mapped

    var sql: String {
        switch self {
        case .code: "c.code"
        case .name: "c.name"
        case .type: "c.item_type"
        case .department: "c.department"
        case .version: "c.version"
        case .mapped: "coalesce(m.n, 0)"
        }
    }
}

extension CatalogStore {
    /// A current item of the list, with its parent when it is a sub-item.
    public struct ListRow: Sendable {
        public var item: ListedItem
        public var parentCode: String?
    }

    public func list(_ f: CatalogListFilter, sort: CatalogListSort, descending: Bool, offset: Int, limit: Int) async throws -> [ListRow] {
        var query: PostgresQuery = """
            SELECT c.code, c.name, c.item_type, c.department, c.status, c.version, coalesce(m.n, 0)::int, c.parent_code
            FROM catalog_current c
            LEFT JOIN (SELECT catalog_code, count(*) AS n FROM item_mappings WHERE status IN ('confirmed', 'needs_review') GROUP BY 1) m
                   ON m.catalog_code = c.code
            WHERE \(unescaped: "TRUE")
            """
        Self.appendFilter(f, to: &query)
        let order = descending ? "DESC" : "ASC"
        query.sql += " ORDER BY \(sort.sql) \(order), c.code \(order) LIMIT \(limit) OFFSET \(offset)"
        var out: [ListRow] = []
        for try await (code, name, type, dept, status, version, mapped, parent) in try await db.client.query(query, logger: db.logger).decode(
            (String, String, String, String, String, Int, Int, String?).self
        ) {
            out.append(
                ListRow(
                    item: ListedItem(code: code, name: name, itemType: type, department: dept, status: status, version: version, mapped: mapped),
                    parentCode: parent
                )
            )
        }
        return out
    }

    public func count(_ f: CatalogListFilter) async throws -> Int {
        var query: PostgresQuery = "SELECT count(*)::int FROM catalog_current c WHERE \(unescaped: "TRUE")"
        Self.appendFilter(f, to: &query)
        for try await n in try await db.client.query(query, logger: db.logger).decode(Int.self) { return n }
        return 0
    }

    static func appendFilter(_ f: CatalogListFilter, to q: inout PostgresQuery) {
        if let type = f.itemType { q.and("c.item_type = ?", type) }
        if let status = f.status { q.and("c.status = ?", status) }
        if let department = f.department { q.and("c.department = ?", department) }
        if let main = f.mainItems { q.sql += main ? " AND c.parent_code IS NULL" : " AND c.parent_code IS NOT NULL" }
        if !f.search.isEmpty {
            let like = LikePattern.escape(f.search)
            q.and("(c.code LIKE ? OR c.name LIKE ?)", like + "%", "%" + like + "%")
        }
    }
}
