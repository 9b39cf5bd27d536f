import HubModel
import Logging
import PostgresNIO
import Supervision

/// Writes library batches (一单两库 and conflicts) and reads the libraries back.
///
/// A batch is one transaction: the ledger's append lock first (it also serializes library writers, so what is
/// read next stays true until commit), then the facts the batch is checked against, then `LibraryRules.plan`
/// (pure) decides every row and this applies the writes: one ledger entry per changed row and, for items,
/// subjects and inspectors, one outbox row for the province. Conflicts stay in the city: they are personal
/// declarations of inspectors, and the province's 双随机 system is sent draws that already avoid them.
public struct LibraryStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// Checks and writes one batch signed (or imported) for department `signer`; one result per outcome, in order.
    public func write(_ outcomes: [LibraryReader.Outcome], kind: LibraryKind, signer: String) async throws -> [LibraryResult] {
        let logger = db.logger
        return try await db.client.transaction(logger: logger) { conn in
            var chain = try await LedgerChain(conn, logger: logger)
            let facts = try await Self.facts(for: outcomes, kind: kind, signer: signer, on: conn, logger: logger)
            let decisions = LibraryRules.plan(outcomes, kind: kind, facts: facts)
            var writes: [(LibraryChange, Int64)] = []
            var results: [LibraryResult] = []
            results.reserveCapacity(decisions.count)
            for (index, decision) in decisions.enumerated() {
                switch decision {
                case .write(let change):
                    let entry = chain.add(change.ledgerDraft(department: signer))
                    writes.append((change, entry.seq))
                    results.append(LibraryResult(index: index, status: .accepted, key: change.key, operation: change.operation, ledgerSeq: entry.seq))
                case .unchanged(let key):
                    results.append(LibraryResult(index: index, status: .unchanged, key: key))
                case .rejected(let errors):
                    results.append(LibraryResult(index: index, status: .rejected, errors: errors))
                }
            }
            try await chain.flush(conn, logger: logger)
            for (change, seq) in writes {
                try await Self.apply(change, ledgerSeq: seq, signer: signer, on: conn, logger: logger)
            }
            return results
        }
    }

    /// What the rules need for this batch, read inside the transaction after the ledger lock.
    static func facts(
        for outcomes: [LibraryReader.Outcome],
        kind: LibraryKind,
        signer: String,
        on conn: PostgresConnection,
        logger: Logger
    ) async throws -> LibraryFacts {
        var facts = LibraryFacts(signer: signer)
        let rows: [LibraryRow] = outcomes.compactMap { if case .valid(let e) = $0 { LibraryRules.owned(e.row, by: signer) } else { nil } }
        let keys = Array(Set(rows.map(\.key)))
        switch kind {
        case .items:
            let codes = Array(Set(rows.compactMap { if case .item(let i, _) = $0 { i.catalogCode } else { nil } }))
            for try await code in try await conn.query("SELECT DISTINCT code FROM catalog_items WHERE code = ANY(\(codes))", logger: logger)
                .decode(String.self)
            {
                facts.catalogCodes.insert(code)
            }
            for try await code in try await conn.query("SELECT code FROM departments", logger: logger).decode(String.self) {
                facts.departments.insert(code)
            }
            for row in try await LibraryQueries.items(
                where: "department_code || ':' || catalog_code = ANY($1)",
                LibraryQueries.keys(keys),
                on: conn,
                logger: logger
            ) {
                facts.stored[row.row.key] = row.row
            }
        case .subjects:
            for row in try await LibraryQueries.subjects(where: "subject_id = ANY($1)", LibraryQueries.keys(keys), on: conn, logger: logger) {
                facts.stored[row.row.key] = row.row
            }
        case .inspectors:
            for row in try await LibraryQueries.inspectors(where: "certificate_no = ANY($1)", LibraryQueries.keys(keys), on: conn, logger: logger) {
                facts.stored[row.row.key] = row.row
            }
        case .conflicts:
            for row in try await LibraryQueries.conflicts(
                where: "certificate_no || ':' || subject_id = ANY($1)",
                LibraryQueries.keys(keys),
                on: conn,
                logger: logger
            ) {
                facts.stored[row.row.key] = row.row
            }
            let certificates = Array(Set(rows.compactMap { if case .conflict(let c, _) = $0 { c.certificateNo } else { nil } }))
            for try await (certificate, department) in try await conn.query(
                "SELECT certificate_no, department_code FROM rc_inspectors WHERE certificate_no = ANY(\(certificates))",
                logger: logger
            ).decode((String, String).self) {
                facts.inspectorDepartments[certificate] = department
            }
        }
        return facts
    }

    /// Applies one decided change and queues it for the province (conflicts excepted).
    static func apply(_ change: LibraryChange, ledgerSeq: Int64, signer: String, on conn: PostgresConnection, logger: Logger) async throws {
        let outbound: OutboundKind?
        switch change.row {
        case .item(let i, let active):
            outbound = .checkItem
            try await conn.query(
                """
                INSERT INTO rc_items (department_code, catalog_code, implementation_code, name, check_content, check_method,
                                      joint_departments, active, ledger_seq)
                VALUES (\(i.departmentCode), \(i.catalogCode), \(i.implementationCode), \(i.name), \(i.checkContent), \(i.checkMethod),
                        \(i.jointDepartments), \(active), \(ledgerSeq))
                ON CONFLICT (department_code, catalog_code) DO UPDATE SET
                    implementation_code = EXCLUDED.implementation_code, name = EXCLUDED.name, check_content = EXCLUDED.check_content,
                    check_method = EXCLUDED.check_method, joint_departments = EXCLUDED.joint_departments, active = EXCLUDED.active,
                    ledger_seq = EXCLUDED.ledger_seq, updated_at = now()
                """,
                logger: logger
            )
        case .subject(let s, let active):
            outbound = .subject
            try await conn.query(
                """
                INSERT INTO rc_subjects (subject_id, id_type, name, region_code, industry_code, subject_type, tags, credit_grade,
                                         credit_date, credit_source, risk_level, active, source_department, ledger_seq)
                VALUES (\(s.id), \(s.idType), \(s.name), \(s.regionCode), \(s.industryCode), \(s.subjectType), \(s.tags),
                        \(s.credit.rawValue), \(s.creditDate)::date, \(s.creditSource), \(s.riskLevel), \(active), \(signer), \(ledgerSeq))
                ON CONFLICT (subject_id) DO UPDATE SET
                    id_type = EXCLUDED.id_type, name = EXCLUDED.name, region_code = EXCLUDED.region_code,
                    industry_code = EXCLUDED.industry_code, subject_type = EXCLUDED.subject_type, tags = EXCLUDED.tags,
                    credit_grade = EXCLUDED.credit_grade, credit_date = EXCLUDED.credit_date, credit_source = EXCLUDED.credit_source,
                    risk_level = EXCLUDED.risk_level, active = EXCLUDED.active, source_department = EXCLUDED.source_department,
                    ledger_seq = EXCLUDED.ledger_seq, updated_at = now()
                """,
                logger: logger
            )
        case .inspector(let i):
            outbound = .inspector
            try await conn.query(
                """
                INSERT INTO rc_inspectors (certificate_no, department_code, name, region_code, specialties, status, ledger_seq)
                VALUES (\(i.certificateNo), \(i.departmentCode), \(i.name), \(i.regionCode), \(i.specialties), \(i.status.rawValue), \(ledgerSeq))
                ON CONFLICT (certificate_no) DO UPDATE SET
                    department_code = EXCLUDED.department_code, name = EXCLUDED.name, region_code = EXCLUDED.region_code,
                    specialties = EXCLUDED.specialties, status = EXCLUDED.status, ledger_seq = EXCLUDED.ledger_seq, updated_at = now()
                """,
                logger: logger
            )
        case .conflict(let c, let department):
            outbound = nil
            if change.operation == .delete {
                try await conn.query(
                    "DELETE FROM rc_conflicts WHERE certificate_no = \(c.certificateNo) AND subject_id = \(c.subjectId)",
                    logger: logger
                )
            } else {
                try await conn.query(
                    """
                    INSERT INTO rc_conflicts (certificate_no, subject_id, reason, department_code, ledger_seq)
                    VALUES (\(c.certificateNo), \(c.subjectId), \(c.reason), \(department), \(ledgerSeq))
                    ON CONFLICT (certificate_no, subject_id) DO UPDATE SET
                        reason = EXCLUDED.reason, department_code = EXCLUDED.department_code, ledger_seq = EXCLUDED.ledger_seq,
                        declared_at = now()
                    """,
                    logger: logger
                )
            }
        }
        if let outbound {
            try await OutboxStore.enqueue(
                outbound,
                key: change.key,
                department: signer,
                operation: change.operation == .delete ? "D" : "U",
                body: change.body,
                ledgerSeq: ledgerSeq,
                on: conn,
                logger: logger
            )
        }
    }
}
