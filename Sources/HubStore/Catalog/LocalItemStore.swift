import Foundation
import HubModel
import Logging
import Normalization
import PostgresNIO

/// Items set by local legislation (地方立法设立的监管事项): one person registers an item with its local regulation as
/// basis and the hub gives it a provisional code (`ProvisionalItemCode`); a second person approves it, which queues
/// it for the province (outbox `local_item`); the province's catalog feed later names the provisional code its new
/// item replaces, and `CatalogStore.importCatalog` codes it (`LocalItemStore.code`, in the import's transaction).
/// Every step is one transaction with its ledger entry (`local_item`).
///
/// Who may act is the caller's check (`ReviewPolicy`); the store keeps four eyes — nobody approves an item they
/// registered — because that needs the stored proposer.
public struct LocalItemStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// One local item as ops read it: the registration as checked (`draft`, its members readable directly, e.g.
    /// `item.name`) and where it stands.
    @dynamicMemberLookup
    public struct LocalItem: Sendable, Hashable {
        public var id: Int64
        public var provisionalCode: String
        public var draft: LocalItemDraft
        public var status: LocalItemStatus
        public var proposedBy: String
        public var proposedAt: String
        public var approvedBy: String?
        public var approvedAt: String?
        public var provincialCode: String?
        public var codedAt: String?

        public subscript<T>(dynamicMember path: KeyPath<LocalItemDraft, T>) -> T { draft[keyPath: path] }

        /// The row the province receives: the item as the catalog would carry it, under its provisional code.
        public var provinceRow: JSONValue {
            .object([
                ("provisionalCode", .string(provisionalCode)), ("name", .string(draft.name)), ("itemType", .string(draft.itemType.rawValue)),
                ("department", .string(draft.catalogDepartment)), ("legalBasis", .string(draft.legalBasis)),
                ("parentCode", .text(draft.parentCode)), ("levels", .string(draft.levels)), ("regionCode", .string(draft.regionCode)),
                ("agencies", .array(draft.agencies.map(JSONValue.string))),
            ])
        }
    }

    /// Registers an item under a new provisional code. The department must be registered in the hub, every agency
    /// one of its agencies, and the parent (when named) a catalog item.
    public func register(_ draft: LocalItemDraft, by user: String) async throws -> LocalItem {
        try await db.client.transaction(logger: db.logger) { conn in
            var departmentId: Int64?
            for try await id in try await conn.query("SELECT id FROM departments WHERE code = \(draft.department)", logger: db.logger).decode(
                Int64.self
            ) {
                departmentId = id
            }
            guard let departmentId else {
                throw StoreRefusal(.conflict, path: "department", code: "unknown_department", zh: "枢纽中没有该部门", en: "no such department in the hub")
            }
            var own = Set<String>()
            for try await code in try await conn.query(
                "SELECT agency_code FROM department_agencies WHERE department_id = \(departmentId)",
                logger: db.logger
            ).decode(String.self) { own.insert(code) }
            let foreign = draft.agencies.enumerated().filter { !own.contains($0.element) }
            guard foreign.isEmpty else {
                throw StoreRefusal(
                    .conflict,
                    foreign.map {
                        FieldError(
                            path: "agencies[\($0.offset)]",
                            code: "agency_not_of_department",
                            zh: "该实施机构不属于本部门",
                            en: "the agency is not one of the department's agencies"
                        )
                    }
                )
            }
            if let parent = draft.parentCode {
                var known = false
                for try await _ in try await conn.query("SELECT 1 FROM catalog_current WHERE code = \(parent)", logger: db.logger).decode(Int.self) {
                    known = true
                }
                guard known else {
                    throw StoreRefusal(
                        .conflict,
                        path: "parentCode",
                        code: "unknown_catalog_code",
                        zh: "目录中没有该上级事项",
                        en: "no catalog item has this code"
                    )
                }
            }
            var id: Int64 = 0
            for try await next in try await conn.query("SELECT nextval('local_items_id_seq')", logger: db.logger).decode(Int64.self) { id = next }
            guard let region = RegionCode(draft.regionCode), let code = ProvisionalItemCode(region: region, sequence: Int(id)) else {
                throw StoreRefusal(.invalid, path: "regionCode", code: "invalid_region", zh: "无法生成临时编码", en: "no provisional code can be made")
            }
            let refs = String(decoding: try JSONEncoder().encode(draft.legalRefs), as: UTF8.self)
            try await conn.query(
                """
                INSERT INTO local_items (id, provisional_code, department, name, item_type, catalog_department, legal_basis, legal_refs,
                                         parent_code, levels, region_code, agencies, proposed_by)
                VALUES (\(id), \(code.value), \(draft.department), \(draft.name), \(draft.itemType.rawValue), \(draft.catalogDepartment),
                        \(draft.legalBasis), \(refs)::jsonb, \(draft.parentCode), \(draft.levels), \(draft.regionCode), \(draft.agencies), \(user))
                """,
                logger: db.logger
            )
            guard let item = try await Self.item(id, conn: conn, logger: db.logger) else { throw Self.notFound }
            var chain = try await LedgerChain(conn, logger: db.logger)
            chain.add(kind: .localItem, department: item.department, subject: Self.subject(item), payload: Self.payload("proposed", by: user, item))
            try await chain.flush(conn, logger: db.logger)
            return item
        }
    }

    /// A second person approves a registered item: it is sent to the province for coding (outbox `local_item`).
    public func approve(_ id: Int64, by user: String) async throws -> LocalItem {
        try await db.client.transaction(logger: db.logger) { conn in
            guard let current = try await Self.item(id, conn: conn, lock: true, logger: db.logger) else { throw Self.notFound }
            guard current.status == .proposed else {
                throw StoreRefusal(
                    .conflict,
                    path: "id",
                    code: "not_proposed",
                    zh: "该事项当前状态为「\(current.status.label)」，不能再批准",
                    en: "the item is \(current.status.rawValue), not proposed"
                )
            }
            guard current.proposedBy != user else {
                throw StoreRefusal(
                    .forbidden,
                    path: "id",
                    code: "own_local_item",
                    zh: "不能批准本人登记的事项（双人复核）",
                    en: "nobody approves an item they registered (four eyes)"
                )
            }
            try await conn.query(
                "UPDATE local_items SET status = 'sent', approved_by = \(user), approved_at = now() WHERE id = \(id)",
                logger: db.logger
            )
            guard let item = try await Self.item(id, conn: conn, logger: db.logger) else { throw Self.notFound }
            var chain = try await LedgerChain(conn, logger: db.logger)
            let entry = chain.add(
                kind: .localItem,
                department: item.department,
                subject: Self.subject(item),
                payload: Self.payload("approved", by: user, item)
            )
            try await chain.flush(conn, logger: db.logger)
            try await OutboxStore.enqueue(
                .localItem,
                key: item.provisionalCode,
                department: item.department,
                body: CanonicalJSON.string(item.provinceRow),
                ledgerSeq: entry.seq,
                on: conn,
                logger: db.logger
            )
            return item
        }
    }

    /// Local items, newest first, optionally of one status; `departments`: a scoped user's departments (nil for all).
    public func list(status: LocalItemStatus? = nil, departments: [String]? = nil, limit: Int = 200) async throws -> [LocalItem] {
        var out: [LocalItem] = []
        let rows = try await db.client.query(
            """
            \(unescaped: Self.select)
            WHERE (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue)) AND (\(departments)::text[] IS NULL OR department = ANY(\(departments)))
            ORDER BY id DESC LIMIT \(limit)
            """,
            logger: db.logger
        )
        for try await row in rows.decode(Row.self) { out.append(Self.item(row)) }
        return out
    }

    public func item(_ id: Int64) async throws -> LocalItem? {
        try await db.client.withConnection { conn in try await Self.item(id, conn: conn, logger: db.logger) }
    }

    /// The item of a provisional code (nil when none has it).
    public func item(provisionalCode code: String) async throws -> LocalItem? {
        let rows = try await db.client.query("\(unescaped: Self.select) WHERE provisional_code = \(code)", logger: db.logger)
        for try await row in rows.decode(Row.self) { return Self.item(row) }
        return nil
    }

    static let notFound = StoreRefusal(.notFound, path: "id", code: "no_such_local_item", zh: "没有这个地方设立事项", en: "no such local item")

    static func subject(_ item: LocalItem) -> String { "local_item:\(item.provisionalCode)" }

    static func payload(_ event: String, by user: String, _ item: LocalItem) -> String {
        var members: [(String, JSONValue)] = [("event", .string(event)), ("by", .string(user)), ("item", item.provinceRow)]
        if let code = item.provincialCode { members.append(("provincialCode", .string(code))) }
        return CanonicalJSON.string(.object(members))
    }

    typealias Row = (
        Int64, String, String, String, String, String, String, String?, String, String, [String], String, String, String, String?, String?, String?,
        String?
    )

    static let select = """
        SELECT id, provisional_code, department, name, item_type, catalog_department, legal_basis, parent_code, levels,
               region_code, agencies, status, proposed_by, to_char(proposed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), approved_by,
               to_char(approved_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), provincial_code,
               to_char(coded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')
        FROM local_items
        """

    static func item(_ r: Row) -> LocalItem {
        LocalItem(
            id: r.0,
            provisionalCode: r.1,
            draft: LocalItemDraft(
                department: r.2,
                name: r.3,
                itemType: ItemType(rawValue: r.4) ?? .other,
                catalogDepartment: r.5,
                legalBasis: r.6,
                parentCode: r.7,
                levels: r.8,
                regionCode: r.9,
                agencies: r.10
            ),
            status: LocalItemStatus(rawValue: r.11) ?? .proposed,
            proposedBy: r.12,
            proposedAt: r.13,
            approvedBy: r.14,
            approvedAt: r.15,
            provincialCode: r.16,
            codedAt: r.17
        )
    }

    static func item(_ id: Int64, conn: PostgresConnection, lock: Bool = false, logger: Logger) async throws -> LocalItem? {
        let rows = try await conn.query("\(unescaped: select) WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")", logger: logger)
        for try await row in rows.decode(Row.self) { return item(row) }
        return nil
    }

    static func item(provisionalCode code: String, conn: PostgresConnection, logger: Logger) async throws -> LocalItem? {
        let rows = try await conn.query("\(unescaped: select) WHERE provisional_code = \(code) FOR UPDATE", logger: logger)
        for try await row in rows.decode(Row.self) { return item(row) }
        return nil
    }
}
