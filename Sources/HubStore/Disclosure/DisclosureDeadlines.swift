import Foundation
import HubModel
import Logging
import PostgresNIO

/// What the deadlines dashboard reads about 行政执法公示: per department, how many acts were published, how many
/// of them after their due date (the department reported the act too late for its 7 or 20 working days), how many
/// wait for a due date (no calendar loaded for the year), withheld and withdrawn; and the late, pending and
/// withdrawn publications themselves. Read-only: the publications are written with their records.
public struct DisclosureDeadlines: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// One department's counts.
    public struct DepartmentCounts: Sendable, Hashable {
        public var department: String
        public var name: String
        public var published = 0
        public var late = 0
        public var pending = 0
        public var withheld = 0
        public var withdrawn = 0
    }

    /// A publication the dashboard lists: late, waiting for its due date, or withdrawn.
    public struct Item: Sendable, Hashable {
        public var id: Int64
        public var department: String
        public var kind: String
        public var title: String
        public var actDate: String?
        public var dueDate: String?
        public var duePending: String?
        public var publishedOn: String
        public var status: String
        public var withdrawalReason: String?
        public var withdrawnOn: String?
    }

    /// Which list of `items(_:)`.
    public enum List: String, Sendable, CaseIterable {
        /// Published (or since withdrawn) after the due date.
        case late
        /// No due date yet: the year's calendar is not loaded.
        case pending
        /// Withdrawn (撤回), newest first.
        case withdrawn
    }

    static let publishedOn = "(p.published_at AT TIME ZONE 'Asia/Shanghai')::date"

    /// Counts per registered department (scoped to `departments` when given), in code order.
    public func counts(departments scope: [String]?) async throws -> [DepartmentCounts] {
        var rows: [DepartmentCounts] = []
        let query: PostgresQuery = """
            SELECT d.code, d.name,
                   count(p.id) FILTER (WHERE p.status = 'published')::int,
                   count(p.id) FILTER (WHERE p.status <> 'withheld' AND p.due_date IS NOT NULL
                                      AND (p.published_at AT TIME ZONE 'Asia/Shanghai')::date > p.due_date)::int,
                   count(p.id) FILTER (WHERE p.status <> 'withheld' AND p.due_pending IS NOT NULL)::int,
                   count(p.id) FILTER (WHERE p.status = 'withheld')::int,
                   count(p.id) FILTER (WHERE p.status = 'withdrawn')::int
            FROM departments d LEFT JOIN publications p ON p.department_code = d.code
            WHERE \(scope)::text[] IS NULL OR d.code = ANY(\(scope))
            GROUP BY d.code, d.name ORDER BY d.code
            """
        for try await (code, name, published, late, pending, withheld, withdrawn) in try await db.client.query(query, logger: db.logger)
            .decode((String, String, Int, Int, Int, Int, Int).self)
        {
            rows.append(
                DepartmentCounts(
                    department: code,
                    name: name,
                    published: published,
                    late: late,
                    pending: pending,
                    withheld: withheld,
                    withdrawn: withdrawn
                )
            )
        }
        return rows
    }

    /// The publications of one list (scoped to `departments` when given), newest first, at most `limit`.
    public func items(_ list: List, departments scope: [String]?, limit: Int = 500) async throws -> [Item] {
        let condition =
            switch list {
            case .late: "p.status <> 'withheld' AND p.due_date IS NOT NULL AND \(Self.publishedOn) > p.due_date"
            case .pending: "p.status <> 'withheld' AND p.due_pending IS NOT NULL"
            case .withdrawn: "p.status = 'withdrawn'"
            }
        var binds = PostgresBindings()
        binds.append(scope)
        let sql = """
            SELECT p.id, p.department_code, p.kind, p.title, to_char(p.act_date, 'YYYY-MM-DD'), to_char(p.due_date, 'YYYY-MM-DD'),
                   p.due_pending, to_char(\(Self.publishedOn), 'YYYY-MM-DD'), p.status, p.withdrawal_reason, to_char(p.withdrawn_on, 'YYYY-MM-DD')
            FROM publications p
            WHERE ($1::text[] IS NULL OR p.department_code = ANY($1)) AND \(condition)
            ORDER BY p.id DESC LIMIT \(limit)
            """
        var items: [Item] = []
        for try await r in try await db.client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: db.logger)
            .decode((Int64, String, String, String, String?, String?, String?, String, String, String?, String?).self)
        {
            items.append(
                Item(
                    id: r.0,
                    department: r.1,
                    kind: r.2,
                    title: r.3,
                    actDate: r.4,
                    dueDate: r.5,
                    duePending: r.6,
                    publishedOn: r.7,
                    status: r.8,
                    withdrawalReason: r.9,
                    withdrawnOn: r.10
                )
            )
        }
        return items
    }
}
