import HubModel
import Logging
import PostgresNIO

extension OutboxStore {
    /// One non-record row to queue: its key in its table, its operation, its body and the ledger entry recording it.
    package struct OutboundRow: Sendable {
        package var key: String
        package var operation: Character
        package var body: String
        package var ledgerSeq: Int64

        package init(key: String, operation: Character, body: String, ledgerSeq: Int64) {
            self.key = key
            self.operation = operation
            self.body = body
            self.ledgerSeq = ledgerSeq
        }
    }

    /// `enqueue` for many rows of one kind in one statement (a library batch of up to 5,000 rows), with the same
    /// numbering: `local_id` is `kind:key`, and each row's version follows the highest queued for its key — a key
    /// named twice in `rows` gets two consecutive versions, in order.
    package static func enqueue(
        _ kind: OutboundKind,
        rows: [OutboundRow],
        department: String,
        on conn: PostgresConnection,
        logger: Logger
    ) async throws {
        precondition(kind != .record, "record versions are queued by RecordWriter")
        guard !rows.isEmpty else { return }
        var seen: [String: Int32] = [:]
        var occurrence: [Int32] = []
        for row in rows {
            seen[row.key, default: 0] += 1
            occurrence.append(seen[row.key]!)
        }
        let localIds = rows.map { kind.rawValue + ":" + $0.key }
        let inserted = try await conn.query(
            """
            WITH u AS (
                SELECT * FROM unnest(\(rows.map(\.ledgerSeq))::bigint[], \(localIds)::text[], \(occurrence)::int[],
                                     \(rows.map { String($0.operation) })::text[], \(rows.map(\.body))::text[])
                         AS u(seq, local_id, n, op, body)),
            d AS (SELECT id FROM departments WHERE code = \(department)),
            prior AS (
                SELECT o.local_id, max(o.version) AS version FROM outbox o, d
                WHERE o.department_id = d.id AND o.local_id = ANY(\(Array(Set(localIds)))::text[]) GROUP BY o.local_id)
            INSERT INTO outbox (ledger_seq, department_id, local_id, version, cd_id, cd_operation, kind, body)
            SELECT u.seq, d.id, u.local_id, coalesce(prior.version, 0) + u.n, gen_random_uuid(), u.op, \(kind.rawValue), u.body
            FROM u CROSS JOIN d LEFT JOIN prior ON prior.local_id = u.local_id
            RETURNING id
            """,
            logger: logger
        )
        var count = 0
        for try await _ in inserted.decode(Int64.self) { count += 1 }
        guard count == rows.count else { throw UnknownDepartment(code: department) }
    }
}
