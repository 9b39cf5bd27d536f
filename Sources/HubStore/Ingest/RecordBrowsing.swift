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
    /// The review a held record waits for (digits): the review page's "all held records" link.
    public var review: String?
    /// Days `YYYY-MM-DD`, inclusive, in Asia/Shanghai.
    public var from: String?
    public var to: String?
    /// A localId prefix, an exact party USCC / ID number, or part of the party's name (`RecordSearch`).
    public var search: String

    public init(
        scope: [String]?,
        department: String? = nil,
        status: String? = nil,
        itemPrefix: String? = nil,
        from: String? = nil,
        to: String? = nil,
        search: String = "",
        review: String? = nil
    ) {
        (self.scope, self.department, self.status, self.itemPrefix, self.from, self.to, self.search, self.review) =
            (scope, department, status, itemPrefix, from, to, search, review)
    }
}

/// What a records search means, read from its text, so each kind of search can use what is fast for it:
/// a party's number (15–18 letters and digits, at least 14 digits) is matched exactly through the
/// `records_party` index; text with a non-ASCII character is part of a name, found in the record's stored text
/// (the party's, the subject's, the action's); anything else is a localId prefix.
public enum RecordSearch: Sendable, Equatable {
    case none
    case partyNumber(String)
    case partyName(String)
    case localIdPrefix(String)

    public init(_ text: String) {
        if text.isEmpty {
            self = .none
        } else if (15...18).contains(text.count), text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
            text.filter(\.isNumber).count >= 14
        {
            self = .partyNumber(text.uppercased())
        } else if text.unicodeScalars.contains(where: { !$0.isASCII }) {
            self = .partyName(text)
        } else {
            self = .localIdPrefix(text)
        }
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
        // The page's rows first (keys only), then their parties: parsing a body is the expensive part, done
        // for the rows shown, not for every row the sort looks at.
        var query: PostgresQuery = """
            SELECT p.code, p.local_id, p.version, p.status, p.operation,
                   to_char(p.received_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), p.catalog_code,
                   b.party #>> '{name}', b.party #>> '{idNumber}', b.party #>> '{idType}', b.party #>> '{nature}', p.sort_value, p.dept_id
            FROM (SELECT d.code, r.local_id, r.version, r.status, r.operation::text AS operation, r.received_at, r.catalog_code,
                         (\(unescaped: sort.sql))::text AS sort_value, r.department_id::text AS dept_id, r.department_id
                  FROM records r JOIN departments d ON d.id = r.department_id
                  WHERE \(unescaped: "TRUE")
            """
        Self.appendFilter(f, to: &query)
        if let after, after.count == 4, Int64(after[1]) != nil, Int(after[3]) != nil {
            let (a, b, c, d) = (query.bind(after[0]), query.bind(after[1]), query.bind(after[2]), query.bind(after[3]))
            // The bound on the sort column alone lets its index start at the cursor; the row comparison breaks ties.
            query.sql += " AND \(sort.sql) \(descending ? "<=" : ">=") \(a)::\(sort.cast)"
            query.sql += " AND (\(sort.sql), r.department_id, r.local_id, r.version) \(descending ? "<" : ">") "
            query.sql += "(\(a)::\(sort.cast), \(b)::bigint, \(c), \(d)::int)"
        }
        query.sql += " ORDER BY \(sort.sql) \(order), r.department_id \(order), r.local_id \(order), r.version \(order) LIMIT \(limit)) p"
        query.sql += " JOIN records rb ON rb.department_id = p.department_id AND rb.local_id = p.local_id AND rb.version = p.version"
        query.sql += " CROSS JOIN LATERAL (SELECT (rb.body::jsonb) -> 'party' AS party) b"
        query.sql += " ORDER BY \(Self.outerSort(sort)) \(order), p.department_id \(order), p.local_id \(order), p.version \(order)"
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

    /// The sort column as the outer query names it.
    static func outerSort(_ sort: RecordListSort) -> String {
        switch sort {
        case .received: "p.received_at"
        case .department: "p.code"
        case .localId: "p.local_id"
        case .item: "coalesce(p.catalog_code, '')"
        case .status: "p.status"
        }
    }

    /// How many rows the filter selects, counting at most `cap + 1` (a page says "more than `cap`"): counting
    /// every row of a filter the indexes cannot answer would cost a full scan per page.
    public func countRecords(_ f: RecordListFilter, cap: Int) async throws -> Int {
        var query: PostgresQuery = """
            SELECT count(*)::int FROM (SELECT 1 FROM records r JOIN departments d ON d.id = r.department_id WHERE \(unescaped: "TRUE")
            """
        Self.appendFilter(f, to: &query)
        query.sql += " LIMIT \(cap + 1)) x"
        for try await n in try await db.client.query(query, logger: db.logger).decode(Int.self) { return n }
        return 0
    }

    static func appendFilter(_ f: RecordListFilter, to q: inout PostgresQuery) {
        if let scope = f.scope { q.and("d.code = ANY(?)", any: scope) }
        if let department = f.department { q.and("d.code = ?", department) }
        if let status = f.status { q.and("r.status = ?", status) }
        if let item = f.itemPrefix { q.and("r.catalog_code LIKE ?", LikePattern.escape(item) + "%") }
        if let review = f.review { q.and("r.review_id = ?::bigint", review) }
        if let from = f.from { q.and("r.received_at >= ?", dayStart: from) }
        if let to = f.to { q.and("r.received_at < ?", dayEnd: to) }
        switch RecordSearch(f.search) {
        case .none: break
        case .partyNumber(let number): q.and("((r.body::jsonb) #>> '{party,idNumber}') = ?", number)
        case .partyName(let part):
            // The stored text (canonical JSON keeps Chinese as it is), not its parsed party: parsing every body
            // costs seconds at 100,000 records; a name in the record's other fields (subject, action) matches too.
            q.and("r.body LIKE ?", "%" + LikePattern.escape(part) + "%")
        case .localIdPrefix(let prefix): q.and("r.local_id LIKE ?", LikePattern.escape(prefix) + "%")
        }
    }
}
