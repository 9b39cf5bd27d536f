import HubModel
import Logging
import PostgresNIO
import Supervision

/// The upserts of the four library tables, each one statement over arrays (`unnest`) for a whole batch. Each key
/// appears once (`LibraryStore.apply` keeps a key's last change). List columns travel as JSON text per row, since
/// PostgreSQL arrays cannot be ragged; absent optional texts as empty strings, stored as NULL.
enum LibraryWrites {
    static func list(_ values: [String]) -> String { CanonicalJSON.string(.array(values.map(JSONValue.string))) }

    static func items(_ writes: [(LibraryChange, Int64)], on conn: PostgresConnection, logger: Logger) async throws {
        var departments: [String] = []
        var codes: [String] = []
        var implementations: [String] = []
        var names: [String] = []
        var contents: [String] = []
        var methods: [String] = []
        var joints: [String] = []
        var actives: [Bool] = []
        var seqs: [Int64] = []
        for (change, seq) in writes {
            guard case .item(let i, let active) = change.row else { continue }
            departments.append(i.departmentCode)
            codes.append(i.catalogCode)
            implementations.append(i.implementationCode ?? "")
            names.append(i.name)
            contents.append(i.checkContent)
            methods.append(i.checkMethod)
            joints.append(list(i.jointDepartments))
            actives.append(active)
            seqs.append(seq)
        }
        try await conn.query(
            """
            INSERT INTO rc_items (department_code, catalog_code, implementation_code, name, check_content, check_method,
                                  joint_departments, active, ledger_seq)
            SELECT u.department, u.code, NULLIF(u.implementation, ''), u.name, u.content, u.method,
                   ARRAY(SELECT jsonb_array_elements_text(u.joint::jsonb)), u.active, u.seq
            FROM unnest(\(departments)::text[], \(codes)::text[], \(implementations)::text[], \(names)::text[], \(contents)::text[],
                        \(methods)::text[], \(joints)::text[], \(actives)::bool[], \(seqs)::bigint[])
                 AS u(department, code, implementation, name, content, method, joint, active, seq)
            ON CONFLICT (department_code, catalog_code) DO UPDATE SET
                implementation_code = EXCLUDED.implementation_code, name = EXCLUDED.name, check_content = EXCLUDED.check_content,
                check_method = EXCLUDED.check_method, joint_departments = EXCLUDED.joint_departments, active = EXCLUDED.active,
                ledger_seq = EXCLUDED.ledger_seq, updated_at = now()
            """,
            logger: logger
        )
    }

    static func subjects(_ writes: [(LibraryChange, Int64)], signer: String, on conn: PostgresConnection, logger: Logger) async throws {
        var ids: [String] = []
        var types: [String] = []
        var names: [String] = []
        var regions: [String] = []
        var industries: [String] = []
        var subjectTypes: [String] = []
        var tags: [String] = []
        var grades: [String] = []
        var dates: [String] = []
        var sources: [String] = []
        var risks: [String] = []
        var actives: [Bool] = []
        var seqs: [Int64] = []
        for (change, seq) in writes {
            guard case .subject(let s, let active) = change.row else { continue }
            ids.append(s.id)
            types.append(s.idType)
            names.append(s.name)
            regions.append(s.regionCode)
            industries.append(s.industryCode)
            subjectTypes.append(s.subjectType)
            tags.append(list(s.tags))
            grades.append(s.credit.rawValue)
            dates.append(s.creditDate ?? "")
            sources.append(s.creditSource ?? "")
            risks.append(s.riskLevel ?? "")
            actives.append(active)
            seqs.append(seq)
        }
        try await conn.query(
            """
            INSERT INTO rc_subjects (subject_id, id_type, name, region_code, industry_code, subject_type, tags, credit_grade,
                                     credit_date, credit_source, risk_level, active, source_department, ledger_seq)
            SELECT u.id, u.id_type, u.name, u.region, u.industry, u.subject_type, ARRAY(SELECT jsonb_array_elements_text(u.tags::jsonb)),
                   u.grade, NULLIF(u.date, '')::date, NULLIF(u.source, ''), NULLIF(u.risk, ''), u.active, \(signer), u.seq
            FROM unnest(\(ids)::text[], \(types)::text[], \(names)::text[], \(regions)::text[], \(industries)::text[],
                        \(subjectTypes)::text[], \(tags)::text[], \(grades)::text[], \(dates)::text[], \(sources)::text[],
                        \(risks)::text[], \(actives)::bool[], \(seqs)::bigint[])
                 AS u(id, id_type, name, region, industry, subject_type, tags, grade, date, source, risk, active, seq)
            ON CONFLICT (subject_id) DO UPDATE SET
                id_type = EXCLUDED.id_type, name = EXCLUDED.name, region_code = EXCLUDED.region_code,
                industry_code = EXCLUDED.industry_code, subject_type = EXCLUDED.subject_type, tags = EXCLUDED.tags,
                credit_grade = EXCLUDED.credit_grade, credit_date = EXCLUDED.credit_date, credit_source = EXCLUDED.credit_source,
                risk_level = EXCLUDED.risk_level, active = EXCLUDED.active, source_department = EXCLUDED.source_department,
                ledger_seq = EXCLUDED.ledger_seq, updated_at = now()
            """,
            logger: logger
        )
    }

