import Logging
import PostgresNIO

/// The review queue's totals, as the console's review page heads them.
extension ReviewStore {
    public struct Totals: Sendable {
        public var open = 0
        public var pendingApproval = 0
        /// Records held for review.
        public var waiting = 0
    }

    /// Counts over every department, or over `scope`'s departments only.
    public func totals(scope: [String]?) async throws -> Totals {
        let rows = try await db.client.query(
            """
            SELECT count(*) FILTER (WHERE r.status = 'open')::int, count(*) FILTER (WHERE r.status = 'pending_approval')::int,
                   (SELECT count(*)::int FROM records h JOIN departments hd ON hd.id = h.department_id
                    WHERE h.status = 'held' AND (\(scope)::text[] IS NULL OR hd.code = ANY(\(scope))))
            FROM review_items r JOIN departments d ON d.id = r.department_id
            WHERE r.status IN ('open', 'pending_approval') AND (\(scope)::text[] IS NULL OR d.code = ANY(\(scope)))
            """,
            logger: db.logger
        )
        for try await (open, pending, waiting) in rows.decode((Int, Int, Int).self) {
            return Totals(open: open, pendingApproval: pending, waiting: waiting)
        }
        return Totals()
    }
}
