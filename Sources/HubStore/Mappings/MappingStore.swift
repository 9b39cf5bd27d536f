import HubModel
import PostgresNIO

/// Confirmed mappings of departments' local items to provincial codes.
///
/// The foundation only reads them at ingest and lets ops confirm one; the review workflow (decisions,
/// four eyes, releasing held records) builds on this table.
public struct MappingStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// Confirms `localCode` → codes for a department, replacing an earlier confirmed mapping; the decision
    /// is a ledger entry. Returns the mapping release (its id). Records already held are released by the
    /// review workflow, not here.
    @discardableResult
    public func confirm(department: Department, localCode: String, catalogCode: String, implementationCode: String,
                        decidedBy: String, reason: String) async throws -> Int64 {
        try await db.client.withTransaction(logger: db.logger) { conn in
            try await conn.query("""
                UPDATE item_mappings SET status = 'superseded'
                WHERE department_id = \(department.id) AND local_code = \(localCode) AND status = 'confirmed'
                """, logger: db.logger)
            var id: Int64 = 0
            let rows = try await conn.query("""
                INSERT INTO item_mappings (department_id, local_code, catalog_code, implementation_code, decided_by, reason)
                VALUES (\(department.id), \(localCode), \(catalogCode), \(implementationCode), \(decidedBy), \(reason)) RETURNING id
                """, logger: db.logger)
            for try await v in rows.decode(Int64.self) { id = v }
            let payload = JSONValue.object([
                ("release", .number(String(id))), ("localCode", .string(localCode)), ("catalogCode", .string(catalogCode)),
                ("implementationCode", .string(implementationCode)), ("relationship", .string("equivalent")),
                ("decidedBy", .string(decidedBy)), ("reason", .string(reason)),
            ])
            _ = try await LedgerStore.append([(kind: "mapping", department: department.code, subject: "mapping:\(localCode)",
                                               payload: CanonicalJSON.string(payload))], conn, logger: db.logger)
            return id
        }
    }
}
