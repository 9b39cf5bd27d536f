import Foundation
import PostgresNIO

/// Per department and day: what came in, what became of it, and whether the numbers add up — with the
/// difference explained where they do not. The day is the Asia/Shanghai calendar day the record arrived.
public struct Reconciliation: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// Counts one answered batch in the hour's intake tally (on `conn`, inside the batch's transaction, when given).
    public func tally(department: Int64, accepted: Int, held: Int, duplicate: Int, rejected: Int, on conn: PostgresConnection? = nil) async throws {
        let received = accepted + held + duplicate + rejected
        guard received > 0 else { return }
        let query: PostgresQuery = """
            INSERT INTO intake_tally (department_id, hour, received, accepted, held, duplicate, rejected)
            VALUES (\(department), date_trunc('hour', now()), \(received), \(accepted), \(held), \(duplicate), \(rejected))
            ON CONFLICT (department_id, hour) DO UPDATE SET received = intake_tally.received + excluded.received,
                accepted = intake_tally.accepted + excluded.accepted, held = intake_tally.held + excluded.held,
                duplicate = intake_tally.duplicate + excluded.duplicate, rejected = intake_tally.rejected + excluded.rejected
            """
        if let conn { try await conn.query(query, logger: db.logger) } else { try await db.client.query(query, logger: db.logger) }
    }

    public struct Row: Sendable, Hashable {
        public var department: String
        /// Answered at intake: every record of every batch.
        public var received = 0
        public var acceptedAtIntake = 0
        public var heldAtIntake = 0
        public var duplicates = 0
        public var rejectedAtIntake = 0
        /// Versions of the day now normalized and in the ledger (accepted at intake or released after review).
        public var normalized = 0
        /// Versions of the day still waiting for a review.
        public var stillHeld = 0
        /// Versions of the day rejected after review.
        public var rejectedAfterReview = 0
        /// Queued for the province.
        public var queued = 0
        public var delivered = 0
        public var provinceAccepted = 0
        public var provinceRejected = 0
        public var pending = 0
        public var dead = 0

        /// Each identity that should hold, and whether it does, with the explanation when it does not.
        public var checks: [(name: String, ok: Bool, explanation: String)] {
            var out: [(String, Bool, String)] = []
            let intake = acceptedAtIntake + heldAtIntake + duplicates + rejectedAtIntake
            out.append(
                (
                    "received = accepted + held + duplicate + rejected", received == intake,
                    received == intake
                        ? "" : "tally \(received) vs \(intake): a batch was answered but its tally was not written (crash between the two)"
                )
            )
            let fate = normalized + stillHeld + rejectedAfterReview
            let taken = acceptedAtIntake + heldAtIntake
            out.append(
                (
                    "accepted + held at intake = normalized + still held + rejected after review", taken == fate,
                    taken == fate
                        ? ""
                        : "\(taken) taken vs \(fate) accounted: \(taken > fate ? "versions missing from records" : "versions in records beyond the tally (tally lost in a crash)")"
                )
            )
            out.append(
                (
                    "normalized = queued for the province", normalized == queued,
                    normalized == queued ? "" : "\(normalized - queued) normalized versions have no outbox row"
                )
            )
            let out3 = delivered + provinceRejected + pending + dead
            out.append(
                (
                    "queued = delivered + rejected by the province + pending + dead", queued == out3,
                    queued == out3 ? "" : "\(queued) queued vs \(out3) accounted"
                )
            )
            if pending > 0 {
                out.append(("nothing pending", false, "\(pending) versions still on their way (delivery lag or the province is failing)"))
            }
            if dead > 0 { out.append(("no dead letters", false, "\(dead) versions in the dead-letter state: ops must re-queue them")) }
            return out
        }
    }

    /// The day's intake tally per department (sums of its hours, Asia/Shanghai day).
    func intake(day: String) async throws -> [String: (received: Int, accepted: Int, held: Int, duplicate: Int, rejected: Int)] {
        var out: [String: (Int, Int, Int, Int, Int)] = [:]
        for try await (dept, received, accepted, held, duplicate, rejected) in try await db.client.query(
            """
            SELECT d.code, sum(t.received)::int, sum(t.accepted)::int, sum(t.held)::int, sum(t.duplicate)::int, sum(t.rejected)::int
            FROM intake_tally t JOIN departments d ON d.id = t.department_id
            WHERE t.hour >= (\(day)::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
              AND t.hour < (\(day)::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
            GROUP BY d.code
            """,
            logger: db.logger
        ).decode((String, Int, Int, Int, Int, Int).self) {
            out[dept] = (received, accepted, held, duplicate, rejected)
        }
        return out
    }

    /// The report for `day` (`YYYY-MM-DD`), one row per department that had anything that day.
    public func report(day: String) async throws -> [Row] {
        var rows: [String: Row] = [:]
        func row(_ d: String) -> Row { rows[d] ?? Row(department: d) }
        for (dept, t) in try await intake(day: day) {
            var r = row(dept)
            r.received = t.received
            r.acceptedAtIntake = t.accepted
            r.heldAtIntake = t.held
            r.duplicates = t.duplicate
            r.rejectedAtIntake = t.rejected
            rows[dept] = r
        }
        for try await (dept, normalized, held, rejected) in try await db.client.query(
            """
            SELECT d.code, count(*) FILTER (WHERE r.status = 'accepted')::int, count(*) FILTER (WHERE r.status = 'held')::int,
                   count(*) FILTER (WHERE r.status = 'rejected')::int
            FROM records r JOIN departments d ON d.id = r.department_id
            WHERE r.received_at >= (\(day)::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
              AND r.received_at < (\(day)::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
            GROUP BY d.code
            """,
            logger: db.logger
        ).decode((String, Int, Int, Int).self) {
            var r = row(dept)
            r.normalized = normalized
            r.stillHeld = held
            r.rejectedAfterReview = rejected
            rows[dept] = r
        }
        for try await (dept, queued, delivered, accepted, rejected, pending, dead) in try await db.client.query(
            """
            SELECT d.code, count(*)::int, count(*) FILTER (WHERE o.state = 'delivered')::int,
                   count(*) FILTER (WHERE o.state = 'delivered')::int, count(*) FILTER (WHERE o.state = 'rejected')::int,
                   count(*) FILTER (WHERE o.state = 'pending')::int, count(*) FILTER (WHERE o.state = 'dead')::int
            FROM outbox o JOIN departments d ON d.id = o.department_id
            WHERE o.kind = 'record' AND o.received_at >= (\(day)::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
              AND o.received_at < (\(day)::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
            GROUP BY d.code
            """,
            logger: db.logger
        ).decode((String, Int, Int, Int, Int, Int, Int).self) {
            var r = row(dept)
            r.queued = queued
            r.delivered = delivered
            r.provinceAccepted = accepted
            r.provinceRejected = rejected
            r.pending = pending
            r.dead = dead
            rows[dept] = r
        }
        return rows.values.sorted { $0.department < $1.department }
    }
}

