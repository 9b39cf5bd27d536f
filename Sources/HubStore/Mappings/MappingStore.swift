import HubModel
import Logging
import Normalization
import PostgresNIO

/// Mapping releases: every decision about a department's local item, by a person, by the matcher or from
/// a profile, with who, when, why, the relationship and the evidence. Only one is `confirmed` at a time;
/// earlier ones are `superseded`, never deleted. Each confirmation is a ledger entry.
public struct MappingStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// The decided (confirmed) mappings of these local codes, including "no match" decisions; on `conn` when
    /// read inside a transaction (ingest reads them again after the ledger lock), else from the pool.
    public func decided(department: Int64, localCodes: [String], on conn: PostgresConnection? = nil) async throws -> [String: ConfirmedMapping] {
        guard !localCodes.isEmpty else { return [:] }
        let query: PostgresQuery = """
            SELECT local_code, catalog_code, implementation_code, relationship, id FROM item_mappings
            WHERE department_id = \(department) AND status = 'confirmed' AND local_code = ANY(\(localCodes))
            """
        let rows: PostgresRowSequence
        if let conn { rows = try await conn.query(query, logger: db.logger) } else { rows = try await db.client.query(query, logger: db.logger) }
        var out: [String: ConfirmedMapping] = [:]
        for try await (local, catalogCode, implementationCode, relationship, id) in rows.decode((String, String?, String?, String, Int64).self) {
            out[local] = ConfirmedMapping(
                localCode: local,
                catalogCode: catalogCode,
                implementationCode: implementationCode,
                relationship: relationship,
                release: id
            )
        }
        return out
    }

    /// A new mapping release inside the caller's transaction. `confirmed` supersedes the earlier confirmed
    /// release of the same local item and writes a ledger entry; `proposed` waits for a second person.
    static func insert(
        department: Department,
        localCode: String,
        catalogCode: String?,
        implementationCode: String?,
        relationship: String,
        rule: String,
        decidedBy: String,
        reason: String,
        evidence: String,
        reviewId: Int64?,
        status: String,
        conn: PostgresConnection,
        chain: inout LedgerChain,
        logger: Logger
    ) async throws -> Int64 {
        if status == "confirmed" {
            try await conn.query(
                """
                UPDATE item_mappings SET status = 'superseded'
                WHERE department_id = \(department.id) AND local_code = \(localCode) AND status IN ('confirmed', 'needs_review')
                """,
                logger: logger
            )
        }
        var id: Int64 = 0
        let rows = try await conn.query(
            """
            INSERT INTO item_mappings (department_id, local_code, catalog_code, implementation_code, relationship, rule, status,
                                       decided_by, reason, evidence, review_id)
            VALUES (\(department.id), \(localCode), \(catalogCode), \(implementationCode), \(relationship), \(rule), \(status),
                    \(decidedBy), \(reason), \(evidence), \(reviewId))
            RETURNING id
            """,
            logger: logger
        )
        for try await v in rows.decode(Int64.self) { id = v }
        if status == "confirmed" {
            chain.add(
                kind: .mapping,
                department: department.code,
                subject: "mapping:\(localCode)",
                payload: releasePayload(
                    id: id,
                    localCode: localCode,
                    catalogCode: catalogCode,
                    implementationCode: implementationCode,
                    relationship: relationship,
                    rule: rule,
                    decidedBy: decidedBy,
                    approvedBy: nil,
                    reason: reason
                )
            )
        }
        return id
    }

    static func releasePayload(
        id: Int64,
        localCode: String,
        catalogCode: String?,
        implementationCode: String?,
        relationship: String,
        rule: String,
        decidedBy: String,
        approvedBy: String?,
        reason: String
    ) -> String {
        var m: [(String, JSONValue)] = [
            ("release", .number(String(id))), ("localCode", .string(localCode)), ("relationship", .string(relationship)),
            ("rule", .string(rule)), ("decidedBy", .string(decidedBy)), ("reason", .string(reason)),
        ]
        if let catalogCode { m.append(("catalogCode", .string(catalogCode))) }
        if let implementationCode { m.append(("implementationCode", .string(implementationCode))) }
        if let approvedBy { m.append(("approvedBy", .string(approvedBy))) }
        return CanonicalJSON.string(.object(m))
    }

    /// Confirms a mapping outright (a profile's known item, an import, a test). Returns the release.
    @discardableResult
    public func confirm(
        department: Department,
        localCode: String,
        catalogCode: String?,
        implementationCode: String?,
        relationship: String = "equivalent",
        decidedBy: String,
        reason: String,
        rule: String = "human"
    ) async throws -> Int64 {
        try await db.client.withTransaction(logger: db.logger) { conn in
            var chain = try await LedgerChain(conn, logger: db.logger)
            let id = try await Self.insert(
                department: department,
                localCode: localCode,
                catalogCode: catalogCode,
                implementationCode: implementationCode,
                relationship: relationship,
                rule: rule,
                decidedBy: decidedBy,
                reason: reason,
                evidence: "[]",
                reviewId: nil,
                status: "confirmed",
                conn: conn,
                chain: &chain,
                logger: db.logger
            )
            try await chain.flush(conn, logger: db.logger)
            return id
        }
    }
}

extension MappingStore {
    /// Confirms the known items of a department's profile that have no decided mapping yet (rule `profile`).
    /// Returns how many it confirmed.
    @discardableResult
    public func syncProfile(_ profile: DepartmentProfile, department: Department) async throws -> Int {
        let decided = try await decided(department: department.id, localCodes: profile.items.map(\.localCode))
        // An item whose mapping the catalog sent back to review, or that waits for a person, is left to that review.
        var waiting = Set<String>()
        for try await code in try await db.client.query(
            """
            SELECT local_code FROM item_mappings WHERE department_id = \(department.id) AND status = 'needs_review'
            UNION SELECT local_code FROM review_items WHERE department_id = \(department.id) AND status IN ('open', 'pending_approval')
            """,
            logger: db.logger
        ).decode(String.self) { waiting.insert(code) }
        var count = 0
        for item in profile.items where decided[item.localCode] == nil && !waiting.contains(item.localCode) {
            try await confirm(
                department: department,
                localCode: item.localCode,
                catalogCode: item.catalogCode,
                implementationCode: item.implementationCode,
                decidedBy: "profile",
                reason: "部门配置 \(profile.source)",
                rule: "profile"
            )
            count += 1
        }
        return count
    }

    /// Confirmed mappings of a department (or all), for export.
    public func confirmed(
        department: String?
    ) async throws -> [(
        department: String, localCode: String, catalogCode: String?, implementationCode: String?,
        relationship: String, rule: String, decidedBy: String, reason: String
    )] {
        var out: [(String, String, String?, String?, String, String, String, String)] = []
        let rows = try await db.client.query(
            """
            SELECT d.code, m.local_code, m.catalog_code, m.implementation_code, m.relationship, m.rule, m.decided_by, m.reason
            FROM item_mappings m JOIN departments d ON d.id = m.department_id
            WHERE m.status = 'confirmed' AND (\(department)::text IS NULL OR d.code = \(department))
            ORDER BY d.code, m.local_code
            """,
            logger: db.logger
        )
        for try await r in rows.decode((String, String, String?, String?, String, String, String, String).self) { out.append(r) }
        return out
    }
}
