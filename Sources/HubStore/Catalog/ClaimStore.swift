import Foundation
import HubModel
import Logging
import PostgresNIO
import Supervision

/// Claims of catalog items (认领发布): agencies take provincial items at their level with their implementation
/// details; a second person approves, which publishes.
///
/// Every act is one transaction: the ledger's append lock first (it also serializes claim writers, so the "one
/// open claim" check cannot race), then the facts or the claim's row under a lock, then `ClaimLifecycle` (pure)
/// decides, and this writes the row, a `catalog_claim_steps` row and a `catalog_claim` ledger entry; an approval
/// also writes the implementation item's version (active, or retired for a withdrawal) and a `catalog_claim`
/// outbox row for the province, keyed by the implementation code.
public struct ClaimStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// Opens a claim for `draft`. Refusals are `StoreRefusal`s (400 item, level, agency, region, details; 403 scope;
    /// 409 an open claim exists).
    public func propose(_ draft: ClaimDraft, actor: ClaimActor) async throws -> ClaimState {
        let logger = db.logger
        return try await db.client.transaction(logger: logger) { conn in
            var chain = try await LedgerChain(conn, logger: logger)
            let facts = try await Self.facts(draft, on: conn, logger: logger)
            var id: Int64 = 0
            for try await next in try await conn.query("SELECT nextval('catalog_claims_id_seq')", logger: logger).decode(Int64.self) { id = next }
            switch ClaimLifecycle.open(draft, facts: facts, actor: actor, claimId: id) {
            case .refused(let refusal): throw Self.refusal(refusal)
            case .apply(let plan):
                let s = plan.state
                try await conn.query(
                    """
                    INSERT INTO catalog_claims (id, catalog_code, agency_code, agency_name, department, region_code, level, status,
                                                check_content, check_method, check_frequency, proposed_by)
                    VALUES (\(s.claimId), \(s.catalogCode), \(s.agencyCode), \(s.agencyName), \(s.department), \(s.regionCode), \(s.level.rawValue),
                            \(s.status.rawValue), \(s.details.checkContent), \(s.details.checkMethod), \(s.details.checkFrequency), \(s.proposedBy))
                    """,
                    logger: logger
                )
                try await Self.record(plan, actor: actor, chain: &chain, on: conn, logger: logger)
                return s
            }
        }
    }

    /// Takes a step on claim `id`: an adjustment, a withdrawal, an approval (which publishes) or a rejection.
    public func act(_ id: Int64, step: ClaimStep, actor: ClaimActor) async throws -> ClaimState {
        let logger = db.logger
        return try await db.client.transaction(logger: logger) { conn in
            // An approval writes an implementation item: the catalog writers' lock comes before the ledger head's,
            // in the order a catalog import takes them, or an import and an approval could deadlock.
            try await CatalogStore.lockWrites(conn, logger: logger)
            var chain = try await LedgerChain(conn, logger: logger)
            guard let stored = try await Self.load(where: "id = $1::bigint FOR UPDATE", [String(id)], on: conn, logger: logger).first,
                Self.visible(stored, to: actor)
            else { throw Self.notFound }
            var sequence = 1
            if case .approve = step, stored.status == .proposed {
                sequence = try await Self.nextSequence(stored, on: conn, logger: logger)
            }
            switch ClaimLifecycle.plan(stored, step: step, actor: actor, sequence: sequence) {
            case .refused(let refusal): throw Self.refusal(refusal)
            case .apply(let plan):
                try await Self.update(plan.state, on: conn, logger: logger)
                try await Self.record(plan, actor: actor, chain: &chain, on: conn, logger: logger)
                return plan.state
            }
        }
    }

    /// The open claim of an item by an agency (what a department adjusts or withdraws), if it is visible to `actor`.
    public func openClaim(catalogCode: String, agencyCode: String, actor: ClaimActor) async throws -> ClaimState? {
        try await db.client.withConnection { conn in
            try await Self.load(
                where: "catalog_code = $1 AND agency_code = $2 AND status NOT IN ('withdrawn', 'rejected')",
                [catalogCode, agencyCode],
                on: conn,
                logger: db.logger
            ).first.flatMap { Self.visible($0, to: actor) ? $0 : nil }
        }
    }

    /// One claim, if `actor` may see it.
    public func claim(_ id: Int64, for actor: ClaimActor) async throws -> ClaimState? {
        try await db.client.withConnection { conn in
            try await Self.load(where: "id = $1::bigint", [String(id)], on: conn, logger: db.logger).first.flatMap {
                Self.visible($0, to: actor) ? $0 : nil
            }
        }
    }

    /// Claims newest first, optionally of some statuses, of the departments in `scope` (nil: all).
    public func list(statuses: [ClaimStatus]? = nil, department: String? = nil, scope: [String]?, limit: Int = 500) async throws -> [ClaimState] {
        var condition = "true"
        var binds: [String] = []
        if let statuses {
            binds.append("{" + statuses.map(\.rawValue).joined(separator: ",") + "}")
            condition += " AND status = ANY($\(binds.count)::text[])"
        }
        if let department {
            binds.append(department)
            condition += " AND department = $\(binds.count)"
        }
        if let scope {
            binds.append("{" + scope.map { "\"\($0)\"" }.joined(separator: ",") + "}")
            condition += " AND department = ANY($\(binds.count)::text[])"
        }
        let sql = condition + " ORDER BY updated_at DESC, id DESC LIMIT \(max(1, min(limit, 5000)))"
        return try await db.client.withConnection { conn in try await Self.load(where: sql, binds, on: conn, logger: db.logger) }
    }

    // MARK: - Writing

    /// The ledger entry (flushed here), the step row, and for an approval the implementation item's version and
    /// the province's row.
    static func record(
        _ plan: ClaimLifecycle.Plan,
        actor: ClaimActor,
        chain: inout LedgerChain,
        on conn: PostgresConnection,
        logger: Logger
    )
        async throws
    {
        let s = plan.state
        let entry = chain.add(
            kind: plan.event.kind,
            department: s.department,
            subject: "catalog_claim:\(s.claimId)",
            payload: CanonicalJSON.string(plan.event.payload)
        )
        try await chain.flush(conn, logger: logger)
        try await conn.query(
            """
            INSERT INTO catalog_claim_steps (claim_id, step, actor, payload, ledger_seq)
            VALUES (\(s.claimId), \(plan.event.payload["step"]?.stringValue ?? ""), \(actor.name), \(CanonicalJSON.string(plan.event.payload))::jsonb, \(entry.seq))
            """,
            logger: logger
        )
        if let publication = plan.publication, let code = s.implementationCode, let version = s.publishedVersion {
            let status = publication == .retired ? "retired" : "active"
            try await conn.query(
                """
                INSERT INTO implementation_items (code, version, catalog_code, agency_code, agency_name, region_code, level, status)
                VALUES (\(code), \(version), \(s.catalogCode), \(s.agencyCode), \(s.agencyName), \(s.regionCode), \(s.level.rawValue), \(status))
                """,
                logger: logger
            )
        }
        if let delivery = plan.delivery {
            try await OutboxStore.enqueue(
                .catalogClaim,
                key: delivery.key,
                department: s.department,
                operation: delivery.operation,
                body: CanonicalJSON.string(delivery.body),
                ledgerSeq: entry.seq,
                on: conn,
                logger: logger
            )
        }
    }

    static func update(_ s: ClaimState, on conn: PostgresConnection, logger: Logger) async throws {
        let pending = s.pendingDetails.map { CanonicalJSON.string($0.json) }
        try await conn.query(
            """
            UPDATE catalog_claims SET status = \(s.status.rawValue), check_content = \(s.details.checkContent), check_method = \(s.details.checkMethod),
                check_frequency = \(s.details.checkFrequency), pending_details = \(pending)::jsonb, pending_reason = \(s.pendingReason),
                proposed_by = \(s.proposedBy), implementation_code = \(s.implementationCode), published_version = \(s.publishedVersion), updated_at = now()
            WHERE id = \(s.claimId)
            """,
            logger: logger
        )
    }

    /// The next free sequence of the agency's codes for the item at the level: one past the highest in
    /// `implementation_items` (imported or published before), so a code is never reused.
    static func nextSequence(_ s: ClaimState, on conn: PostgresConnection, logger: Logger) async throws -> Int {
        let prefix = ImplementationCode.prefix(agency: s.agencyCode, level: s.level, catalogCode: s.catalogCode)
        var next = 1
        for try await n in try await conn.query(
            """
            SELECT coalesce(max(right(code, 2)::int), 0) + 1 FROM implementation_items
            WHERE left(code, 33) = \(prefix) AND length(code) = 35 AND right(code, 2) ~ '^[0-9]{2}$'
            """,
            logger: logger
        ).decode(Int.self) { next = n }
        return next
    }

    // MARK: - Reading

    /// What `ClaimLifecycle.open` checks a draft against.
    static func facts(_ draft: ClaimDraft, on conn: PostgresConnection, logger: Logger) async throws -> ClaimFacts {
        var item: ClaimFacts.Item?
        for try await (status, levels) in try await conn.query(
            "SELECT status, levels FROM catalog_current WHERE code = \(draft.catalogCode)",
            logger: logger
        ).decode((String, String).self) {
            item = ClaimFacts.Item(active: status == "active", levelsText: levels)
        }
        var agencyName: String?
        for try await name in try await conn.query(
            """
            SELECT coalesce(a.agency_name, '') FROM department_agencies a JOIN departments d ON d.id = a.department_id
            WHERE d.code = \(draft.department) AND a.agency_code = \(draft.agencyCode)
            """,
            logger: logger
        ).decode(String.self) { agencyName = name }
        var open = false
        for try await _ in try await conn.query(
            """
            SELECT 1 FROM catalog_claims WHERE catalog_code = \(draft.catalogCode) AND agency_code = \(draft.agencyCode)
              AND status NOT IN ('withdrawn', 'rejected')
            """,
            logger: logger
        ).decode(Int.self) { open = true }
        return ClaimFacts(item: item, agencyOfDepartment: agencyName != nil, agencyName: agencyName ?? "", openClaimExists: open)
    }

    static let notFound = StoreRefusal(
        .notFound,
        path: "claimId",
        code: "claim_not_found",
        zh: "没有该认领，或认领不属于您的部门",
        en: "no such claim, or it is not your department's"
    )

    static func refusal(_ r: ClaimRefusal) -> StoreRefusal {
        switch r.kind {
        case .invalid: StoreRefusal(.invalid, r.errors)
        case .forbidden: StoreRefusal(.forbidden, r.errors)
        case .conflict: StoreRefusal(.conflict, r.errors)
        }
    }

    static func visible(_ s: ClaimState, to actor: ClaimActor) -> Bool { actor.actsFor(s.department) }

    /// Rows matching `condition` (`$1` bound to the first of `binds`, and so on).
    static func load(where condition: String, _ binds: [String], on conn: PostgresConnection, logger: Logger) async throws -> [ClaimState] {
        var bindings = PostgresBindings()
        for b in binds { bindings.append(b) }
        var out: [ClaimState] = []
        for try await text in try await conn.query(
            PostgresQuery(unsafeSQL: "SELECT to_jsonb(c)::text FROM catalog_claims c WHERE " + condition, binds: bindings),
            logger: logger
        ).decode(String.self) {
            guard let state = Self.state(try JSONParser().parse(Array(text.utf8))) else { throw UnreadableClaim(row: text) }
            out.append(state)
        }
        return out
    }

    static func state(_ v: JSONValue) -> ClaimState? {
        guard let id = v["id"]?.integerValue, let catalog = v["catalog_code"]?.stringValue, let agency = v["agency_code"]?.stringValue,
            let level = v["level"]?.integerValue.flatMap({ ClaimLevel(rawValue: Int($0)) }),
            let status = v["status"]?.stringValue.flatMap(ClaimStatus.init(rawValue:)), let content = v["check_content"]?.stringValue,
            let method = v["check_method"]?.stringValue, let frequency = v["check_frequency"]?.stringValue
        else { return nil }
        return ClaimState(
            claimId: id,
            catalogCode: catalog,
            agencyCode: agency,
            agencyName: v["agency_name"]?.stringValue ?? "",
            department: v["department"]?.stringValue ?? "",
            regionCode: v["region_code"]?.stringValue ?? "",
            level: level,
            status: status,
            details: ClaimDetails(checkContent: content, checkMethod: method, checkFrequency: frequency),
            pendingDetails: v["pending_details"].flatMap(ClaimDetails.init(json:)),
            pendingReason: v["pending_reason"]?.stringValue,
            proposedBy: v["proposed_by"]?.stringValue ?? "",
            implementationCode: v["implementation_code"]?.stringValue,
            publishedVersion: v["published_version"]?.integerValue.map(Int.init)
        )
    }

    /// A row the reader does not take: the store's bug, never a client's input.
    struct UnreadableClaim: Error { var row: String }
}
