import HubStore
import PostgresNIO

/// Library rows for the random-check tests, written with SQL as the libraries' push API (another part of the
/// hub) would leave them: items, subjects, inspectors and conflicts.
struct RandomCheckLibraries {
    let db: HubDatabase

    func item(_ department: String, _ catalogCode: String) async throws {
        try await db.client.query(
            """
            INSERT INTO rc_items (department_code, catalog_code, name, check_content, check_method, ledger_seq)
            VALUES (\(department), \(catalogCode), '监督检查', '经营资质、进货查验', '现场检查', 0)
            """,
            logger: db.logger
        )
    }

    func subject(_ id: String, grade: String = "N", region: String = "430405", industry: String = "F5251", tags: [String] = []) async throws {
        try await db.client.query(
            """
            INSERT INTO rc_subjects (subject_id, id_type, name, region_code, industry_code, subject_type, tags, credit_grade, source_department, ledger_seq)
            VALUES (\(id), '001', \("主体" + id), \(region), \(industry), '01', \(tags), \(grade), 'HY-SCJG', 0)
            """,
            logger: db.logger
        )
    }

    func inspector(_ certificate: String, department: String, region: String = "430400", status: String = "active") async throws {
        try await db.client.query(
            """
            INSERT INTO rc_inspectors (certificate_no, department_code, name, region_code, status, ledger_seq)
            VALUES (\(certificate), \(department), \("检查员" + certificate), \(region), \(status), 0)
            """,
            logger: db.logger
        )
    }

    func conflict(_ certificate: String, subject: String, department: String) async throws {
        try await db.client.query(
            """
            INSERT INTO rc_conflicts (certificate_no, subject_id, reason, department_code, ledger_seq)
            VALUES (\(certificate), \(subject), '近亲属任职', \(department), 0)
            """,
            logger: db.logger
        )
    }
}
