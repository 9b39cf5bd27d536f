import Foundation
import PostgresNIO

/// What the review page reads of the catalog besides the candidates: where each item stands in the hierarchy
/// (主项 / 子项), and a search for the item to choose when the matcher offered none or the wrong ones.
extension CatalogStore {
    /// A current item's place in the catalog's hierarchy.
    public struct Place: Sendable {
        /// The parent item (code, name) of a sub-item (子项).
        public var parent: (code: String, name: String)?
        /// How many current sub-items a main item (主项) has.
        public var children: Int
    }

    /// The place of each of `codes` that is a sub-item or has sub-items.
    public func places(codes: [String]) async throws -> [String: Place] {
        guard !codes.isEmpty else { return [:] }
        var out: [String: Place] = [:]
        for try await (code, parent, parentName, children) in try await db.client.query(
            """
            SELECT c.code, nullif(c.parent_code, ''), p.name,
                   (SELECT count(*)::int FROM catalog_current k WHERE k.parent_code = c.code AND k.status = 'active')
            FROM catalog_current c LEFT JOIN catalog_current p ON p.code = nullif(c.parent_code, '')
            WHERE c.code = ANY(\(codes))
            """,
            logger: db.logger
        ).decode((String, String?, String?, Int).self) {
            let place = Place(parent: parent.map { ($0, parentName ?? "") }, children: children)
            if place.parent != nil || children > 0 { out[code] = place }
        }
        return out
    }

    /// An active current item found by the review page's search.
    public struct Found: Sendable {
        public var code: String
        public var name: String
        public var department: String
        public var legalBasis: String
        public var parentCode: String?
    }

    /// Active current items of `itemType` (the catalog's 行政检查 …) whose code starts with `query` or whose name
    /// or legal basis contains it, sub-items after their main item; at most `limit`. `%` and `_` are matched
    /// as typed.
    public func searchActive(_ query: String, itemType: String, limit: Int = 20) async throws -> [Found] {
        let q = query.trimmingCharacters(in: .whitespaces)
        guard !q.isEmpty else { return [] }
        let like = q.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(
            of: "_",
            with: "\\_"
        )
        var out: [Found] = []
        for try await (code, name, department, basis, parent) in try await db.client.query(
            """
            SELECT code, name, department, legal_basis, nullif(parent_code, '') FROM catalog_current
            WHERE status = 'active' AND item_type = \(itemType)
              AND (code LIKE \(like) || '%' OR name LIKE '%' || \(like) || '%' OR legal_basis LIKE '%' || \(like) || '%')
            ORDER BY coalesce(nullif(parent_code, ''), code), code LIMIT \(limit)
            """,
            logger: db.logger
        ).decode((String, String, String, String, String?).self) {
            out.append(Found(code: code, name: name, department: department, legalBasis: basis, parentCode: parent))
        }
        return out
    }
}
