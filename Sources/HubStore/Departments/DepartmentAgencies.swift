import Logging
import PostgresNIO

/// An implementing agency (实施主体) a department may file records for, and where that permission came from.
public struct DepartmentAgency: Sendable, Hashable {
    public enum Source: String, Sendable {
        /// `agency`/`agencies` of the department's profile in Mappings/departments/.
        case profile
        /// `hub departments add CODE --agency USCC`.
        case cli
        /// Kept on upgrade: the agencies a department's accepted records already named.
        case migration
    }

    public var code: String
    public var name: String?
    public var source: Source

    public init(code: String, name: String?, source: Source) {
        self.code = code
        self.name = name
        self.source = source
    }
}

extension DepartmentStore {
    /// Lets the department file records for these agencies (already listed ones are kept as they are).
    public func addAgencies(_ agencies: [DepartmentAgency], department: Department) async throws {
        guard !agencies.isEmpty else { return }
        try await db.client.query(
            """
            INSERT INTO department_agencies (department_id, agency_code, agency_name, source)
            SELECT \(department.id), a.code, NULLIF(a.name, ''), a.source
            FROM unnest(\(agencies.map(\.code))::text[], \(agencies.map { $0.name ?? "" })::text[], \(agencies.map(\.source.rawValue))::text[])
                AS a(code, name, source)
            ON CONFLICT (department_id, agency_code)
            DO UPDATE SET agency_name = COALESCE(EXCLUDED.agency_name, department_agencies.agency_name)
            """,
            logger: db.logger
        )
    }

    /// The agencies the department may file records for, by code.
    public func agencies(department: Department) async throws -> [DepartmentAgency] {
        var out: [DepartmentAgency] = []
        let rows = try await db.client.query(
            """
            SELECT agency_code, agency_name, source FROM department_agencies WHERE department_id = \(department.id) ORDER BY agency_code
            """,
            logger: db.logger
        )
        for try await (code, name, source) in rows.decode((String, String?, String).self) {
            out.append(DepartmentAgency(code: code, name: name, source: DepartmentAgency.Source(rawValue: source) ?? .cli))
        }
        return out
    }
}
