import Foundation
import HubModel
import Ingest
import Logging
import NIOCore
import Normalization
import PostgresNIO

/// The mapping review queue: what waits, the evidence, decisions (optionally approved by a second person)
/// and the release of the waiting records.
///
/// A confirmed decision releases every record held on the review in one transaction: `IngestPlanner.planRelease`
/// resolves each again with the new mapping release, and `RecordWriter` (the writer ingest uses) writes the
/// ledger entries, versions, outbox rows and the outcomes for the department's receipt feed. A "no match"
/// decision rejects them with the reason. Who may decide or approve is `ReviewPolicy`'s, checked by the callers.
public struct ReviewStore: Sendable {
    public let db: HubDatabase
    public let catalogCache: CatalogCache
    public let profiles: [String: DepartmentProfile]

    public init(db: HubDatabase, catalogCache: CatalogCache, profiles: [String: DepartmentProfile]) {
        self.db = db
        self.catalogCache = catalogCache
        self.profiles = profiles
    }

    public static let relationships = ["equivalent", "local-narrower", "local-broader", "no-match"]

    public struct Summary: Sendable {
        public var id: Int64
        public var department: String
        public var localCode: String
        public var localName: String?
        public var legalBasis: String?
        public var recordKind: String
        public var reason: String
        public var status: String
        public var waiting: Int
        public var openedAt: String
        /// Canonical JSON of the ranked candidates with their evidence.
        public var candidates: String
        public var proposedMapping: Int64?
    }

    public struct Outcome: Sendable {
        public var status: String
        public var release: Int64
        public var released = 0
        public var rejected = 0
        public var stillHeld = 0
    }

    /// Reviews by status (default: unresolved), busiest first; only the departments `user` is scoped to.
    public func list(
        status: String? = nil,
        department: String? = nil,
        recordKind: String? = nil,
        limit: Int = 200,
        visibleTo user: OpsUser? = nil
    ) async throws -> [Summary] {
        try await summaries(
            where: """
                (($1::text = '' AND r.status IN ('open', 'pending_approval')) OR r.status = $1::text)
                AND ($2::text IS NULL OR d.code = $2::text) AND ($3::text IS NULL OR r.record_kind = $3::text)
                AND ($4::text IS NULL OR d.code = ANY(string_to_array($4::text, ',')))
                """,
            binds: [status ?? "", department, recordKind, user?.departmentScope?.joined(separator: ",")],
            limit: limit
        )
    }

    /// One review; nil when it does not exist or lies outside `user`'s departments (the same answer, so a
    /// scoped account learns nothing about other departments' items).
    public func detail(_ id: Int64, visibleTo user: OpsUser? = nil) async throws -> Summary? {
        guard let review = try await summaries(where: "r.id = $1::text::bigint", binds: [String(id)], limit: 1).first else { return nil }
        if let user, !user.sees(department: review.department) { return nil }
        return review
    }

