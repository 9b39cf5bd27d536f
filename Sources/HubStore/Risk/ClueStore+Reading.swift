import Foundation
import HubModel
import PostgresNIO
import Supervision

/// What the console, the reports and the department API read of clues. Read-only.
extension ClueStore {
    /// Which clues a list or a count covers. Every member is optional; `departments` is an ops user's scope (a
    /// clue is in it when assigned to, or named for, one of them; pending clues are in every scope).
    public struct Filter: Sendable, Hashable {
        public var status: ClueStatus?
        public var model: String?
        /// The assigned department.
        public var department: String?
        public var origin: ClueOrigin?
        /// true: overdue only; false: not overdue only.
        public var overdue: Bool?
        /// Received on or after / on or before (Asia/Shanghai dates).
        public var receivedFrom: CalendarDate?
        public var receivedTo: CalendarDate?
        public var departments: [String]?

        public init(
            status: ClueStatus? = nil,
            model: String? = nil,
            department: String? = nil,
            origin: ClueOrigin? = nil,
            overdue: Bool? = nil,
            receivedFrom: CalendarDate? = nil,
            receivedTo: CalendarDate? = nil,
            departments: [String]? = nil
        ) {
            self.status = status
            self.model = model
            self.department = department
            self.origin = origin
            self.overdue = overdue
            self.receivedFrom = receivedFrom
            self.receivedTo = receivedTo
            self.departments = departments
        }
    }

    /// One page of a list: the clues (newest first) and how many match in all.
    public struct Page: Sendable, Hashable {
        public var clues: [StoredClue]
        public var total: Int
        public var offset: Int
        public var limit: Int
    }

    /// Overdue as of the query's `$1` day.
    static let overdueSQL = "(c.status IN ('assigned', 'verified') AND c.overdue_from <= $1::date)"

    /// The `WHERE` of a filter, binds from `$2` on (`$1` is always today).
    static func condition(_ f: Filter, binds: inout PostgresBindings) -> String {
        var parts = ["true"]
        func bind(_ value: String) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        if let s = f.status { parts.append("c.status = \(bind(s.rawValue))") }
        if let m = f.model { parts.append("c.model = \(bind(m))") }
        if let d = f.department { parts.append("c.department = \(bind(d))") }
        if let o = f.origin { parts.append("c.origin = \(bind(o.rawValue))") }
        if let overdue = f.overdue { parts.append(overdue ? overdueSQL : "NOT \(overdueSQL)") }
        if let from = f.receivedFrom { parts.append("c.received_on >= \(bind(from.description))::date") }
        if let to = f.receivedTo { parts.append("c.received_on <= \(bind(to.description))::date") }
        if let scope = f.departments {
            binds.append(scope)
            let n = binds.count
            parts.append("(c.department IS NULL OR c.department = ANY($\(n)::text[]) OR c.named_departments && $\(n)::text[])")
        }
        return parts.joined(separator: " AND ")
    }

    /// A page of clues matching `filter`, newest first. `now` sets the day `overdue` is judged on.
    public func list(_ filter: Filter = Filter(), limit: Int = 50, offset: Int = 0, now: Date = Date()) async throws -> Page {
        var binds = PostgresBindings()
        binds.append(Self.day(now).description)
        let condition = Self.condition(filter, binds: &binds)
        let limit = max(1, min(limit, 500))
        let offset = max(0, offset)
        let logger = db.logger
        return try await db.client.withConnection { conn in
            var total = 0
            for try await n in try await conn.query(
                PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM clues c WHERE $1::date IS NOT NULL AND \(condition)", binds: binds),
                logger: logger
            ).decode(Int.self) { total = n }
            var out: [StoredClue] = []
            for try await text in try await conn.query(
                PostgresQuery(
                    unsafeSQL: """
                        SELECT to_jsonb(c)::text FROM clues c WHERE $1::date IS NOT NULL AND \(condition)
                        ORDER BY c.received_on DESC, c.id DESC LIMIT \(limit) OFFSET \(offset)
                        """,
                    binds: binds
                ),
                logger: logger
            ).decode(String.self) {
                guard let clue = StoredClue(row: try JSONParser().parse(Array(text.utf8))) else { throw UnreadableClue(row: text) }
                out.append(clue)
            }
            return Page(clues: out, total: total, offset: offset, limit: limit)
        }
    }

    /// One clue with its steps in order; nil when there is none (or `actor` may not see it: pass the department
    /// or the scoped ops user; `.hub` sees all).
    public func detail(_ clueId: String, for actor: ClueActor = .hub) async throws -> ClueDetail? {
        let logger = db.logger
        return try await db.client.withConnection { conn in
            guard let clue = try await Self.load(clueId, forUpdate: false, on: conn, logger: logger), Self.visible(clue, to: actor) else {
                return nil
            }
            var steps: [ClueStepRecord] = []
            for try await (seq, step, actor, payload, on, ledgerSeq) in try await conn.query(
                """
                SELECT seq, step, actor, payload::text, to_char(occurred_on, 'YYYY-MM-DD'), ledger_seq FROM clue_steps
                WHERE clue_id = \(clueId) ORDER BY seq
                """,
                logger: logger
            ).decode((Int, String, String, String, String, Int64).self) {
                steps.append(
                    ClueStepRecord(
                        seq: seq,
                        step: step,
                        actor: actor,
                        payload: try JSONParser().parse(Array(payload.utf8)),
                        occurredOn: CalendarDate(on)!,
                        ledgerSeq: ledgerSeq
                    )
                )
            }
            return ClueDetail(clue: clue, steps: steps)
        }
    }

    /// The clues a department system reads (`GET /api/v1/clues`): assigned to it or naming it, newest first.
    public func forDepartment(_ code: String, limit: Int = 100) async throws -> [StoredClue] {
        try await db.client.withConnection { conn in
            try await Self.rows(
                where: "c.department = $1 OR $1 = ANY(c.named_departments) ORDER BY c.received_on DESC, c.id DESC LIMIT \(max(1, min(limit, 500)))",
                [code],
                on: conn,
                logger: db.logger
            )
        }
    }
}
