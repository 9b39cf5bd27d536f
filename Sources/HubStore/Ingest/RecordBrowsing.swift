import HubModel
import PostgresNIO

/// The console's records list (`/console/records`): every received version, filtered, sorted and paged by
/// keyset — the sort key and `(department, localId, version)` as tie-breakers, so a deep page costs what
/// the first does. Read-only; what it shows of a party is masked by the caller.
public struct RecordListFilter: Sendable {
    /// Departments the reader may see (nil: all).
    public var scope: [String]?
    public var department: String?
    /// `accepted`, `held` or `rejected`.
    public var status: String?
    /// A catalog code or its prefix (digits).
    public var itemPrefix: String?
    /// Days `YYYY-MM-DD`, inclusive, in Asia/Shanghai.
    public var from: String?
    public var to: String?
    /// A localId prefix, an exact party USCC / ID number, or part of the party's name.
    public var search: String

    public init(
        scope: [String]?,
        department: String? = nil,
        status: String? = nil,
        itemPrefix: String? = nil,
        from: String? = nil,
        to: String? = nil,
        search: String = ""
    ) {
        (self.scope, self.department, self.status, self.itemPrefix, self.from, self.to, self.search) =
            (scope, department, status, itemPrefix, from, to, search)
    }
}

/// The columns the records list may be sorted by, each with its SQL (whitelisted: never from the query).
public enum RecordListSort: String, Sendable, CaseIterable {
    case received, department, localId, item, status

    var sql: String {
        switch self {
        case .received: "r.received_at"
        case .department: "d.code"
        case .localId: "r.local_id"
        case .item: "coalesce(r.catalog_code, '')"
        case .status: "r.status"
        }
    }

    /// How the cursor's first value is read back.
    var cast: String { self == .received ? "timestamptz" : "text" }
}

/// One row of the records list.
public struct RecordListing: Sendable {
    public var department: String
    public var localId: String
    public var version: Int
    public var status: String
    public var operation: String
    /// `YYYY-MM-DD HH:mm` (+08:00).
    public var receivedAt: String
    public var catalogCode: String?
    public var partyName: String?
    public var partyIdNumber: String?
    /// Whether the party is a natural person (its ID number is masked for readers without `pii`).
    public var partyIsNaturalPerson: Bool
    /// The keyset cursor after this row: sort value, department id, localId, version.
    public var cursor: [String]
}

extension IngestStore {
    /// Up to `limit` rows after `after` (a cursor of `RecordListing.cursor`) in the given order.
    public func listRecords(
        _ f: RecordListFilter,
        sort: RecordListSort,
        descending: Bool,
        after: [String]?,
        limit: Int
    ) async throws -> [RecordListing] {
        let order = descending ? "DESC" : "ASC"
        var query: PostgresQuery = """
            SELECT d.code, r.local_id, r.version, r.status, r.operation::text,
                   to_char(r.received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), r.catalog_code,
                   p.party #>> '{name}', p.party #>> '{idNumber}', p.party #>> '{idType}', p.party #>> '{nature}',
                   (\(unescaped: sort.sql))::text, r.department_id::text
            FROM records r JOIN departments d ON d.id = r.department_id
            CROSS JOIN LATERAL (SELECT (r.body::jsonb) -> 'party' AS party) p
            WHERE \(unescaped: "TRUE")
            """
        Self.appendFilter(f, to: &query)
        if let after, after.count == 4, Int64(after[1]) != nil, Int(after[3]) != nil {
            let (a, b, c, d) = (query.bind(after[0]), query.bind(after[1]), query.bind(after[2]), query.bind(after[3]))
            query.sql += " AND (\(sort.sql), r.department_id, r.local_id, r.version) \(descending ? "<" : ">") "
            query.sql += "(\(a)::\(sort.cast), \(b)::bigint, \(c), \(d)::int)"
        }
        query.sql += " ORDER BY \(sort.sql) \(order), r.department_id \(order), r.local_id \(order), r.version \(order) LIMIT \(limit)"
        var out: [RecordListing] = []
        for try await row in try await db.client.query(query, logger: db.logger).decode(
            (String, String, Int, String, String, String, String?, String?, String?, String?, String?, String, String).self
        ) {
            let (dept, localId, version, status, operation, received, code, name, idNumber, idType, nature, sortValue, deptId) = row
            out.append(
                RecordListing(
                    department: dept,
                    localId: localId,
                    version: version,
                    status: status,
                    operation: operation,
                    receivedAt: received,
                    catalogCode: code,
                    partyName: name,
                    partyIdNumber: idNumber,
                    partyIsNaturalPerson: nature == "1" || idType.map(PersonalData.personalIdTypes.contains) == true,
                    cursor: [sortValue, deptId, localId, String(version)]
                )
            )
        }
        return out
    }

    /// How many rows the filter selects.
    public func countRecords(_ f: RecordListFilter) async throws -> Int {
        var query: PostgresQuery = """
            SELECT count(*)::int FROM records r JOIN departments d ON d.id = r.department_id WHERE \(unescaped: "TRUE")
            """
        Self.appendFilter(f, to: &query)
        for try await n in try await db.client.query(query, logger: db.logger).decode(Int.self) { return n }
        return 0
    }

    static func appendFilter(_ f: RecordListFilter, to q: inout PostgresQuery) {
        if let scope = f.scope { q.and("d.code = ANY(?)", any: scope) }
        if let department = f.department { q.and("d.code = ?", department) }
        if let status = f.status { q.and("r.status = ?", status) }
        if let item = f.itemPrefix { q.and("r.catalog_code LIKE ?", LikePattern.escape(item) + "%") }
        if let from = f.from { q.and("r.received_at >= ?", dayStart: from) }
        if let to = f.to { q.and("r.received_at < ?", dayEnd: to) }
        if !f.search.isEmpty {
            let like = LikePattern.escape(f.search)
            q.and(
                "(r.local_id LIKE ? OR ((r.body::jsonb) #>> '{party,idNumber}') = ? OR ((r.body::jsonb) #>> '{party,name}') LIKE ?)",
                like + "%",
                f.search.uppercased(),
                "%" + like + "%"
            )
        }
    }
}
