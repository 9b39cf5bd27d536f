import Logging
import PostgresNIO

/// What the console reads of mapping releases: releases by id (how a record was normalized, a proposal
/// waiting for approval) and the local items mapped to a catalog item.
extension MappingStore {
    /// One mapping release as decided.
    public struct Release: Sendable {
        public var id: Int64
        public var rule: String
        public var decidedBy: String
        public var approvedBy: String?
        public var catalogCode: String?
        public var implementationCode: String?
        public var relationship: String
        public var reason: String
        /// Canonical JSON of the ranked candidates with their evidence.
        public var evidence: String
    }

    /// The releases with these ids, by id.
    public func releases(_ ids: [Int64]) async throws -> [Int64: Release] {
        guard !ids.isEmpty else { return [:] }
        var out: [Int64: Release] = [:]
        for try await (id, rule, by, approvedBy, catalogCode, implementationCode, relationship, reason, evidence) in try await db.client.query(
            """
            SELECT id, rule, decided_by, approved_by, catalog_code, implementation_code, relationship, reason, evidence
            FROM item_mappings WHERE id = ANY(\(ids))
            """,
            logger: db.logger
        ).decode((Int64, String, String, String?, String?, String?, String, String, String).self) {
            out[id] = Release(
                id: id,
                rule: rule,
                decidedBy: by,
                approvedBy: approvedBy,
                catalogCode: catalogCode,
                implementationCode: implementationCode,
                relationship: relationship,
                reason: reason,
                evidence: evidence
            )
        }
        return out
    }

    /// A department's local item mapped to a catalog item.
    public struct CatalogMapping: Sendable {
        public var id: Int64
        public var department: String
        public var localCode: String
        public var relationship: String
        public var status: String
        public var rule: String
        public var decidedBy: String
    }

    /// The confirmed, needing-review and proposed mappings to `catalogCode`, by department and local code.
    public func mappings(toCatalogCode catalogCode: String) async throws -> [CatalogMapping] {
        var out: [CatalogMapping] = []
        for try await (dept, local, relationship, status, rule, by, id) in try await db.client.query(
            """
            SELECT d.code, m.local_code, m.relationship, m.status, m.rule, m.decided_by, m.id
            FROM item_mappings m JOIN departments d ON d.id = m.department_id
            WHERE m.catalog_code = \(catalogCode) AND m.status IN ('confirmed', 'needs_review', 'proposed')
            ORDER BY d.code, m.local_code
            """,
            logger: db.logger
        ).decode((String, String, String, String, String, String, Int64).self) {
            out.append(
                CatalogMapping(
                    id: id,
                    department: dept,
                    localCode: local,
                    relationship: relationship,
                    status: status,
                    rule: rule,
                    decidedBy: by
                )
            )
        }
        return out
    }
}
