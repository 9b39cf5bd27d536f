import PostgresNIO

/// A department's feed of outcomes it did not wait for: held records released or rejected after review
/// (and, with the provincial sync, the province's receipts). Read with a cursor: the last id seen.
public struct ReceiptStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    public struct Receipt: Sendable {
        public var id: Int64
        public var localId: String
        public var version: Int
        public var kind: String
        public var status: String
        /// Canonical JSON of the details.
        public var detail: String
        public var createdAt: String
    }

    public func feed(department: Int64, after cursor: Int64, limit: Int = 100) async throws -> [Receipt] {
        var out: [Receipt] = []
        let rows = try await db.client.query(
            """
            SELECT id, local_id, version, kind, status, detail,
                   to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')
            FROM receipts WHERE department_id = \(department) AND id > \(cursor) ORDER BY id LIMIT \(min(max(limit, 1), 1000))
            """,
            logger: db.logger
        )
        for try await (id, localId, version, kind, status, detail, created) in rows.decode((Int64, String, Int, String, String, String, String).self)
        {
            out.append(Receipt(id: id, localId: localId, version: version, kind: kind, status: status, detail: detail, createdAt: created))
        }
        return out
    }
}
