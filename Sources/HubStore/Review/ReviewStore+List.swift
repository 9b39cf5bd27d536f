import PostgresNIO

/// The console's review queue as a list: filtered by status, department and kind, searched in the local
/// item's code, name and legal basis, sorted by a whitelisted column, paged by offset (the queue is small).
public struct ReviewListFilter: Sendable {
    /// `open` or `pending_approval`; nil: both.
    public var status: String?
    public var department: String?
    public var recordKind: String?
    public var search: String
    /// Departments the reader may see (nil: all).
    public var scope: [String]?

    public init(status: String? = nil, department: String? = nil, recordKind: String? = nil, search: String = "", scope: [String]?) {
        (self.status, self.department, self.recordKind, self.search, self.scope) = (status, department, recordKind, search, scope)
    }

    var condition: String {
        """
        (($1::text = '' AND r.status IN ('open', 'pending_approval')) OR r.status = $1::text)
        AND ($2::text IS NULL OR d.code = $2::text) AND ($3::text IS NULL OR r.record_kind = $3::text)
        AND ($4::text IS NULL OR d.code = ANY(string_to_array($4::text, ',')))
        AND ($5::text = '' OR r.local_code LIKE '%' || $5::text || '%' OR coalesce(r.local_name, '') LIKE '%' || $5::text || '%'
             OR coalesce(r.legal_basis, '') LIKE '%' || $5::text || '%')
        """
    }

    var binds: [String?] { [status ?? "", department, recordKind, scope?.joined(separator: ","), LikePattern.escape(search)] }
}

/// The columns the review list may be sorted by (SQL never from the query).
public enum ReviewListSort: String, Sendable, CaseIterable {
    case waiting, id, openedAt, department, localCode

    var sql: String {
        switch self {
        case .waiting: "9"
        case .id: "r.id"
        case .openedAt: "r.opened_at"
        case .department: "d.code"
        case .localCode: "r.local_code"
        }
    }
}

extension ReviewStore {
    public func list(_ f: ReviewListFilter, sort: ReviewListSort, descending: Bool, offset: Int, limit: Int) async throws -> [Summary] {
        let order = descending ? "DESC" : "ASC"
        return try await summaries(where: f.condition, binds: f.binds, limit: limit, order: "\(sort.sql) \(order), r.id \(order)", offset: offset)
    }

    public func count(_ f: ReviewListFilter) async throws -> Int {
        var bindings = PostgresBindings()
        for b in f.binds { bindings.append(b) }
        let rows = try await db.client.query(
            PostgresQuery(
                unsafeSQL: "SELECT count(*)::int FROM review_items r JOIN departments d ON d.id = r.department_id WHERE \(f.condition)",
                binds: bindings
            ),
            logger: db.logger
        )
        for try await n in rows.decode(Int.self) { return n }
        return 0
    }
}