    static func inspectors(_ writes: [(LibraryChange, Int64)], on conn: PostgresConnection, logger: Logger) async throws {
        var certificates: [String] = []
        var departments: [String] = []
        var names: [String] = []
        var regions: [String] = []
        var specialties: [String] = []
        var statuses: [String] = []
        var seqs: [Int64] = []
        for (change, seq) in writes {
            guard case .inspector(let i) = change.row else { continue }
            certificates.append(i.certificateNo)
            departments.append(i.departmentCode)
            names.append(i.name)
            regions.append(i.regionCode)
            specialties.append(list(i.specialties))
            statuses.append(i.status.rawValue)
            seqs.append(seq)
        }
        try await conn.query(
            """
            INSERT INTO rc_inspectors (certificate_no, department_code, name, region_code, specialties, status, ledger_seq)
            SELECT u.certificate, u.department, u.name, u.region, ARRAY(SELECT jsonb_array_elements_text(u.specialties::jsonb)), u.status, u.seq
            FROM unnest(\(certificates)::text[], \(departments)::text[], \(names)::text[], \(regions)::text[], \(specialties)::text[],
                        \(statuses)::text[], \(seqs)::bigint[])
                 AS u(certificate, department, name, region, specialties, status, seq)
            ON CONFLICT (certificate_no) DO UPDATE SET
                department_code = EXCLUDED.department_code, name = EXCLUDED.name, region_code = EXCLUDED.region_code,
                specialties = EXCLUDED.specialties, status = EXCLUDED.status, ledger_seq = EXCLUDED.ledger_seq, updated_at = now()
            """,
            logger: logger
        )
    }

    /// Declarations written, and withdrawn ones deleted (their history is the ledger).
    static func conflicts(_ writes: [(LibraryChange, Int64)], on conn: PostgresConnection, logger: Logger) async throws {
        var withdrawn: [String] = []
        var certificates: [String] = []
        var subjects: [String] = []
        var reasons: [String] = []
        var departments: [String] = []
        var seqs: [Int64] = []
        for (change, seq) in writes {
            guard case .conflict(let c, let department) = change.row else { continue }
            if change.operation == .delete {
                withdrawn.append(change.key)
                continue
            }
            certificates.append(c.certificateNo)
            subjects.append(c.subjectId)
            reasons.append(c.reason)
            departments.append(department)
            seqs.append(seq)
        }
        if !withdrawn.isEmpty {
            try await conn.query("DELETE FROM rc_conflicts WHERE certificate_no || ':' || subject_id = ANY(\(withdrawn)::text[])", logger: logger)
        }
        guard !certificates.isEmpty else { return }
        try await conn.query(
            """
            INSERT INTO rc_conflicts (certificate_no, subject_id, reason, department_code, ledger_seq)
            SELECT * FROM unnest(\(certificates)::text[], \(subjects)::text[], \(reasons)::text[], \(departments)::text[], \(seqs)::bigint[])
            ON CONFLICT (certificate_no, subject_id) DO UPDATE SET
                reason = EXCLUDED.reason, department_code = EXCLUDED.department_code, ledger_seq = EXCLUDED.ledger_seq, declared_at = now()
            """,
            logger: logger
        )
    }
}