    func summaries(where condition: String, binds: [String?], limit: Int, order: String = "9 DESC, r.id", offset: Int = 0) async throws -> [Summary] {
        var bindings = PostgresBindings()
        for b in binds { bindings.append(b) }
        let rows = try await db.client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT r.id, d.code, r.local_code, r.local_name, r.legal_basis, r.record_kind, r.reason, r.status,
                           (SELECT count(*)::int FROM records h WHERE h.review_id = r.id AND h.status = 'held'),
                           to_char(r.opened_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'), r.candidates, r.decided_mapping
                    FROM review_items r JOIN departments d ON d.id = r.department_id
                    WHERE \(condition)
                    ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)
                    """,
                binds: bindings
            ),
            logger: db.logger
        )
        var out: [Summary] = []
        for try await (id, dept, code, name, basis, kind, reason, status, waiting, opened, candidates, proposed) in rows.decode(
            (Int64, String, String, String?, String?, String, String, String, Int, String, String, Int64?).self
        ) {
            out.append(
                Summary(
                    id: id,
                    department: dept,
                    localCode: code,
                    localName: name,
                    legalBasis: basis,
                    recordKind: kind,
                    reason: reason,
                    status: status,
                    waiting: waiting,
                    openedAt: opened,
                    candidates: candidates,
                    proposedMapping: proposed
                )
            )
        }
        return out
    }

    /// A reviewer's decision (the caller checked `ReviewPolicy.authorize(.decide, …)`). With `requireApproval` it
    /// waits for a second person; otherwise it is confirmed and the waiting records are released at once.
    public func decide(
        _ id: Int64,
        by user: OpsUser,
        relationship: String,
        catalogCode: String?,
        implementationCode: String?,
        reason: String,
        requireApproval: Bool
    ) async throws -> Outcome {
        guard Self.relationships.contains(relationship) else {
            throw ReviewError.invalid(
                "relationship",
                "invalid_relationship",
                "关系应为 equivalent、local-narrower、local-broader 或 no-match",
                "relationship must be equivalent, local-narrower, local-broader or no-match"
            )
        }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ReviewError.invalid("reason", "required", "请填写决定理由", "a reason is required")
        }
        guard let review = try await detail(id, visibleTo: user) else { throw ReviewError.notFound(id) }
        guard review.status == ReviewStatus.open.rawValue else { throw ReviewError.notOpen(review.status) }
        let (catalogCode, implementationCode) = try await validateTarget(
            review: review,
            relationship: relationship,
            catalogCode: catalogCode,
            implementationCode: implementationCode
        )
        let department = try await departmentOf(review)
        let evidence = review.candidates
        if requireApproval {
            return try await db.client.transaction(logger: db.logger) { conn in
                var chain = try await LedgerChain(conn, logger: db.logger)
                try await lockOpen(conn, id: id, status: .open)
                let release = try await Self.propose(
                    reviewId: id,
                    department: department,
                    localCode: review.localCode,
                    target: (catalogCode, implementationCode),
                    relationship: relationship,
                    rule: "human",
                    by: user.username,
                    reason: reason,
                    evidence: evidence,
                    conn: conn,
                    chain: &chain,
                    logger: db.logger
                )
                try await chain.flush(conn, logger: db.logger)
                return Outcome(status: ReviewStatus.pendingApproval.rawValue, release: release)
            }
        }
        return try await confirmAndRelease(review: review, department: department, targetCatalogCode: catalogCode) { conn, chain in
            try await lockOpen(conn, id: id, status: .open)
            return try await MappingStore.insert(
                department: department,
                localCode: review.localCode,
                catalogCode: catalogCode,
                implementationCode: implementationCode,
                relationship: relationship,
                rule: "human",
                decidedBy: user.username,
                reason: reason,
                evidence: evidence,
                reviewId: id,
                status: "confirmed",
                conn: conn,
                chain: &chain,
                logger: db.logger
            )
        }
    }

    /// A second person approves a pending decision (the caller checked `ReviewPolicy.authorize(.approve, …)`; four
    /// eyes is checked here, against the stored decision): it is confirmed and the waiting records released.
    ///
    /// `release` is the proposal the approver saw: when a catalog change withdrew it meanwhile (and perhaps a
    /// new decision took its place), the approval is refused rather than confirming something not seen.
    /// Inside the transaction the proposal is checked again, so a withdrawal that commits between the reads
    /// and the confirmation is caught too.
    public func approve(_ id: Int64, by user: OpsUser, note: String = "", release expected: Int64? = nil) async throws -> Outcome {
        guard let review = try await detail(id, visibleTo: user) else { throw ReviewError.notFound(id) }
        if let expected, review.proposedMapping != expected { throw ReviewError.proposalWithdrawn(expected) }
        guard review.status == ReviewStatus.pendingApproval.rawValue, let release = review.proposedMapping else {
            throw ReviewError.notPending(review.status)
        }
        var decidedBy = ""
        var rule = "human"
        var mapping: (String?, String?, String, String) = (nil, nil, "", "")
        for try await (by, c, i, rel, reason, r) in try await db.client.query(
            """
            SELECT decided_by, catalog_code, implementation_code, relationship, reason, rule FROM item_mappings WHERE id = \(release)
            """,
            logger: db.logger
        ).decode((String, String?, String?, String, String, String).self) {
            decidedBy = by
            mapping = (c, i, rel, reason)
            rule = r
        }
        try ReviewPolicy.authorizeApproval(decidedBy: decidedBy, approver: user.username)
        // The target may have changed since the decision: check it again before confirming.
        await catalogCache.invalidate()
        _ = try await validateTarget(review: review, relationship: mapping.2, catalogCode: mapping.0, implementationCode: mapping.1)
        let department = try await departmentOf(review)
        return try await confirmAndRelease(review: review, department: department, targetCatalogCode: mapping.0) { conn, chain in
            try await lockOpen(conn, id: id, status: .pendingApproval)
            try await lockProposal(conn, review: id, release: release)
            try await conn.query(
                """
                UPDATE item_mappings SET status = 'superseded'
                WHERE department_id = \(department.id) AND local_code = \(review.localCode) AND status IN ('confirmed', 'needs_review')
                """,
                logger: db.logger
            )
            try await conn.query(
                """
                UPDATE item_mappings SET status = 'confirmed', approved_by = \(user.username), approved_at = now() WHERE id = \(release)
                """,
                logger: db.logger
            )
            chain.add(
                kind: .mapping,
                department: department.code,
                subject: "mapping:\(review.localCode)",
                payload: MappingStore.releasePayload(
                    id: release,
                    localCode: review.localCode,
                    catalogCode: mapping.0,
                    implementationCode: mapping.1,
                    relationship: mapping.2,
                    rule: rule,
                    decidedBy: decidedBy,
                    approvedBy: user.username,
                    reason: note.isEmpty ? mapping.3 : mapping.3 + "；复核：" + note
                )
            )
            return release
        }
    }

    /// Confirms (through `confirm`, inside the transaction) and releases the records waiting on the review.
    /// Records held on the review between reading them and taking the ledger lock make the attempt start over.
    struct HeldSetChanged: Error {}

    func confirmAndRelease(
        review: Summary,
        department: Department,
        targetCatalogCode: String?,
        confirm: (PostgresConnection, inout LedgerChain) async throws -> Int64
    ) async throws -> Outcome {
        for attempt in 1... {
            do {
                return try await confirmAndReleaseOnce(review: review, department: department, targetCatalogCode: targetCatalogCode, confirm: confirm)
            } catch is HeldSetChanged where attempt < 5 {
                continue
            }
        }
        fatalError("unreachable")
    }

    func confirmAndReleaseOnce(
        review: Summary,
        department: Department,
        targetCatalogCode: String?,
        confirm: (PostgresConnection, inout LedgerChain) async throws -> Int64
    ) async throws -> Outcome {
        // What resolution needs besides the new mapping is read before the transaction.
        let held = try await Self.heldVersions(
            try await db.client.query(Self.heldQuery(department: department.id, review: review.id), logger: db.logger)
        )
        let profile = profiles[department.code]
        var context = try await IngestStore(db: db, catalogCache: catalogCache)
            .resolutionContext(for: held.map(\.record), department: department, profile: profile)
        context.underReview.remove(review.localCode)
        // Everything the release reads from the catalog is read here, before the ledger lock: inside it, asking
        // the pool for a second connection could wait forever behind ingests that wait for the lock.
        if let c = targetCatalogCode, context.implementationsByCatalog[c] == nil {
            context.implementationsByCatalog[c] = try await CatalogStore(db: db).implementations(catalogCodes: [c])[c] ?? []
            context.timeline = try await CatalogStore(db: db).timeline(
                implementationCodes: Array(Set(held.compactMap(\.record.item.implementationCode))),
                catalogCodes: Array(context.implementationsByCatalog.keys)
            )
        }
        let expected = Set(held.map { "\($0.localId)#\($0.version)" })

        return try await db.client.transaction(logger: db.logger) { conn in
            var chain = try await LedgerChain(conn, logger: db.logger)
            let release = try await confirm(conn, &chain)
            var mapping: ConfirmedMapping?
            for try await (c, i, rel) in try await conn.query(
                """
                SELECT catalog_code, implementation_code, relationship FROM item_mappings WHERE id = \(release)
                """,
                logger: db.logger
            ).decode((String?, String?, String).self) {
                mapping = ConfirmedMapping(localCode: review.localCode, catalogCode: c, implementationCode: i, relationship: rel, release: release)
            }
            context.mappings[review.localCode] = mapping
            var now = Set<String>()
            for try await (localId, version) in try await conn.query(
                """
                SELECT local_id, version FROM records WHERE department_id = \(department.id) AND review_id = \(review.id) AND status = 'held' FOR UPDATE
                """,
                logger: db.logger
            ).decode((String, Int).self) { now.insert("\(localId)#\(version)") }
            guard now == expected else { throw HeldSetChanged() }
            let plan = IngestPlanner.planRelease(held, review: review.id, release: release, context: context)
            // Closed before the writer opens reviews for records that still wait (perhaps of this same local item).
            try await conn.query(
                """
                UPDATE review_items SET status = \(ReviewStatus.closed.rawValue), closed_at = now(), decided_mapping = \(release) WHERE id = \(review.id)
                """,
                logger: db.logger
            )
            _ = try await RecordWriter(department: department, catalogDepartment: profile?.catalogDepartment, logger: db.logger)
                .apply(plan, conn: conn, chain: &chain)
            return Outcome(
                status: "released",
                release: release,
                released: plan.count(.accepted),
                rejected: plan.count(.rejected),
                stillHeld: plan.count(.held)
            )
        }
    }

    func lockOpen(_ conn: PostgresConnection, id: Int64, status: ReviewStatus) async throws {
        var current = ""
        for try await s in try await conn.query("SELECT status FROM review_items WHERE id = \(id) FOR UPDATE", logger: db.logger).decode(String.self)
        {
            current = s
        }
        guard current == status.rawValue else { throw status == .open ? ReviewError.notOpen(current) : ReviewError.notPending(current) }
    }

    /// The proposal must still be the review's pending one and still `proposed` (not withdrawn by a catalog
    /// change). Called with the review row locked.
    func lockProposal(_ conn: PostgresConnection, review id: Int64, release: Int64) async throws {
        var current: (String, Int64?)?
        for try await row in try await conn.query(
            """
            SELECT m.status, r.decided_mapping FROM item_mappings m JOIN review_items r ON r.id = \(id) WHERE m.id = \(release) FOR UPDATE OF m
            """,
            logger: db.logger
        ).decode((String, Int64?).self) { current = row }
        guard let current, current.0 == "proposed", current.1 == release else { throw ReviewError.proposalWithdrawn(release) }
    }

    func departmentOf(_ review: Summary) async throws -> Department {
        guard let d = try await DepartmentStore(db: db).department(code: review.department) else { throw ReviewError.notFound(review.id) }
        return d
    }

    /// The decision must point at an active catalog item of the records' item type (and an implementation
    /// item of that catalog item when one is named); "no match" points at nothing.
    func validateTarget(review: Summary, relationship: String, catalogCode: String?, implementationCode: String?) async throws -> (String?, String?) {
        if relationship == "no-match" { return (nil, nil) }
        if let catalogCode, ProvisionalItemCode.isProvisional(catalogCode) {
            return try await validateProvisionalTarget(review: review, catalogCode: catalogCode, implementationCode: implementationCode)
        }
        guard let catalogCode, CatalogCode(catalogCode) != nil else {
            throw ReviewError.invalid("catalogCode", "required", "请指定14位监管事项目录编码", "a 14-digit catalogCode is required")
        }
        let index = try await catalogCache.current()
        guard let entry = index.entry(catalogCode), entry.active else {
            throw ReviewError.invalid("catalogCode", "unknown_catalog_code", "目录中没有该在用事项", "no active catalog item has this code")
        }
        guard entry.itemType.recordKind == RecordKind(rawValue: review.recordKind) else {
            throw ReviewError.invalid(
                "catalogCode",
                "item_type_mismatch",
                "事项类型（\(entry.itemType.rawValue)）与记录类型不一致",
                "the catalog item's type \(entry.itemType.rawValue) does not match the records' kind"
            )
        }
        if let implementationCode {
            let facts = try await CatalogStore(db: db).facts(implementationCodes: [implementationCode])
            guard facts[implementationCode]?.catalogCode == catalogCode else {
                throw ReviewError.invalid(
                    "implementationCode",
                    "implementation_catalog_mismatch",
                    "实施清单编码不属于该目录事项",
                    "the implementation item does not belong to this catalog item"
                )
            }
        }
        return (catalogCode, implementationCode)
    }
}
