import HubModel
import NIOCore
import PostgresNIO

/// The console's ledger list: entries filtered by kind, department, subject and day, keyset-paged by `seq`
/// (the primary key), so page 1,000 costs what page 1 does.
public struct LedgerListFilter: Sendable {
    /// Departments the reader may see (nil: all, including the hub's own entries without a department).
    public var scope: [String]?
    public var kind: LedgerKind?
    public var department: String?
    /// Days `YYYY-MM-DD`, inclusive, in Asia/Shanghai (the entry's recorded time).
    public var from: String?
    public var to: String?
    /// A subject's prefix.
    public var search: String

    public init(
        scope: [String]?,
        kind: LedgerKind? = nil,
        department: String? = nil,
        from: String? = nil,
        to: String? = nil,
        search: String = ""
    ) {
        (self.scope, self.kind, self.department, self.from, self.to, self.search) = (scope, kind, department, from, to, search)
    }
}

extension LedgerReader {
    /// One entry of the list, with its time.
    public struct Listed: Sendable {
        public var seq: Int64
        public var kind: String
        public var department: String
        public var subject: String
        /// `YYYY-MM-DD HH:mm` (+08:00).
        public var recordedAt: String
        public var entryHash: [UInt8]
    }

    /// Up to `limit` entries after `after` (a seq) in seq order (newest first when `descending`).
    public func list(_ f: LedgerListFilter, descending: Bool, after: Int64?, limit: Int) async throws -> [Listed] {
        var query: PostgresQuery = """
            SELECT seq, kind, department, subject,
                   to_char(to_timestamp(recorded_us / 1000000.0) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), entry_hash
            FROM ledger WHERE \(unescaped: "TRUE")
            """
        Self.appendFilter(f, to: &query)
        if let after { query.and(descending ? "seq < ?::bigint" : "seq > ?::bigint", String(after)) }
        query.sql += " ORDER BY seq \(descending ? "DESC" : "ASC") LIMIT \(limit)"
        var out: [Listed] = []
        for try await (seq, kind, department, subject, at, hash) in try await db.client.query(query, logger: db.logger).decode(
            (Int64, String, String, String, String, ByteBuffer).self
        ) {
            out.append(
                Listed(seq: seq, kind: kind, department: department, subject: subject, recordedAt: at, entryHash: Array(hash.readableBytesView))
            )
        }
        return out
    }

    static func appendFilter(_ f: LedgerListFilter, to q: inout PostgresQuery) {
        if let scope = f.scope { q.and("department = ANY(?)", any: scope) }
        if let kind = f.kind { q.and("kind = ANY(?)", any: kind.storedSpellings) }
        if let department = f.department { q.and("department = ?", department) }
        // recorded_us is microseconds since the epoch; the day's bounds are computed once, not per row.
        if let from = f.from { q.and("recorded_us >= (extract(epoch FROM ?) * 1000000)::bigint", dayStart: from) }
        if let to = f.to { q.and("recorded_us < (extract(epoch FROM ?) * 1000000)::bigint", dayEnd: to) }
        if !f.search.isEmpty { q.and("subject LIKE ?", LikePattern.escape(f.search) + "%") }
    }
}