extension Reconciliation {
    /// Today at a glance, for the dashboard: read from the hourly tallies and the (small) sets of held,
    /// pending and dead rows — a few rows whatever the day's volume.
    public struct Today: Sendable {
        public var department: String
        public var received = 0
        public var accepted = 0
        public var rejected = 0
        public var delivered = 0
        public var provinceRejected = 0
        /// Waiting for a review now (any day).
        public var heldNow = 0
        public var pending = 0
        public var dead = 0
    }

    public func today(day: String) async throws -> [Today] {
        var rows: [String: Today] = [:]
        func row(_ d: String) -> Today { rows[d] ?? Today(department: d) }
        for (dept, t) in try await intake(day: day) {
            var r = row(dept)
            r.received = t.received
            r.accepted = t.accepted
            r.rejected = t.rejected
            rows[dept] = r
        }
        for try await (dept, delivered, rejected) in try await db.client.query(
            """
            SELECT d.code, sum(t.delivered)::int, sum(t.province_rejected)::int
            FROM delivery_tally t JOIN departments d ON d.id = t.department_id
            WHERE t.hour >= (\(day)::date)::timestamp AT TIME ZONE 'Asia/Shanghai'
              AND t.hour < (\(day)::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai'
            GROUP BY d.code
            """,
            logger: db.logger
        ).decode((String, Int, Int).self) {
            var r = row(dept)
            r.delivered = delivered
            r.provinceRejected = rejected
            rows[dept] = r
        }
        for try await (dept, held) in try await db.client.query(
            """
            SELECT d.code, count(*)::int FROM records r JOIN departments d ON d.id = r.department_id
            WHERE r.status = 'held' GROUP BY d.code
            """,
            logger: db.logger
        ).decode((String, Int).self) {
            var r = row(dept)
            r.heldNow = held
            rows[dept] = r
        }
        for try await (dept, pending, dead) in try await db.client.query(
            """
            SELECT d.code, count(*) FILTER (WHERE o.state = 'pending')::int, count(*) FILTER (WHERE o.state = 'dead')::int
            FROM outbox o JOIN departments d ON d.id = o.department_id
            WHERE o.state IN ('pending', 'dead') AND o.kind = 'record' GROUP BY d.code
            """,
            logger: db.logger
        ).decode((String, Int, Int).self) {
            var r = row(dept)
            r.pending = pending
            r.dead = dead
            rows[dept] = r
        }
        return rows.values.sorted { $0.department < $1.department }
    }

    /// The last 24 hours, hour by hour (Asia/Shanghai labels): records received and delivered.
    public func lastDay() async throws -> [(label: String, received: Int, delivered: Int)] {
        var out: [(String, Int, Int)] = []
        let rows = try await db.client.query(
            """
            WITH hours AS (SELECT generate_series(date_trunc('hour', now()) - interval '23 hours', date_trunc('hour', now()), interval '1 hour') AS h),
                 i AS (SELECT hour, sum(received) AS n FROM intake_tally WHERE hour >= date_trunc('hour', now()) - interval '23 hours' GROUP BY hour),
                 d AS (SELECT hour, sum(delivered) AS n FROM delivery_tally WHERE hour >= date_trunc('hour', now()) - interval '23 hours' GROUP BY hour)
            SELECT to_char(hours.h AT TIME ZONE 'Asia/Shanghai', 'HH24') || '时', coalesce(i.n, 0)::int, coalesce(d.n, 0)::int
            FROM hours LEFT JOIN i ON i.hour = hours.h LEFT JOIN d ON d.hour = hours.h ORDER BY hours.h
            """,
            logger: db.logger
        )
        for try await r in rows.decode((String, Int, Int).self) { out.append(r) }
        return out
    }
}
