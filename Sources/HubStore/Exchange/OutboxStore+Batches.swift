import HubModel
import Logging
import PostgresNIO

extension OutboxStore {
    /// One non-record row of a batch: its key in its table, the row, and the ledger entry that records it.
    package struct QueuedRow: Sendable {
        package var key: String
        package var body: String
        package var ledgerSeq: Int64

        package init(key: String, body: String, ledgerSeq: Int64) {
            self.key = key
            self.body = body
            self.ledgerSeq = ledgerSeq
        }
    }

    /// `enqueue` for many rows of one kind and department in one statement (a draw's tasks): the same `local_id`
    /// (`kind:key`) and per-key `version` rule, so a draw of thousands of tasks holds the ledger lock for one
    /// round trip instead of one per task. Keys must be distinct within the call.
    package static func enqueue(
        _ kind: OutboundKind,
        rows: [QueuedRow],
        department: String,
        operation: Character = "U",
        on conn: PostgresConnection,
        logger: Logger
    ) async throws {
        precondition(kind != .record, "record versions are queued by RecordWriter")
        guard !rows.isEmpty else { return }
        let localIds = rows.map { kind.rawValue + ":" + $0.key }
        let result = try await conn.query(
            """
            INSERT INTO outbox (ledger_seq, department_id, local_id, version, cd_id, cd_operation, kind, body)
            SELECT r.seq, d.id, r.local_id,
                   coalesce((SELECT max(version) FROM outbox o WHERE o.department_id = d.id AND o.local_id = r.local_id), 0) + 1,
                   gen_random_uuid(), \(String(operation)), \(kind.rawValue), r.body
            FROM departments d,
                 unnest(\(localIds)::text[], \(rows.map(\.body))::text[], \(rows.map(\.ledgerSeq))::bigint[]) AS r(local_id, body, seq)
            WHERE d.code = \(department)
            RETURNING id
            """,
            logger: logger
        )
        var written = 0
        for try await _ in result.decode(Int64.self) { written += 1 }
        guard written == rows.count else { throw UnknownDepartment(code: department) }
    }
}
