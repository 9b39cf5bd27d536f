import HubModel
import Logging
import PostgresNIO
import Supervision

/// The publications (行政执法公示): the public read side (list, search, item, feed) and withdrawal (撤回). Written
/// by `PublicationWriter` inside the record writer's transaction.
public struct PublicationStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// A public search: `q` anywhere in the published name, exact USCC, department, act date range; newest first,
    /// after the keyset `cursor` (a publication id).
    public struct Query: Sendable, Hashable {
        public var q: String?
        public var department: String?
        public var uscc: String?
        public var from: CalendarDate?
        public var to: CalendarDate?
        public var cursor: Int64?
        public var limit: Int

        public init(
            q: String? = nil,
            department: String? = nil,
            uscc: String? = nil,
            from: CalendarDate? = nil,
            to: CalendarDate? = nil,
            cursor: Int64? = nil,
            limit: Int = 20
        ) {
            self.q = q
            self.department = department
            self.uscc = uscc
            self.from = from
            self.to = to
            self.cursor = cursor
            self.limit = limit
        }
    }

    /// One page and the cursor of the next (nil on the last page).
    public func list(_ query: Query) async throws -> (items: [PublicPublication], next: Int64?) {
        let limit = min(max(query.limit, 1), 100)
        // Escape LIKE's wildcards: the search is for the text as typed.
        let pattern = query.q.map { "%" + $0.replacing("\\", with: "\\\\").replacing("%", with: "\\%").replacing("_", with: "\\_") + "%" }
        // The page's ids first, then its rows: a filter on dates (and department) is answered from the index on
        // (act_date, id) alone, without reading every row of the range. With dates the order is `id + 0`, or the
        // planner walks the primary key backwards through every newer row (ids and dates rise together, which its
        // estimate does not know: 180 ms instead of 8 at 1,000,000 rows). An absent filter folds away (the
        // statement is planned with its values).
        let order = query.from != nil || query.to != nil ? "p.id + 0" : "p.id"
        // Dates as day numbers: `date + int` is immutable, so the bound folds into an index condition; a text
        // cast to date is only stable and would leave the whole index to be read.
        let fromDay = query.from.map { Int32($0.dayNumber) }
        let toDay = query.to.map { Int32($0.dayNumber) }
        let rows = try await db.client.query(
            """
            WITH page AS (
                SELECT p.id FROM publications p
                WHERE p.status <> 'withheld'
                  AND (\(pattern)::text IS NULL OR p.subject_name ILIKE \(pattern))
                  AND (\(query.department)::text IS NULL OR p.department_code = \(query.department))
                  AND (\(query.uscc)::text IS NULL OR p.uscc = \(query.uscc))
                  AND (\(fromDay)::int IS NULL OR p.act_date >= DATE '1970-01-01' + \(fromDay)::int)
                  AND (\(toDay)::int IS NULL OR p.act_date <= DATE '1970-01-01' + \(toDay)::int)
                  AND (\(query.cursor)::bigint IS NULL OR p.id < \(query.cursor))
                ORDER BY \(unescaped: order) DESC
                LIMIT \(limit + 1))
            SELECT \(unescaped: PublicPublication.columns)
            FROM page JOIN publications p ON p.id = page.id LEFT JOIN departments d ON d.code = p.department_code
            ORDER BY p.id DESC
            """,
            logger: db.logger
        )
        var items: [PublicPublication] = []
        for try await row in rows.decode(PublicPublication.Row.self) { items.append(PublicPublication(row)) }
        guard items.count > limit else { return (items, nil) }
        items.removeLast()
        return (items, items.last?.id)
    }

    /// One publication, published or withdrawn; nil when there is none or it is withheld.
    public func item(_ id: Int64) async throws -> PublicPublication? {
        let rows = try await db.client.query(
            """
            SELECT \(unescaped: PublicPublication.columns)
            FROM publications p LEFT JOIN departments d ON d.code = p.department_code
            WHERE p.id = \(id) AND p.status <> 'withheld'
            """,
            logger: db.logger
        )
        for try await row in rows.decode(PublicPublication.Row.self) { return PublicPublication(row) }
        return nil
    }

    /// A publication's state as ops see it, withheld ones included (with the reason): id, status, reason.
    public func status(
        department: String,
        localId: String
    ) async throws -> (id: Int64, status: PublicationStatus, withheldReason: String?, dueDate: String?, duePending: String?)? {
        let rows = try await db.client.query(
            """
            SELECT id, status, withheld_reason, to_char(due_date, 'YYYY-MM-DD'), due_pending FROM publications
            WHERE source_key = \(department + "/" + localId)
            """,
            logger: db.logger
        )
        for try await (id, status, reason, due, pending) in rows.decode((Int64, String, String?, String?, String?).self) {
            return (id, PublicationStatus(rawValue: status) ?? .published, reason, due, pending)
        }
        return nil
    }

    /// Withdraws a publication (撤回): by its department (`department` set: only its own), or by ops (`department`
    /// nil). One transaction: the `publication` ledger entry, the row, and its new version for the portals.
    public func withdraw(_ request: WithdrawalRequest, department: String?, by actor: String) async throws -> PublicPublication {
        try await db.client.transaction(logger: db.logger) { conn in
            let found: (Int64, String, String, String, String?)?
            switch request.target {
            case .publicationId(let id):
                found = try await Self.lock(id: id, sourceKey: nil, conn: conn, logger: db.logger)
            case .localId(let localId):
                guard let department else {
                    throw StoreRefusal(
                        .invalid,
                        path: "localId",
                        code: "publication_id_required",
                        zh: "运维撤回须给出 publicationId",
                        en: "ops withdraw by publicationId"
                    )
                }
                found = try await Self.lock(id: nil, sourceKey: department + "/" + localId, conn: conn, logger: db.logger)
            }
            let path = if case .localId = request.target { "localId" } else { "publicationId" }
            guard let (id, owner, status, sourceKey, actDate) = found, department == nil || department == owner else {
                throw Self.notFound(path)
            }
            switch PublicationStatus(rawValue: status) {
            case .withheld?:
                throw StoreRefusal(
                    .conflict,
                    path: path,
                    code: "not_published",
                    zh: "该信息未公示，无需撤回",
                    en: "the publication was withheld, not published"
                )
            case .withdrawn?:
                throw StoreRefusal(.conflict, path: path, code: "already_withdrawn", zh: "该公示已撤回", en: "the publication is already withdrawn")
            default: break
            }
            if let actDate, let act = CalendarDate(actDate), request.date < act {
                throw StoreRefusal(
                    .invalid,
                    path: "date",
                    code: "withdrawn_before_act",
                    zh: "撤回日期早于执法决定日期 \(actDate)",
                    en: "the withdrawal date is before the act's date \(actDate)"
                )
            }
            let payload = CanonicalJSON.string(
                .object([
                    ("action", .string("withdraw")), ("publicationId", .number(String(id))), ("sourceKey", .string(sourceKey)),
                    ("reason", .string(request.reason.rawValue)), ("text", request.text.map(JSONValue.string) ?? .null),
                    ("date", .string(request.date.description)), ("by", .string(actor)),
                ])
            )
            let entries = try await LedgerStore.append(
                [LedgerDraft(kind: .publication, department: owner, subject: "publication:" + sourceKey, payload: payload)],
                conn,
                logger: db.logger
            )
            try await conn.query(
                """
                UPDATE publications SET status = 'withdrawn', withdrawal_reason = \(request.reason.rawValue), withdrawal_text = \(request.text),
                    withdrawn_on = \(request.date.description)::date, withdrawn_by = \(actor), ledger_seq = \(entries[0].seq), updated_at = now()
                WHERE id = \(id)
                """,
                logger: db.logger
            )
            try await Self.enqueue([(id, entries[0].seq)], department: owner, conn: conn, logger: db.logger)
            let rows = try await conn.query(
                "SELECT \(unescaped: PublicPublication.columns) FROM publications p LEFT JOIN departments d ON d.code = p.department_code WHERE p.id = \(id)",
                logger: db.logger
            )
            for try await row in rows.decode(PublicPublication.Row.self) { return PublicPublication(row) }
            throw Self.notFound(path)
        }
    }

    static func notFound(_ path: String) -> StoreRefusal {
        StoreRefusal(.notFound, path: path, code: "publication_not_found", zh: "没有该公示信息", en: "no such publication")
    }

    /// The publication to withdraw, locked, by id or by source key: id, department, status, source key, act date.
    static func lock(
        id: Int64?,
        sourceKey: String?,
        conn: PostgresConnection,
        logger: Logger
    ) async throws -> (Int64, String, String, String, String?)? {
        let rows = try await conn.query(
            """
            SELECT id, department_code, status, source_key, to_char(act_date, 'YYYY-MM-DD') FROM publications
            WHERE id = \(id) OR source_key = \(sourceKey) FOR UPDATE
            """,
            logger: logger
        )
        for try await row in rows.decode((Int64, String, String, String, String?).self) { return row }
        return nil
    }

    /// Queues publications for the provincial portals, each as the public JSON of its row now, next to the ledger
    /// entry that made it so. Withheld rows are never queued.
    static func enqueue(_ items: [(id: Int64, seq: Int64)], department: String, conn: PostgresConnection, logger: Logger) async throws {
        let seqs = Dictionary(items.map { ($0.id, $0.seq) }, uniquingKeysWith: { $1 })
        let rows = try await conn.query(
            """
            SELECT \(unescaped: PublicPublication.columns)
            FROM publications p LEFT JOIN departments d ON d.code = p.department_code
            WHERE p.id = ANY(\(items.map(\.id))::bigint[]) AND p.status <> 'withheld'
            ORDER BY p.id
            """,
            logger: logger
        )
        var outbound: [OutboxStore.OutboundRow] = []
        for try await row in rows.decode(PublicPublication.Row.self) {
            let p = PublicPublication(row)
            outbound.append(.init(key: String(p.id), operation: "U", body: CanonicalJSON.string(p.json), ledgerSeq: seqs[p.id] ?? 0))
        }
        try await OutboxStore.enqueue(.publication, rows: outbound, department: department, on: conn, logger: logger)
    }
}
