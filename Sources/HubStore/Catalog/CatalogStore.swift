import Foundation
import HubModel
import Logging
import Normalization
import PostgresNIO

/// The provincial catalog: catalog items and implementation items, every version kept.
///
/// An import compares each row with the current version of its code and writes a new version only when
/// something changed; each change is also a ledger entry, so the catalog's history is as auditable as the
/// records coded against it.
public struct CatalogStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// One catalog row as published.
    public struct CatalogRow: Sendable, Hashable {
        public var code: String
        public var name: String
        public var itemType: ItemType
        public var department: String
        public var legalBasis: String
        public var parentCode: String?
        public var levels: String
        public var status: String
        /// When this version takes effect (optional `effective_from` column, `YYYY-MM-DD`); the import time otherwise.
        public var effectiveFrom: String?

        public init(code: String, name: String, itemType: ItemType, department: String, legalBasis: String, parentCode: String? = nil,
                    levels: String = "", status: String = "active", effectiveFrom: String? = nil) {
            self.code = code
            self.name = name
            self.itemType = itemType
            self.department = department
            self.legalBasis = legalBasis
            self.parentCode = parentCode
            self.levels = levels
            self.status = status
            self.effectiveFrom = effectiveFrom
        }
    }

    /// One implementation row as published.
    public struct ImplementationRow: Sendable, Hashable {
        public var code: String
        public var catalogCode: String
        public var agencyCode: String
        public var agencyName: String
        public var regionCode: String
        public var level: Int
    }

    public struct ImportProblem: Error, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var reason: String
        public var description: String { "\(file):\(line): \(reason)" }
    }

    public struct ImportSummary: Sendable, Equatable {
        public var rows = 0
        public var added = 0
        public var changed = 0
        public var unchanged = 0
        /// Confirmed mappings sent back to review because their catalog item changed or was retired.
        public var mappingsToReview = 0
    }

    // MARK: Reading the CSV files

    /// Reads a catalog CSV (`catalog_code,name,item_type,department,legal_basis[,parent_code,level,status]`).
    public static func parseCatalog(_ text: String, file: String) throws -> [CatalogRow] {
        let table: (header: [String], rows: [(line: Int, values: [String: String])])
        do { table = try CSV.records(text) } catch { throw ImportProblem(file: file, line: error.line, reason: error.reason) }
        for column in ["catalog_code", "name", "item_type", "department", "legal_basis"] where !table.header.contains(column) {
            throw ImportProblem(file: file, line: 1, reason: "missing column \(column)")
        }
        var seen = Set<String>()
        return try table.rows.map { row in
            func value(_ k: String) -> String { (row.values[k] ?? "").trimmingCharacters(in: .whitespaces) }
            let code = value("catalog_code")
            guard CatalogCode(code) != nil else { throw ImportProblem(file: file, line: row.line, reason: "catalog_code \"\(code)\" is not 14 digits") }
            guard seen.insert(code).inserted else { throw ImportProblem(file: file, line: row.line, reason: "catalog_code \(code) appears twice") }
            guard let type = ItemType(rawValue: value("item_type")) else {
                throw ImportProblem(file: file, line: row.line, reason: "item_type must be 行政检查/行政处罚/行政强制/其他")
            }
            guard !value("name").isEmpty, !value("legal_basis").isEmpty, !value("department").isEmpty else {
                throw ImportProblem(file: file, line: row.line, reason: "name, department and legal_basis are required")
            }
            let parent = value("parent_code")
            if !parent.isEmpty, CatalogCode(parent) == nil {
                throw ImportProblem(file: file, line: row.line, reason: "parent_code \"\(parent)\" is not 14 digits")
            }
            let status: String
            switch value("status") {
            case "", "active", "在用", "有效": status = "active"
            case "retired", "停用", "已取消", "废止": status = "retired"
            case let other: throw ImportProblem(file: file, line: row.line, reason: "status \"\(other)\" is neither active nor retired")
            }
            let effective = value("effective_from")
            if !effective.isEmpty, Timestamp(effective + "T00:00:00+08:00") == nil {
                throw ImportProblem(file: file, line: row.line, reason: "effective_from \"\(effective)\" is not a date YYYY-MM-DD")
            }
            return CatalogRow(code: code, name: value("name"), itemType: type, department: value("department"),
                              legalBasis: row.values["legal_basis"]!.trimmingCharacters(in: .whitespacesAndNewlines),
                              parentCode: parent.isEmpty ? nil : parent, levels: value("level"), status: status,
                              effectiveFrom: effective.isEmpty ? nil : effective)
        }
    }

    /// Reads an implementation CSV (`implementation_code,catalog_code,agency_code,agency_name,region_code`).
    public static func parseImplementation(_ text: String, file: String) throws -> [ImplementationRow] {
        let table: (header: [String], rows: [(line: Int, values: [String: String])])
        do { table = try CSV.records(text) } catch { throw ImportProblem(file: file, line: error.line, reason: error.reason) }
        for column in ["implementation_code", "catalog_code", "agency_code", "agency_name", "region_code"] where !table.header.contains(column) {
            throw ImportProblem(file: file, line: 1, reason: "missing column \(column)")
        }
        return try table.rows.map { row in
            func value(_ k: String) -> String { (row.values[k] ?? "").trimmingCharacters(in: .whitespaces) }
            let code: ImplementationCode
            do { code = try ImplementationCode(value("implementation_code")) } catch let problem as ImplementationCode.Problem {
                throw ImportProblem(file: file, line: row.line, reason: "implementation_code: \(problem.fieldError("").messageEn)")
            }
            guard CatalogCode(value("catalog_code")) != nil else { throw ImportProblem(file: file, line: row.line, reason: "catalog_code is not 14 digits") }
            guard code.agency.value == value("agency_code") else {
                throw ImportProblem(file: file, line: row.line, reason: "implementation_code does not start with agency_code")
            }
            guard RegionCode(value("region_code")) != nil else { throw ImportProblem(file: file, line: row.line, reason: "region_code is not 6 digits") }
            return ImplementationRow(code: code.value, catalogCode: value("catalog_code"), agencyCode: value("agency_code"),
                                     agencyName: value("agency_name"), regionCode: value("region_code"), level: code.level)
        }
    }

    // MARK: Writing versions

    /// Writes new versions of what changed, in one transaction, with a ledger entry per change.
    public func importCatalog(_ rows: [CatalogRow]) async throws -> ImportSummary {
        try await db.client.withTransaction(logger: db.logger) { conn in
            var current: [String: (Int, CatalogRow)] = [:]
            let existing = try await conn.query("""
                SELECT code, version, name, item_type, department, legal_basis, parent_code, levels, status FROM catalog_current
                """, logger: db.logger)
            for try await (code, version, name, type, dept, basis, parent, levels, status) in existing.decode(
                (String, Int, String, String, String, String, String?, String, String).self)
            {
                current[code] = (version, CatalogRow(code: code, name: name, itemType: ItemType(rawValue: type) ?? .other, department: dept,
                                                     legalBasis: basis, parentCode: parent, levels: levels, status: status, effectiveFrom: nil))
            }
            var summary = ImportSummary()
            var drafts: [LedgerDraft] = []
            // What stood before this import (the mappings to reopen are judged against it); `current` moves on
            // row by row, so two changes to one item in one import become two versions, not one key clash.
            let before = current
            for row in rows {
                summary.rows += 1
                let old = current[row.code]
                var comparable = row
                comparable.effectiveFrom = nil
                if let old, old.1 == comparable { summary.unchanged += 1; continue }
                let version = (old?.0 ?? 0) + 1
                if old == nil { summary.added += 1 } else { summary.changed += 1 }
                let refs = CitationParser.parse(row.legalBasis)
                let refsJSON = String(decoding: try JSONEncoder().encode(refs), as: UTF8.self)
                try await conn.query("""
                    INSERT INTO catalog_items (code, version, name, item_type, department, legal_basis, legal_refs, parent_code, levels, status, effective_from)
                    VALUES (\(row.code), \(version), \(row.name), \(row.itemType.rawValue), \(row.department), \(row.legalBasis),
                            \(refsJSON)::jsonb, \(row.parentCode), \(row.levels), \(row.status),
                            coalesce((\(row.effectiveFrom)::text || ' 00:00:00+08')::timestamptz, now()))
                    """, logger: db.logger)
                let payload = JSONValue.object([
                    ("change", .string(old == nil ? "added" : "changed")), ("version", .number(String(version))),
                    ("name", .string(row.name)), ("itemType", .string(row.itemType.rawValue)), ("department", .string(row.department)),
                    ("legalBasis", .string(row.legalBasis)), ("status", .string(row.status)),
                ])
                drafts.append(LedgerDraft(kind: .catalog, department: "", subject: "catalog:\(row.code)", payload: CanonicalJSON.string(payload)))
                current[row.code] = (version, comparable)
            }
            _ = try await LedgerStore.append(drafts, conn, logger: db.logger)
            summary.mappingsToReview = try await reopenMappings(conn, changedCodes: rows.filter { row in
                var comparable = row
                comparable.effectiveFrom = nil
                return before[row.code].map { $0.1 != comparable } ?? false
            }.map(\.code))
            return summary
        }
    }

    /// A catalog item that changed or was retired puts the confirmed mappings pointing at it back into
    /// review: the mapping becomes `needs_review` and an open review item (reason `catalog_changed`) waits
    /// for a person; records of that local item are held until then.
    func reopenMappings(_ conn: PostgresConnection, changedCodes: [String]) async throws -> Int {
        guard !changedCodes.isEmpty else { return 0 }
        var count = 0
        let rows = try await conn.query("""
            WITH reopened AS (
                UPDATE item_mappings SET status = 'needs_review'
                WHERE status = 'confirmed' AND catalog_code = ANY(\(changedCodes)) RETURNING department_id, local_code, catalog_code)
            INSERT INTO review_items (department_id, local_code, record_kind, reason, candidates)
            SELECT r.department_id, r.local_code,
                   CASE c.item_type WHEN '行政检查' THEN 'inspection' WHEN '行政处罚' THEN 'penalty' WHEN '行政强制' THEN 'coercion' ELSE 'other' END,
                   'catalog_changed', '[]'
            FROM reopened r JOIN catalog_current c ON c.code = r.catalog_code
            ON CONFLICT (department_id, local_code) WHERE status IN ('open', 'pending_approval') DO UPDATE SET reason = 'catalog_changed'
            RETURNING 1
            """, logger: db.logger)
        for try await _ in rows.decode(Int.self) { count += 1 }
        // A proposal waiting for approval that points at a changed item goes back to the reviewers.
        try await conn.query("""
            WITH withdrawn AS (
                UPDATE item_mappings SET status = 'withdrawn' WHERE status = 'proposed' AND catalog_code = ANY(\(changedCodes)) RETURNING review_id)
            UPDATE review_items SET status = 'open', reason = 'catalog_changed', decided_mapping = NULL
            WHERE id IN (SELECT review_id FROM withdrawn) AND status = 'pending_approval'
            """, logger: db.logger)
        return count
    }

    /// Writes new versions of changed implementation items (no ledger entry: they follow their catalog item).
    public func importImplementation(_ rows: [ImplementationRow]) async throws -> ImportSummary {
        try await db.client.withTransaction(logger: db.logger) { conn in
            var current: [String: (Int, ImplementationRow)] = [:]
            let existing = try await conn.query("""
                SELECT code, version, catalog_code, agency_code, agency_name, region_code, level FROM implementation_current
                """, logger: db.logger)
            for try await (code, version, catalogCode, agency, agencyName, region, level) in existing.decode((String, Int, String, String, String, String, Int).self) {
                current[code] = (version, ImplementationRow(code: code, catalogCode: catalogCode, agencyCode: agency, agencyName: agencyName, regionCode: region, level: level))
            }
            var summary = ImportSummary()
            for row in rows {
                summary.rows += 1
                let old = current[row.code]
                if let old, old.1 == row { summary.unchanged += 1; continue }
                if old == nil { summary.added += 1 } else { summary.changed += 1 }
                try await conn.query("""
                    INSERT INTO implementation_items (code, version, catalog_code, agency_code, agency_name, region_code, level, status)
                    VALUES (\(row.code), \((old?.0 ?? 0) + 1), \(row.catalogCode), \(row.agencyCode), \(row.agencyName), \(row.regionCode), \(row.level), 'active')
                    """, logger: db.logger)
            }
            return summary
        }
    }

    // MARK: Reading for ingest

    /// The facts the item resolution needs, for the implementation codes a batch mentions.
    public func facts(implementationCodes: [String]) async throws -> [String: ImplementationFacts] {
        guard !implementationCodes.isEmpty else { return [:] }
        var out: [String: ImplementationFacts] = [:]
        for f in try await facts(where: "i.code = ANY($1)", implementationCodes) { out[f.implementationCode] = f }
        return out
    }

    /// Active implementation items of the given catalog items, by catalog code.
    public func implementations(catalogCodes: [String]) async throws -> [String: [ImplementationFacts]] {
        guard !catalogCodes.isEmpty else { return [:] }
        var out: [String: [ImplementationFacts]] = [:]
        for f in try await facts(where: "i.catalog_code = ANY($1) AND i.status = 'active'", catalogCodes) {
            out[f.catalogCode, default: []].append(f)
        }
        return out
    }

    func facts(where condition: String, _ codes: [String]) async throws -> [ImplementationFacts] {
        var bindings = PostgresBindings()
        bindings.append(codes)
        let rows = try await db.client.query(PostgresQuery(unsafeSQL: """
            SELECT i.code, i.catalog_code, i.agency_code, i.level, c.item_type, c.status, i.status
            FROM implementation_current i JOIN catalog_current c ON c.code = i.catalog_code
            WHERE \(condition) ORDER BY i.code
            """, binds: bindings), logger: db.logger)
        var out: [ImplementationFacts] = []
        for try await (code, catalogCode, agency, level, type, catalogStatus, status) in rows.decode((String, String, String, Int, String, String, String).self) {
            out.append(ImplementationFacts(implementationCode: code, catalogCode: catalogCode, agencyCode: agency, level: level,
                                           itemType: ItemType(rawValue: type) ?? .other,
                                           catalogActive: catalogStatus == "active", implementationActive: status == "active"))
        }
        return out
    }

    /// Implementation items of one agency (for the demo and tests: a department's own codes).
    public func implementations(agencyName: String? = nil, regionCode: String? = nil, limit: Int = 100) async throws -> [(code: String, catalogCode: String, agencyCode: String, agencyName: String, itemType: ItemType)] {
        let rows = try await db.client.query("""
            SELECT i.code, i.catalog_code, i.agency_code, i.agency_name, c.item_type
            FROM implementation_current i JOIN catalog_current c ON c.code = i.catalog_code
            WHERE c.status = 'active' AND i.status = 'active'
              AND (\(agencyName)::text IS NULL OR i.agency_name = \(agencyName))
              AND (\(regionCode)::text IS NULL OR i.region_code = \(regionCode))
            ORDER BY i.code LIMIT \(limit)
            """, logger: db.logger)
        var out: [(String, String, String, String, ItemType)] = []
        for try await (code, catalogCode, agency, agencyName, type) in rows.decode((String, String, String, String, String).self) {
            out.append((code, catalogCode, agency, agencyName, ItemType(rawValue: type) ?? .other))
        }
        return out
    }

    public func counts() async throws -> (catalog: Int, implementation: Int) {
        var c = 0, i = 0
        for try await v in try await db.client.query("SELECT count(*)::int FROM catalog_current", logger: db.logger).decode(Int.self) { c = v }
        for try await v in try await db.client.query("SELECT count(*)::int FROM implementation_current", logger: db.logger).decode(Int.self) { i = v }
        return (c, i)
    }
}
