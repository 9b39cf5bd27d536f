import HubModel
import Logging
import PostgresNIO
import Supervision

/// A library row as stored, with the ledger entry that last wrote it and (for a subject) the department that did.
public struct StoredLibraryRow: Sendable, Hashable {
    public var row: LibraryRow
    public var ledgerSeq: Int64
    public var sourceDepartment: String?
}

/// The SELECTs of the four libraries, each turning its table's row into the `LibraryRow` the rules compare with:
/// one place that knows the columns, for the batch write and the read endpoints alike. `clause` is a WHERE/ORDER
/// tail over `binds` (`$1`, …).
enum LibraryQueries {
    static func items(
        where clause: String,
        _ binds: PostgresBindings,
        on conn: PostgresConnection,
        logger: Logger
    ) async throws -> [StoredLibraryRow] {
        let sql = """
            SELECT department_code, catalog_code, implementation_code, name, check_content, check_method, joint_departments, active, ledger_seq
            FROM rc_items WHERE \(clause)
            """
        var out: [StoredLibraryRow] = []
        for try await (department, catalog, implementation, name, content, method, joint, active, seq) in try await conn.query(
            PostgresQuery(unsafeSQL: sql, binds: binds),
            logger: logger
        ).decode((String, String, String?, String, String, String, [String], Bool, Int64).self) {
            let item = CheckItem(
                departmentCode: department,
                catalogCode: catalog,
                implementationCode: implementation,
                name: name,
                checkContent: content,
                checkMethod: method,
                jointDepartments: joint
            )
            out.append(StoredLibraryRow(row: .item(item, active: active), ledgerSeq: seq))
        }
        return out
    }

    static func subjects(
        where clause: String,
        _ binds: PostgresBindings,
        on conn: PostgresConnection,
        logger: Logger
    ) async throws -> [StoredLibraryRow] {
        let sql = """
            SELECT subject_id, id_type, name, region_code, industry_code, subject_type, tags, credit_grade::text, credit_date::text,
                   credit_source, risk_level, active, source_department, ledger_seq
            FROM rc_subjects WHERE \(clause)
            """
        var out: [StoredLibraryRow] = []
        for try await (id, idType, name, region, industry, subjectType, tags, grade, date, source, risk, active, department, seq)
            in try await conn.query(
                PostgresQuery(unsafeSQL: sql, binds: binds),
                logger: logger
            ).decode((String, String, String, String, String, String, [String], String, String?, String?, String?, Bool, String, Int64).self)
        {
            let subject = InspectionSubject(
                id: id,
                idType: idType,
                name: name,
                regionCode: region,
                industryCode: industry,
                subjectType: subjectType,
                tags: tags,
                credit: CreditGrade(rawValue: grade) ?? .ungraded,
                creditDate: date,
                creditSource: source,
                riskLevel: risk
            )
            out.append(StoredLibraryRow(row: .subject(subject, active: active), ledgerSeq: seq, sourceDepartment: department))
        }
        return out
    }

    static func inspectors(
        where clause: String,
        _ binds: PostgresBindings,
        on conn: PostgresConnection,
        logger: Logger
    ) async throws -> [StoredLibraryRow] {
        let sql = """
            SELECT department_code, certificate_no, name, region_code, specialties, status, ledger_seq
            FROM rc_inspectors WHERE \(clause)
            """
        var out: [StoredLibraryRow] = []
        for try await (department, certificate, name, region, specialties, status, seq) in try await conn.query(
            PostgresQuery(unsafeSQL: sql, binds: binds),
            logger: logger
        ).decode((String, String, String, String, [String], String, Int64).self) {
            let inspector = Inspector(
                departmentCode: department,
                certificateNo: certificate,
                name: name,
                regionCode: region,
                specialties: specialties,
                status: InspectorStatus(rawValue: status) ?? .suspended
            )
            out.append(StoredLibraryRow(row: .inspector(inspector), ledgerSeq: seq))
        }
        return out
    }

    static func conflicts(
        where clause: String,
        _ binds: PostgresBindings,
        on conn: PostgresConnection,
        logger: Logger
    ) async throws -> [StoredLibraryRow] {
        let sql = "SELECT certificate_no, subject_id, reason, department_code, ledger_seq FROM rc_conflicts WHERE \(clause)"
        var out: [StoredLibraryRow] = []
        for try await (certificate, subject, reason, department, seq) in try await conn.query(
            PostgresQuery(unsafeSQL: sql, binds: binds),
            logger: logger
        ).decode((String, String, String, String, Int64).self) {
            let conflict = InterestConflict(certificateNo: certificate, subjectId: subject, reason: reason)
            out.append(StoredLibraryRow(row: .conflict(conflict, department: department), ledgerSeq: seq))
        }
        return out
    }

    static func rows(
        _ kind: LibraryKind,
        where clause: String,
        _ binds: PostgresBindings,
        on conn: PostgresConnection,
        logger: Logger
    ) async throws -> [StoredLibraryRow] {
        switch kind {
        case .items: try await items(where: clause, binds, on: conn, logger: logger)
        case .subjects: try await subjects(where: clause, binds, on: conn, logger: logger)
        case .inspectors: try await inspectors(where: clause, binds, on: conn, logger: logger)
        case .conflicts: try await conflicts(where: clause, binds, on: conn, logger: logger)
        }
    }

    /// One array of keys as `$1`.
    static func keys(_ keys: [String]) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(keys)
        return binds
    }
}
