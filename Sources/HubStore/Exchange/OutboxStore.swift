import Foundation
import HubModel
import Logging
import PostgresNIO

/// The provincial outbox: leases rows to a delivery worker, records what the province answered, and keeps
/// the three promises of delivery.
///
/// - **Several workers, several instances:** rows are leased with `FOR UPDATE SKIP LOCKED` and a lease time,
///   so concurrent workers take disjoint rows, and a crashed worker's rows come back when its lease runs out.
/// - **Order per record:** a version is leased only when no earlier version of its record is still pending
///   or dead, so a later version can never reach the province first.
/// - **Exactly once:** every version has one `cd_id` for life; the province deduplicates by it, and an
///   answer is applied only by the worker that still holds the lease.
public struct OutboxStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// A leased row with what the province needs to receive it.
    public struct Item: Sendable, Hashable {
        public var id: Int64
        public var cdId: String
        public var ledgerSeq: Int64
        public var department: String
        public var localId: String
        public var version: Int
        public var operation: String
        /// When the version was queued, `+08:00` (the envelope's `cd_time`).
        public var queuedAt: String
        /// The normalized canonical record, or for another kind the row as queued (`outbox.body`).
        public var body: String
        public var attempts: Int
        /// `record`, or the provincial table of a 双随机 row (`OutboundKind`'s raw value, e.g. `rc_draw`).
        public var kind: String = "record"
    }

    /// Rows leased to one worker until `until`, under a token only it knows.
    public struct Lease: Sendable {
        public var token: String
        public var items: [Item]
    }

    /// Leases up to `limit` deliverable rows for `seconds`.
    public func claim(limit: Int, seconds: Int) async throws -> Lease {
        let token = UUID().uuidString
        var ids: [Int64] = []
        let rows = try await db.client.query(
            """
            WITH c AS (
                SELECT o.id FROM outbox o
                WHERE o.state = 'pending' AND o.next_attempt_at <= now() AND (o.lease_until IS NULL OR o.lease_until < now())
                  AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.department_id = o.department_id AND e.local_id = o.local_id
                                  AND e.id < o.id AND e.state IN ('pending', 'dead'))
                ORDER BY o.id LIMIT \(limit) FOR UPDATE OF o SKIP LOCKED)
            UPDATE outbox o SET lease_owner = \(token), lease_until = now() + make_interval(secs => \(Double(seconds)))
            FROM c WHERE o.id = c.id
            RETURNING o.id
            """,
            logger: db.logger
        )
        for try await id in rows.decode(Int64.self) { ids.append(id) }
        guard !ids.isEmpty else { return Lease(token: token, items: []) }
        var items: [Item] = []
        let details = try await db.client.query(
            """
            SELECT o.id, o.cd_id::text, o.ledger_seq, d.code, o.local_id, o.version, o.cd_operation,
                   to_char(o.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'), coalesce(o.body, r.body), o.attempts,
                   o.kind
            FROM outbox o JOIN departments d ON d.id = o.department_id
                 LEFT JOIN records r ON o.kind = 'record' AND r.department_id = o.department_id AND r.local_id = o.local_id
                                        AND r.version = o.version
            WHERE o.id = ANY(\(ids)) AND (o.kind <> 'record' OR r.body IS NOT NULL) ORDER BY o.id
            """,
            logger: db.logger
        )
        for try await (id, cdId, seq, dept, localId, version, op, queued, body, attempts, kind) in details.decode(
            (Int64, String, Int64, String, String, Int, String, String, String, Int, String).self
        ) {
            items.append(
                Item(
                    id: id,
                    cdId: cdId,
                    ledgerSeq: seq,
                    department: dept,
                    localId: localId,
                    version: version,
                    operation: op,
                    queuedAt: queued,
                    body: body,
                    attempts: attempts,
                    kind: kind
                )
            )
        }
        return Lease(token: token, items: items)
    }

    public struct BatchNumbersExhausted: Error, CustomStringConvertible {
        public var day: String
        public var description: String { "the day's 99,999 cd_batch numbers are used up (\(day)); delivery resumes at midnight Asia/Shanghai" }
    }

    /// The next `cd_batch` number: the day (Asia/Shanghai) and its 5-digit sequence. The format allows 99,999
    /// uploads a day (every try counts): past it the hub stops rather than send a malformed number.
    public func nextBatchNumber() async throws -> String {
        let rows = try await db.client.query(
            """
            WITH d AS (SELECT to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') AS day)
            INSERT INTO exchange_batch_days (day, last) SELECT day, 1 FROM d
            ON CONFLICT (day) DO UPDATE SET last = exchange_batch_days.last + 1
            RETURNING day, last
            """,
            logger: db.logger
        )
        for try await (day, last) in rows.decode((String, Int).self) {
            guard last <= 99_999 else { throw BatchNumbersExhausted(day: day) }
            return day + String(format: "%05d", last)
        }
        fatalError("INSERT … RETURNING returned no row")
    }

    /// What applying a receipt did.
    public struct Applied: Sendable, Equatable {
        public var delivered = 0
        public var rejected = 0
        public var retrying = 0
        public var dead = 0
        /// Rows whose lease had passed to another worker: left to that worker.
        public var lostLease = 0
        public var ledgerSeq: Int64 = 0
    }

    /// Records a receipt: a ledger entry with the province's signed words, then per row delivered, rejected
    /// (final; the department's receipt feed says why), retried later, or dead after `maxAttempts` retryable
    /// refusals. One transaction; rows whose lease this worker no longer holds are not touched.
    public func apply(
        lease: Lease,
        receiptId: String,
        cdBatch: String,
        receiptDocument: String,
        outcomes: [ProvincialRowOutcome],
        maxAttempts: Int,
        retryDelaySeconds: @Sendable (Int) -> Double
    ) async throws -> Applied {
        var byId: [String: ProvincialRowOutcome] = [:]
        for o in outcomes where byId[o.cdId] == nil { byId[o.cdId] = o }
        return try await db.client.withTransaction(logger: db.logger) { conn in
            var applied = Applied()
            var chain = try await LedgerChain(conn, logger: db.logger)
            let entry = chain.add(kind: .provincialReceipt, department: "", subject: cdBatch, payload: receiptDocument)
            try await chain.flush(conn, logger: db.logger)
            applied.ledgerSeq = entry.seq
            var held = Set<Int64>()
            let ids = lease.items.map(\.id)
            for try await id in try await conn.query(
                "SELECT id FROM outbox WHERE id = ANY(\(ids)) AND lease_owner = \(lease.token) FOR UPDATE",
                logger: db.logger
            ).decode(Int64.self) {
                held.insert(id)
            }
            var delivered: [Int64] = []
            var deliveredStatus: [String] = []
            var rejected: [Int64] = []
            var rejectedCode: [String] = []
            var rejectedMessage: [String] = []
            var retry: [Int64] = []
            var retryAt: [Double] = []
            var retryDead: [Bool] = []
            var retryCode: [String] = []
            for item in lease.items {
                guard held.contains(item.id) else {
                    applied.lostLease += 1
                    continue
                }
                let outcome =
                    byId[item.cdId]
                    ?? ProvincialRowOutcome(
                        cdId: item.cdId,
                        status: .rejected,
                        retryable: true,
                        code: "no_outcome",
                        message: "回执中没有该行 the receipt has no outcome for this row"
                    )
                switch (outcome.status, outcome.retryable) {
                case (.accepted, _), (.duplicate, _):
                    delivered.append(item.id)
                    deliveredStatus.append(outcome.status.rawValue)
                case (.rejected, false):
                    rejected.append(item.id)
                    rejectedCode.append(outcome.code ?? "rejected")
                    rejectedMessage.append(outcome.message ?? "")
                case (.rejected, true):
                    let attempts = item.attempts + 1
                    retry.append(item.id)
                    retryDead.append(attempts >= maxAttempts)
                    retryAt.append(retryDelaySeconds(attempts))
                    retryCode.append(outcome.code ?? "retryable")
                }
            }
            applied.delivered = delivered.count
            applied.rejected = rejected.count
            applied.dead = retryDead.count { $0 }
            applied.retrying = retry.count - applied.dead
            let receipt = receiptId
            if !delivered.isEmpty {
                try await conn.query(
                    """
                    UPDATE outbox o SET state = 'delivered', delivered_at = now(), province_status = t.status, cd_batch = \(cdBatch),
                           province_receipt = \(receipt), lease_owner = NULL, lease_until = NULL, last_error = NULL
                    FROM unnest(\(delivered)::bigint[], \(deliveredStatus)::text[]) AS t(id, status) WHERE o.id = t.id
                    """,
                    logger: db.logger
                )
            }
            if !rejected.isEmpty {
                try await conn.query(
                    """
                    UPDATE outbox o SET state = 'rejected', province_status = 'rejected', province_code = t.code, province_message = t.message,
                           cd_batch = \(cdBatch), province_receipt = \(receipt), lease_owner = NULL, lease_until = NULL
                    FROM unnest(\(rejected)::bigint[], \(rejectedCode)::text[], \(rejectedMessage)::text[]) AS t(id, code, message) WHERE o.id = t.id
                    """,
                    logger: db.logger
                )
            }
            if !retry.isEmpty {
                try await conn.query(
                    """
                    UPDATE outbox o SET attempts = o.attempts + 1, state = CASE WHEN t.dead THEN 'dead' ELSE 'pending' END,
                           next_attempt_at = now() + make_interval(secs => t.delay), last_error = t.code,
                           lease_owner = NULL, lease_until = NULL
                    FROM unnest(\(retry)::bigint[], \(retryAt)::float8[], \(retryDead)::bool[], \(retryCode)::text[]) AS t(id, delay, dead, code)
                    WHERE o.id = t.id
                    """,
                    logger: db.logger
                )
            }
            // The hour's delivery tally of records, per department (the dashboard reads it instead of counting the outbox).
            if !delivered.isEmpty || !rejected.isEmpty {
                try await conn.query(
                    """
                    INSERT INTO delivery_tally (department_id, hour, delivered, province_rejected)
                    SELECT o.department_id, date_trunc('hour', now()), count(*) FILTER (WHERE o.id = ANY(\(delivered))),
                           count(*) FILTER (WHERE o.id = ANY(\(rejected)))
                    FROM outbox o WHERE o.id = ANY(\(delivered + rejected)) AND o.kind = 'record' GROUP BY o.department_id
                    ON CONFLICT (department_id, hour) DO UPDATE SET delivered = delivery_tally.delivered + excluded.delivered,
                        province_rejected = delivery_tally.province_rejected + excluded.province_rejected
                    """,
                    logger: db.logger
                )
            }
            // The department hears of every final answer about its records: accepted (delivered) or rejected by the
            // province. Rows of other kinds (双随机 lists, plans, draws, tasks) have no record version to answer for: the
            // receipt feed is the records' feed, and their outcome stays on the outbox row and in the ledger's receipt.
            let finals = delivered + rejected
            if !finals.isEmpty {
                let statuses = delivered.map { _ in "accepted" } + rejected.map { _ in "rejected" }
                let codes = delivered.map { _ in "" } + rejectedCode
                let messages = delivered.map { _ in "" } + rejectedMessage
                try await conn.query(
                    """
                    INSERT INTO receipts (department_id, local_id, version, kind, status, detail)
                    SELECT o.department_id, o.local_id, o.version, 'province', t.status,
                           json_build_object('cdId', o.cd_id, 'cdBatch', \(cdBatch), 'receiptId', \(receipt), 'ledgerSeq', \(entry.seq),
                                             'code', nullif(t.code, ''), 'message', nullif(t.message, ''))::text
                    FROM unnest(\(finals)::bigint[], \(statuses)::text[], \(codes)::text[], \(messages)::text[]) AS t(id, status, code, message)
                    JOIN outbox o ON o.id = t.id WHERE o.kind = 'record' ORDER BY o.id
                    """,
                    logger: db.logger
                )
            }
            return applied
        }
    }

    /// Gives the rows back after a failed send (no receipt): due again after `delay`. A province that is
    /// down is not the records' fault, so an outage leaves attempts unchanged; a refusal that may be theirs
    /// (`countsAttempt`: a 4xx, an untrustworthy receipt) counts one, and after `maxAttempts` the rows are dead.
    public func release(_ lease: Lease, delaySeconds: Double, error: String, countsAttempt: Bool = false, maxAttempts: Int = .max) async throws {
        let ids = lease.items.map(\.id)
        guard !ids.isEmpty else { return }
        let step = countsAttempt ? 1 : 0
        try await db.client.query(
            """
            UPDATE outbox SET lease_owner = NULL, lease_until = NULL, last_error = \(String(error.prefix(500))),
                   attempts = attempts + \(step),
                   state = CASE WHEN attempts + \(step) >= \(maxAttempts) THEN 'dead' ELSE 'pending' END,
                   next_attempt_at = now() + make_interval(secs => \(delaySeconds))
            WHERE id = ANY(\(ids)) AND lease_owner = \(lease.token)
            """,
            logger: db.logger
        )
    }

    // MARK: What ops staff see and do

    /// Pending rows, and the age of the oldest in seconds (the delivery lag).
    public func backlog() async throws -> (pending: Int, dead: Int, lagSeconds: Double) {
        let rows = try await db.client.query(
            """
            SELECT (SELECT count(*) FROM outbox WHERE state = 'pending')::int,
                   (SELECT count(*) FROM outbox WHERE state = 'dead')::int,
                   coalesce(extract(epoch FROM now() - (SELECT created_at FROM outbox WHERE state = 'pending' ORDER BY id LIMIT 1)), 0)::float8
            """,
            logger: db.logger
        )
        for try await r in rows.decode((Int, Int, Double).self) { return r }
        return (0, 0, 0)
    }

    public struct DeadLetter: Sendable {
        public var id: Int64
        public var department: String
        public var localId: String
        public var version: Int
        public var attempts: Int
        public var lastError: String?
        public var queuedAt: String
    }

    public func deadLetters(limit: Int = 200) async throws -> [DeadLetter] {
        var out: [DeadLetter] = []
        let rows = try await db.client.query(
            """
            SELECT o.id, d.code, o.local_id, o.version, o.attempts, o.last_error,
                   to_char(o.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS')
            FROM outbox o JOIN departments d ON d.id = o.department_id
            WHERE o.state = 'dead' ORDER BY o.id LIMIT \(limit)
            """,
            logger: db.logger
        )
        for try await (id, dept, localId, version, attempts, error, queued) in rows.decode((Int64, String, String, Int, Int, String?, String).self) {
            out.append(
                DeadLetter(id: id, department: dept, localId: localId, version: version, attempts: attempts, lastError: error, queuedAt: queued)
            )
        }
        return out
    }

    /// Puts dead rows back in the queue (attempts reset), with a ledger entry naming who did it. Returns how many.
    public func requeue(ids: [Int64], by user: String) async throws -> Int {
        try await db.client.withTransaction(logger: db.logger) { conn in
            var requeued: [Int64] = []
            for try await id in try await conn.query(
                """
                UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL
                WHERE id = ANY(\(ids)) AND state = 'dead' RETURNING id
                """,
                logger: db.logger
            ).decode(Int64.self) { requeued.append(id) }
            guard !requeued.isEmpty else { return 0 }
            let payload = CanonicalJSON.string(
                .object([
                    ("action", .string("requeue_dead_letters")), ("by", .string(user)),
                    ("outboxIds", .array(requeued.sorted().map { .number(String($0)) })),
                ])
            )
            _ = try await LedgerStore.append(
                [LedgerDraft(kind: .opsAction, department: "", subject: OpsAction.outboxRequeue.rawValue, payload: payload)],
                conn,
                logger: db.logger
            )
            return requeued.count
        }
    }
}
