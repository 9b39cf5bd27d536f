import HubModel
import Ingest
import Logging
import Normalization
import PostgresNIO

/// Mapping proposals that come from outside the queue (`hub mappings import`): each becomes a decision
/// waiting for a second person's approval on a review item of its own, exactly as if a reviewer had decided
/// it in the console, so an import cannot confirm mappings on one person's word.
extension ReviewStore {
    /// Proposes a mapping for a department's local item and returns the review that now waits for approval (the
    /// caller checked `ReviewPolicy.authorize(.decide, …)`).
    /// An open review of the item takes the proposal; one already waiting for approval refuses it (409).
    public func propose(
        department: Department,
        localCode: String,
        catalogCode: String?,
        implementationCode: String?,
        relationship: String,
        by user: OpsUser,
        reason: String,
        rule: String = "import"
    ) async throws -> Int64 {
        guard user.sees(department: department.code) else { throw ReviewError.outOfScope(department.code) }
        guard Self.relationships.contains(relationship) else {
            throw ReviewError.invalid(
                "relationship",
                "invalid_relationship",
                "关系应为 equivalent、local-narrower、local-broader 或 no-match",
                "relationship must be equivalent, local-narrower, local-broader or no-match"
            )
        }
        guard !localCode.isEmpty, localCode.utf8.count <= 64 else {
            throw ReviewError.invalid("localCode", "required", "须填写本地事项编码（最多 64 字节）", "a local code of at most 64 bytes is required")
        }
        // The record kind follows the catalog item; a "no match" proposal keeps the kind of the item's open review.
        var recordKind = RecordKind.other.rawValue
        if relationship != "no-match", let catalogCode, ProvisionalItemCode.isProvisional(catalogCode) {
            recordKind = try await provisionalTarget(department: department.code, catalogCode: catalogCode, implementationCode: implementationCode)
                .itemType.recordKind.rawValue
        } else if relationship != "no-match" {
            guard let catalogCode, CatalogCode(catalogCode) != nil else {
                throw ReviewError.invalid("catalogCode", "required", "请指定14位监管事项目录编码", "a 14-digit catalogCode is required")
            }
            guard let entry = try await catalogCache.current().entry(catalogCode), entry.active else {
                throw ReviewError.invalid("catalogCode", "unknown_catalog_code", "目录中没有该在用事项", "no active catalog item has this code")
            }
            recordKind = entry.itemType.recordKind.rawValue
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
        }
        let target = relationship == "no-match" ? (nil, nil) : (catalogCode, implementationCode)
        return try await db.client.transaction(logger: db.logger) { conn in
            var chain = try await LedgerChain(conn, logger: db.logger)
            var existing: (Int64, String, String)?
            for try await row in try await conn.query(
                """
                SELECT id, status, record_kind FROM review_items
                WHERE department_id = \(department.id) AND local_code = \(localCode) AND status IN ('open', 'pending_approval') FOR UPDATE
                """,
                logger: db.logger
            ).decode((Int64, String, String).self) { existing = row }
            let id: Int64
            if let existing {
                guard existing.1 == ReviewStatus.open.rawValue else { throw ReviewError.notOpen(existing.1) }
                if relationship != "no-match", existing.2 != recordKind {
                    throw ReviewError.invalid(
                        "catalogCode",
                        "item_type_mismatch",
                        "事项类型与该本地事项的记录类型不一致",
                        "the catalog item's type does not match the records' kind of this local item"
                    )
                }
                id = existing.0
            } else {
                var newId: Int64 = 0
                for try await v in try await conn.query(
                    """
                    INSERT INTO review_items (department_id, local_code, record_kind, reason, candidates)
                    VALUES (\(department.id), \(localCode), \(recordKind), 'import', '[]') RETURNING id
                    """,
                    logger: db.logger
                ).decode(Int64.self) { newId = v }
                id = newId
            }
            _ = try await Self.propose(
                reviewId: id,
                department: department,
                localCode: localCode,
                target: target,
                relationship: relationship,
                rule: rule,
                by: user.username,
                reason: reason,
                evidence: "[]",
                conn: conn,
                chain: &chain,
                logger: db.logger
            )
            try await chain.flush(conn, logger: db.logger)
            return id
        }
    }

    /// Writes a decision that waits for a second person: the proposed mapping release, the review item
    /// pending approval with it, and the `review_decision` ledger entry (flushed by the caller). One writer for
    /// a decision made in the console or API and for one imported from a file.
    static func propose(
        reviewId id: Int64,
        department: Department,
        localCode: String,
        target: (String?, String?),
        relationship: String,
        rule: String,
        by username: String,
        reason: String,
        evidence: String,
        conn: PostgresConnection,
        chain: inout LedgerChain,
        logger: Logger
    ) async throws -> Int64 {
        let release = try await MappingStore.insert(
            department: department,
            localCode: localCode,
            catalogCode: target.0,
            implementationCode: target.1,
            relationship: relationship,
            rule: rule,
            decidedBy: username,
            reason: reason,
            evidence: evidence,
            reviewId: id,
            status: "proposed",
            conn: conn,
            chain: &chain,
            logger: logger
        )
        try await conn.query(
            """
            UPDATE review_items SET status = \(ReviewStatus.pendingApproval.rawValue), decided_mapping = \(release) WHERE id = \(id)
            """,
            logger: logger
        )
        chain.add(
            kind: .reviewDecision,
            department: department.code,
            subject: "review:\(id)",
            payload: MappingStore.releasePayload(
                id: release,
                localCode: localCode,
                catalogCode: target.0,
                implementationCode: target.1,
                relationship: relationship,
                rule: rule,
                decidedBy: username,
                approvedBy: nil,
                reason: reason
            )
        )
        return release
    }
}
