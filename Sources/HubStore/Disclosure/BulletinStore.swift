import Foundation
import HubModel
import Logging
import PostgresNIO
import Supervision

/// 监管动态 and 曝光台: a bulletin is proposed by one person, published when a second approves, and withdrawn
/// with a reason. Every step is one transaction with its ledger entry (`bulletin`); publishing and withdrawing
/// also queue a `portal_bulletin` row for the provincial service and work portals.
///
/// Who may act is the caller's check (`ReviewPolicy`); the store keeps four eyes — nobody approves a bulletin
/// they proposed — because that needs the stored proposer.
public struct BulletinStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// One bulletin as ops and the public side read it (`proposedBy`, `approvedBy` and `withdrawnBy` are for ops
    /// only; the public side leaves them out).
    public struct Bulletin: Sendable, Hashable {
        public var id: Int64
        public var kind: BulletinKind
        public var department: String
        public var departmentName: String
        public var title: String
        public var body: String
        public var recordLocalId: String?
        public var status: BulletinStatus
        public var proposedBy: String
        public var proposedAt: String
        public var approvedBy: String?
        public var publishedAt: String?
        public var withdrawnBy: String?
        public var withdrawnAt: String?
        public var withdrawalReason: String?
        /// For an exposure: the public 行政执法公示 of the decision it exposes, while that is published.
        public var decisionPublicationId: Int64?
    }

    /// Proposes a bulletin. The department must be registered; an exposure's record must be an accepted
    /// penalty record of that department (its newest version), since the exposure links to its decision.
    public func propose(_ draft: BulletinDraft, by user: String) async throws -> Bulletin {
        try await db.client.transaction(logger: db.logger) { conn in
            var known = false
            for try await _ in try await conn.query("SELECT 1 FROM departments WHERE code = \(draft.department)", logger: db.logger).decode(Int.self)
            {
                known = true
            }
            guard known else {
                throw StoreRefusal(.conflict, path: "department", code: "unknown_department", zh: "枢纽中没有该部门", en: "no such department in the hub")
            }
            if let localId = draft.recordLocalId {
                var penalty = false
                for try await isPenalty in try await conn.query(
                    """
                    SELECT r.status = 'accepted' AND r.operation <> 'D' AND (r.body::jsonb ? 'penalty')
                    FROM records r JOIN departments d ON d.id = r.department_id
                    WHERE d.code = \(draft.department) AND r.local_id = \(localId)
                    ORDER BY r.version DESC LIMIT 1
                    """,
                    logger: db.logger
                ).decode(Bool.self) {
                    penalty = isPenalty
                }
                guard penalty else {
                    throw StoreRefusal(
                        .conflict,
                        path: "recordLocalId",
                        code: "no_penalty_record",
                        zh: "该部门没有这条已接收的行政处罚记录，曝光台须关联处罚决定",
                        en: "the department has no accepted penalty record with this localId; an exposure links to a penalty decision"
                    )
                }
            }
            var chain = try await LedgerChain(conn, logger: db.logger)
            let entry = chain.add(
                kind: .bulletin,
                department: draft.department,
                subject: draft.kind.rawValue,
                payload: Self.text(.object([("event", .string("proposed")), ("by", .string(user)), ("bulletin", draft.json)]))
            )
            try await chain.flush(conn, logger: db.logger)
            var id: Int64 = 0
            for try await newId in try await conn.query(
                """
                INSERT INTO bulletins (kind, department, title, body, record_local_id, proposed_by, ledger_seq)
                VALUES (\(draft.kind.rawValue), \(draft.department), \(draft.title), \(draft.body), \(draft.recordLocalId), \(user), \(entry.seq))
                RETURNING id
                """,
                logger: db.logger
            ).decode(Int64.self) {
                id = newId
            }
            return try await Self.bulletin(id, conn: conn, logger: db.logger)!
        }
    }

    /// A second person publishes a proposed bulletin: ledger `bulletin` (published), outbox `portal_bulletin`.
    public func approve(_ id: Int64, by user: String) async throws -> Bulletin {
        try await db.client.transaction(logger: db.logger) { conn in
            let current = try await Self.lock(id, conn: conn, logger: db.logger)
            guard current.status == .proposed else { throw Self.wrongStatus(current.status, expected: .proposed) }
            guard current.proposedBy != user else {
                throw StoreRefusal(
                    .forbidden,
                    path: "id",
                    code: "own_bulletin",
                    zh: "不能批准本人撰写的内容（双人复核）",
                    en: "nobody approves a bulletin they proposed (four eyes)"
                )
            }
            try await conn.query(
                "UPDATE bulletins SET status = 'published', approved_by = \(user), published_at = now() WHERE id = \(id)",
                logger: db.logger
            )
            return try await record(id, event: "published", by: user, conn: conn)
        }
    }

    /// Withdraws a published bulletin with its reason (the portals are told; the public side no longer lists it).
    public func withdraw(_ id: Int64, reason: String, by user: String) async throws -> Bulletin {
        try await db.client.transaction(logger: db.logger) { conn in
            let current = try await Self.lock(id, conn: conn, logger: db.logger)
            guard current.status == .published else { throw Self.wrongStatus(current.status, expected: .published) }
            try await conn.query(
                """
                UPDATE bulletins SET status = 'withdrawn', withdrawn_by = \(user), withdrawn_at = now(), withdrawal_reason = \(reason)
                WHERE id = \(id)
                """,
                logger: db.logger
            )
            return try await record(id, event: "withdrawn", by: user, conn: conn)
        }
    }

    /// The ledger entry and the portals' row of a status change, written in the caller's transaction.
    private func record(_ id: Int64, event: String, by user: String, conn: PostgresConnection) async throws -> Bulletin {
        let bulletin = try await Self.bulletin(id, conn: conn, logger: db.logger)!
        var chain = try await LedgerChain(conn, logger: db.logger)
        let entry = chain.add(
            kind: .bulletin,
            department: bulletin.department,
            subject: "\(bulletin.kind.rawValue):\(id)",
            payload: Self.text(.object([("event", .string(event)), ("by", .string(user)), ("id", .number(String(id)))]))
        )
        try await chain.flush(conn, logger: db.logger)
        try await conn.query("UPDATE bulletins SET ledger_seq = \(entry.seq) WHERE id = \(id)", logger: db.logger)
        try await OutboxStore.enqueue(
            .bulletin,
            key: String(id),
            department: bulletin.department,
            body: Self.text(Self.portalRow(bulletin)),
            ledgerSeq: entry.seq,
            on: conn,
            logger: db.logger
        )
        return bulletin
    }

    /// What the portals receive: the public content and the status, never who wrote or approved it.
    static func portalRow(_ b: Bulletin) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .number(String(b.id))), ("kind", .string(b.kind.rawValue)), ("department", .string(b.department)),
            ("title", .string(b.title)), ("body", .string(b.body)), ("status", .string(b.status.rawValue)),
            ("publishedAt", .text(b.publishedAt)),
        ]
        if let localId = b.recordLocalId { members.append(("recordLocalId", .string(localId))) }
        if b.status == .withdrawn {
            members.append(("withdrawnAt", .text(b.withdrawnAt)))
            members.append(("withdrawalReason", .text(b.withdrawalReason)))
        }
        return .object(members)
    }

    /// Bulletins for ops, newest first, optionally of one kind and status.
    /// `departments`: a scoped user's departments (nil for all), applied before the limit so a scoped user sees
    /// their newest `limit`, not what is left of everyone's.
    public func list(kind: BulletinKind?, status: BulletinStatus?, departments: [String]? = nil, limit: Int = 200) async throws -> [Bulletin] {
        var binds = PostgresBindings()
        binds.append(kind?.rawValue)
        binds.append(status?.rawValue)
        binds.append(departments)
        return try await query(
            """
            WHERE ($1::text IS NULL OR b.kind = $1) AND ($2::text IS NULL OR b.status = $2)
              AND ($3::text[] IS NULL OR b.department = ANY($3)) ORDER BY b.id DESC LIMIT \(limit)
            """,
            binds
        )
    }

    /// Published bulletins of one kind, newest first (by publication time, then id), after the bulletin `after`
    /// (the id of the last one seen): what the public side lists. An id that names no published bulletin of the
    /// kind ends the list.
    public func published(kind: BulletinKind, after: Int64?, limit: Int) async throws -> [Bulletin] {
        if let after {
            return try await query(
                """
                WHERE b.status = 'published' AND b.kind = $1
                  AND (b.published_at, b.id) < (SELECT c.published_at, c.id FROM bulletins c WHERE c.id = $2::bigint AND c.kind = $1)
                ORDER BY b.published_at DESC, b.id DESC LIMIT \(limit)
                """,
                [kind.rawValue, String(after)]
            )
        }
        return try await query(
            "WHERE b.status = 'published' AND b.kind = $1 ORDER BY b.published_at DESC, b.id DESC LIMIT \(limit)",
            [kind.rawValue]
        )
    }

    /// One bulletin by id, whatever its status.
    public func bulletin(_ id: Int64) async throws -> Bulletin? {
        try await query("WHERE b.id = $1::bigint", [String(id)]).first
    }

    private func query(_ condition: String, _ values: [String?]) async throws -> [Bulletin] {
        var binds = PostgresBindings()
        for value in values { binds.append(value) }
        return try await query(condition, binds)
    }

    private func query(_ condition: String, _ binds: PostgresBindings) async throws -> [Bulletin] {
        let rows = try await db.client.query(PostgresQuery(unsafeSQL: Self.select + " " + condition, binds: binds), logger: db.logger)
        var found: [Bulletin] = []
        for try await row in rows.decode(Row.self) { found.append(Self.bulletin(row)) }
        return found
    }

    static let select = """
        SELECT b.id, b.kind, b.department, coalesce(d.name, b.department), b.title, b.body, b.record_local_id, b.status,
               b.proposed_by, \(timestamp("b.proposed_at")), b.approved_by, \(timestamp("b.published_at")),
               b.withdrawn_by, \(timestamp("b.withdrawn_at")), b.withdrawal_reason,
               (SELECT p.id FROM publications p
                WHERE b.record_local_id IS NOT NULL AND p.source_key = b.department || '/' || b.record_local_id AND p.status = 'published')
        FROM bulletins b LEFT JOIN departments d ON d.code = b.department
        """

    /// A timestamp as the hub shows it: Asia/Shanghai, with its offset.
    static func timestamp(_ column: String) -> String {
        "to_char(\(column) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+08:00\"')"
    }

    typealias Row = (
        Int64, String, String, String, String, String, String?, String, String, String, String?, String?, String?, String?, String?, Int64?
    )

    static func bulletin(_ r: Row) -> Bulletin {
        Bulletin(
            id: r.0,
            kind: BulletinKind(rawValue: r.1) ?? .news,
            department: r.2,
            departmentName: r.3,
            title: r.4,
            body: r.5,
            recordLocalId: r.6,
            status: BulletinStatus(rawValue: r.7) ?? .proposed,
            proposedBy: r.8,
            proposedAt: r.9,
            approvedBy: r.10,
            publishedAt: r.11,
            withdrawnBy: r.12,
            withdrawnAt: r.13,
            withdrawalReason: r.14,
            decisionPublicationId: r.15
        )
    }

    static func bulletin(_ id: Int64, conn: PostgresConnection, logger: Logger) async throws -> Bulletin? {
        var binds = PostgresBindings()
        binds.append(id)
        for try await row in try await conn.query(PostgresQuery(unsafeSQL: select + " WHERE b.id = $1", binds: binds), logger: logger)
            .decode(Row.self)
        {
            return bulletin(row)
        }
        return nil
    }

    /// Locks a bulletin row for the transaction.
    static func lock(_ id: Int64, conn: PostgresConnection, logger: Logger) async throws -> (status: BulletinStatus, proposedBy: String) {
        for try await (status, proposer) in try await conn.query(
            "SELECT status, proposed_by FROM bulletins WHERE id = \(id) FOR UPDATE",
            logger: logger
        ).decode((String, String).self) {
            return (BulletinStatus(rawValue: status) ?? .proposed, proposer)
        }
        throw StoreRefusal(.notFound, path: "id", code: "no_such_bulletin", zh: "没有这条内容", en: "no such bulletin")
    }

    static func wrongStatus(_ status: BulletinStatus, expected: BulletinStatus) -> StoreRefusal {
        StoreRefusal(
            .conflict,
            path: "status",
            code: "bulletin_not_\(expected.rawValue)",
            zh: "该内容当前状态为「\(status.label)」，此操作需要「\(expected.label)」",
            en: "the bulletin is \(status.rawValue); this needs it \(expected.rawValue)"
        )
    }

    static func text(_ value: JSONValue) -> String { String(decoding: CanonicalJSON.encode(value), as: UTF8.self) }
}
