import Foundation
import HubModel
import Ingest
import Logging
import PostgresNIO

/// 报送日志: writes one row per batch (in the batch's transaction when there is one), lists them by keyset
/// pages, shows one with its answers, and prunes the answers after the retention.
public struct MessageLogStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// One logged batch. `answers` and `batchErrors` are empty once pruned (`prunedAt`).
    public struct Batch: Sendable, Hashable {
        public var id: Int64
        public var receivedAt: Date
        public var direction: MessageDirection
        public var kind: String
        public var department: String
        public var departmentName: String
        public var system: String?
        public var format: String
        public var contentType: String?
        public var bodyBytes: Int
        public var batchId: String?
        public var status: MessageBatchStatus
        public var recordCount: Int
        public var accepted: Int
        public var held: Int
        public var duplicate: Int
        public var rejected: Int
        public var errorCode: String?
        public var errorCodes: [String]
        public var itemCodes: [String]
        public var batchErrors: [FieldError] = []
        public var answers: [MessageAnswer] = []
        public var prunedAt: Date?
    }

    // MARK: Writing

    /// Logs a batch whose records were answered, on `conn` (the batch's own transaction) or on its own.
    public func insert(_ entry: MessageLogEntry, answers: [MessageAnswer], on conn: PostgresConnection? = nil) async throws {
        try await insert(entry, summary: MessageSummary(answers: answers), answers: answers, batchErrors: [], on: conn)
    }

    /// Logs a batch refused as a whole (its own statement: nothing else was written). The errors are the
    /// hub's answer, never the body.
    public func insertRefusal(_ entry: MessageLogEntry, errors: [FieldError]) async throws {
        try await insert(entry, summary: MessageSummary(refusal: errors), answers: [], batchErrors: Array(errors.prefix(100)), on: nil)
    }

    /// Logs the batches of one group commit with one statement, on the group's transaction: a row per batch, as
    /// `insert(_:answers:on:)` writes it alone.
    public func insert(_ batches: [(MessageLogEntry, [MessageAnswer])], on conn: PostgresConnection) async throws {
        guard batches.count > 1 else {
            if let (entry, answers) = batches.first { try await insert(entry, answers: answers, on: conn) }
            return
        }
        let encoder = JSONEncoder()
        var binds = PostgresBindings()
        var rows: [String] = []
        for (entry, answers) in batches {
            let summary = MessageSummary(answers: answers)
            let first = answers.lazy.flatMap(\.errors).first?.code
            let n = binds.count
            binds.append(entry.origin.direction.rawValue)
            binds.append(entry.kind.rawValue)
            binds.append(entry.department)
            binds.append(entry.origin.system)
            binds.append(entry.origin.format)
            binds.append(entry.origin.contentType)
            binds.append(entry.origin.bodyBytes)
            binds.append(entry.batchId)
            binds.append(summary.status.rawValue)
            binds.append(summary.recordCount)
            binds.append(summary.accepted)
            binds.append(summary.held)
            binds.append(summary.duplicate)
            binds.append(summary.rejected)
            binds.append(first)
            binds.append(summary.errorCodes)
            binds.append(summary.itemCodes)
            binds.append(String(decoding: try encoder.encode(answers), as: UTF8.self))
            let p = (1...18).map { "$\(n + $0)" }
            rows.append("(\(p[0...16].joined(separator: ", ")), NULL, \(p[17])::jsonb)")
        }
        try await conn.query(
            PostgresQuery(
                unsafeSQL: """
                    INSERT INTO message_log (direction, kind, department, system, format, content_type, body_bytes, batch_id, status,
                        record_count, accepted, held, duplicate, rejected, error_code, error_codes, item_codes, batch_errors, answers)
                    VALUES \(rows.joined(separator: ", "))
                    """,
                binds: binds
            ),
            logger: db.logger
        )
    }

    func insert(
        _ entry: MessageLogEntry,
        summary: MessageSummary,
        answers: [MessageAnswer],
        batchErrors: [FieldError],
        on conn: PostgresConnection?
    ) async throws {
        let encoder = JSONEncoder()
        let answersJSON = String(decoding: try encoder.encode(answers), as: UTF8.self)
        let errorsJSON = batchErrors.isEmpty ? nil : String(decoding: try encoder.encode(batchErrors), as: UTF8.self)
        let first = batchErrors.first?.code ?? answers.lazy.flatMap(\.errors).first?.code
        let query: PostgresQuery = """
            INSERT INTO message_log (direction, kind, department, system, format, content_type, body_bytes, batch_id, status,
                record_count, accepted, held, duplicate, rejected, error_code, error_codes, item_codes, batch_errors, answers)
            VALUES (\(entry.origin.direction.rawValue), \(entry.kind.rawValue), \(entry.department), \(entry.origin.system),
                \(entry.origin.format), \(entry.origin.contentType), \(entry.origin.bodyBytes), \(entry.batchId), \(summary.status.rawValue),
                \(summary.recordCount), \(summary.accepted), \(summary.held), \(summary.duplicate), \(summary.rejected), \(first),
                \(summary.errorCodes), \(summary.itemCodes), \(errorsJSON)::jsonb, \(answersJSON)::jsonb)
            """
        if let conn { try await conn.query(query, logger: db.logger) } else { try await db.client.query(query, logger: db.logger) }
    }

    // MARK: Reading

    /// A page of batches matching `filter`, newest first, after the batch `after` (the previous page's last).
    /// Keyset paging on `(received_at, id)`: no offset and no count, so page 1 and page 500 cost the same.
    public func list(_ filter: MessageLogFilter, after: Int64? = nil, limit: Int = 50) async throws -> MessageLogPage {
        var conditions: [String] = []
        var binds = PostgresBindings()
        func bind(_ value: some PostgresNonThrowingEncodable & Sendable) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        if let d = filter.department { conditions.append("m.department = \(bind(d))") }
        if let scope = filter.scope { conditions.append("m.department = ANY(\(bind(scope))::text[])") }
        switch filter.status {
        case .rejected: conditions.append("m.status IN ('rejected', 'refused')")
        case .refused: conditions.append("m.status = 'refused'")
        case .held: conditions.append("m.held > 0")
        case .duplicate: conditions.append("m.duplicate > 0")
        case .accepted: conditions.append("m.status = 'accepted'")
        case nil: break
        }
        if let code = filter.errorCode { conditions.append("m.error_codes @> ARRAY[\(bind(code))::text]") }
        if let code = filter.itemCode { conditions.append("m.item_codes @> ARRAY[\(bind(code))::text]") }
        if let from = filter.from { conditions.append("m.received_at >= \(bind(from))") }
        if let until = filter.until { conditions.append("m.received_at < \(bind(until))") }
        if let direction = filter.direction { conditions.append("m.direction = \(bind(direction.rawValue))") }
        if let b = filter.batchId {
            let escaped = b.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            conditions.append("m.batch_id LIKE \(bind(escaped + "%"))")
        }
        if let after {
            conditions.append("(m.received_at, m.id) < (SELECT c.received_at, c.id FROM message_log c WHERE c.id = \(bind(after)))")
        }
        let sql =
            Self.select + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY m.received_at DESC, m.id DESC LIMIT \(max(1, limit) + 1)"
        var batches = try await rows(PostgresQuery(unsafeSQL: sql, binds: binds), details: false)
        let more = batches.count > limit
        if more { batches.removeLast() }
        return MessageLogPage(batches: batches, next: more ? batches.last?.id : nil)
    }

    /// One batch with its answers; nil when there is none or it lies outside `scope` (the same answer, so a
    /// scoped account learns nothing of other departments' batches).
    public func batch(_ id: Int64, scope: [String]? = nil) async throws -> Batch? {
        var binds = PostgresBindings()
        binds.append(id)
        var sql = Self.select + " WHERE m.id = $1"
        if let scope {
            binds.append(scope)
            sql += " AND m.department = ANY($2::text[])"
        }
        return try await rows(PostgresQuery(unsafeSQL: sql, binds: binds), details: true).first
    }

    /// The planner's estimate of the log's rows (no count over the table): what the list shows as its size.
    public func estimatedTotal() async throws -> Int {
        var total = 0
        for try await n in try await db.client.query(
            "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'message_log'::regclass",
            logger: db.logger
        ).decode(Int64.self) { total = Int(n) }
        return total
    }

    static let select = """
        SELECT m.id, m.received_at, m.direction, m.kind, m.department, coalesce(d.name, m.department), m.system, m.format,
               m.content_type, m.body_bytes, m.batch_id, m.status,
               ARRAY[m.record_count, m.accepted, m.held, m.duplicate, m.rejected]::int8[], m.error_code,
               m.error_codes, m.item_codes, m.pruned_at
        FROM message_log m LEFT JOIN departments d ON d.code = m.department
        """

    typealias Row = (
        Int64, Date, String, String, String, String, String?, String, String?, Int, String?, String, [Int], String?, [String], [String], Date?
    )

    private func rows(_ query: PostgresQuery, details: Bool) async throws -> [Batch] {
        var found: [Batch] = []
        for try await r in try await db.client.query(query, logger: db.logger).decode(Row.self) {
            let counts = r.12 + Array(repeating: 0, count: max(0, 5 - r.12.count))
            found.append(
                Batch(
                    id: r.0,
                    receivedAt: r.1,
                    direction: MessageDirection(rawValue: r.2) ?? .push,
                    kind: r.3,
                    department: r.4,
                    departmentName: r.5,
                    system: r.6,
                    format: r.7,
                    contentType: r.8,
                    bodyBytes: r.9,
                    batchId: r.10,
                    status: MessageBatchStatus(rawValue: r.11) ?? .refused,
                    recordCount: counts[0],
                    accepted: counts[1],
                    held: counts[2],
                    duplicate: counts[3],
                    rejected: counts[4],
                    errorCode: r.13,
                    errorCodes: r.14,
                    itemCodes: r.15,
                    prunedAt: r.16
                )
            )
        }
        guard details, var batch = found.first else { return found }
        let decoder = JSONDecoder()
        for try await (answers, errors) in try await db.client.query(
            "SELECT answers::text, batch_errors::text FROM message_log WHERE id = \(batch.id)",
            logger: db.logger
        ).decode((String?, String?).self) {
            batch.answers = try answers.map { try decoder.decode([MessageAnswer].self, from: Data($0.utf8)) } ?? []
            batch.batchErrors = try errors.map { try decoder.decode([FieldError].self, from: Data($0.utf8)) } ?? []
        }
        return [batch]
    }

    // MARK: Retention

    /// Clears the answers and batch errors of batches received before `cutoff`, in chunks so no long
    /// transaction holds the table; the rows, their counts and codes stay. Returns the batches pruned.
    @discardableResult
    public func prune(before cutoff: Date, chunk: Int = 5000) async throws -> Int {
        var total = 0
        while true {
            var n = 0
            for try await c in try await db.client.query(
                """
                WITH old AS (SELECT id FROM message_log WHERE pruned_at IS NULL AND received_at < \(cutoff) LIMIT \(chunk))
                UPDATE message_log m SET answers = NULL, batch_errors = NULL, pruned_at = now() FROM old WHERE m.id = old.id
                RETURNING 1
                """,
                logger: db.logger
            ).decode(Int.self) { n += c }
            total += n
            if n < chunk { return total }
        }
    }
}
