import HubModel
import PostgresNIO
import Supervision

extension LibraryStore {
    /// A subject of the city's 检查对象名录库 (any department may read it: draws of every department use it).
    public func subject(id: String) async throws -> StoredLibraryRow? {
        try await db.client.withConnection { conn in
            try await LibraryQueries.subjects(where: "subject_id = $1", Self.binds([id]), on: conn, logger: db.logger).first
        }
    }

    /// A department's inspectors in certificate-number order, after the cursor `after` (a certificate number).
    public func inspectors(department: String, after: String?, limit: Int) async throws -> [StoredLibraryRow] {
        try await db.client.withConnection { conn in
            try await LibraryQueries.inspectors(
                where: "department_code = $1 AND certificate_no > $2 ORDER BY certificate_no LIMIT \(max(1, limit))",
                Self.binds([department, after ?? ""]),
                on: conn,
                logger: db.logger
            )
        }
    }

    /// The rows of a library for ops (`hub random-checks list`): a department's (items, inspectors, conflicts) or
    /// the subjects it last wrote, those whose key or name contains `search`, in key order.
    public func list(_ kind: LibraryKind, department: String?, search: String?, limit: Int) async throws -> [StoredLibraryRow] {
        let (key, departmentColumn): (String, String) =
            switch kind {
            case .items: ("catalog_code", "department_code")
            case .subjects: ("subject_id", "source_department")
            case .inspectors: ("certificate_no", "department_code")
            case .conflicts: ("certificate_no || ':' || subject_id", "department_code")
            }
        let nameColumn = kind == .conflicts ? "reason" : "name"
        let pattern = search.map {
            "%"
                + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(
                    of: "_",
                    with: "\\_"
                ) + "%"
        }
        return try await db.client.withConnection { conn in
            try await LibraryQueries.rows(
                kind,
                where: """
                    ($1 = '' OR \(departmentColumn) = $1) AND ($2 = '' OR \(key) LIKE $2 OR \(nameColumn) LIKE $2)
                    ORDER BY \(key) LIMIT \(max(1, limit))
                    """,
                Self.binds([department ?? "", pattern ?? ""]),
                on: conn,
                logger: db.logger
            )
        }
    }

    static func binds(_ values: [String]) -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { binds.append(value) }
        return binds
    }
}
