import Foundation

/// The province's catalog files, read in one place: the store's import (`hub catalog import`, the sample
/// catalog), the matcher's evaluation and the provincial simulator all take their items from here.
///
/// Two files, UTF-8 CSV with a header row (RFC 4180: the legal basis may hold several citations on
/// several lines):
/// - the catalog: `catalog_code,name,item_type,department,legal_basis[,parent_code,level,status,effective_from]`;
/// - the implementation list: `implementation_code,catalog_code,agency_code,agency_name,region_code`.
///
/// Reading is strict: a row that would be imported wrong (a code that is not 14 digits, an unknown item type
/// or status, a code twice) stops the whole file with its file name and line, so nothing is half-imported.
package enum CatalogFile {
    /// What is wrong with a file, and where.
    package struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        package var file: String
        package var line: Int
        package var reason: String
        package var description: String { "\(file):\(line): \(reason)" }

        package init(file: String, line: Int, reason: String) {
            self.file = file
            self.line = line
            self.reason = reason
        }
    }

    /// A file's items, of the kind its header names.
    package enum Contents: Sendable {
        case catalog([CatalogItem])
        case implementation([ImplementationItem])
    }

    static let catalogColumns = ["catalog_code", "name", "item_type", "department", "legal_basis"]
    static let implementationColumns = ["implementation_code", "catalog_code", "agency_code", "agency_name", "region_code"]

    /// Reads either file, told apart by its header (an implementation list names `implementation_code`).
    package static func read(_ text: String, file: String) throws(Problem) -> Contents {
        let table = try records(text, file: file)
        if table.header.contains("implementation_code") {
            return .implementation(try implementations(table, file: file))
        }
        return .catalog(try items(table, file: file))
    }

    /// Reads a catalog file.
    package static func items(_ text: String, file: String) throws(Problem) -> [CatalogItem] {
        try items(try records(text, file: file), file: file)
    }

    /// Reads an implementation list.
    package static func implementations(_ text: String, file: String) throws(Problem) -> [ImplementationItem] {
        try implementations(try records(text, file: file), file: file)
    }

    typealias Table = (header: [String], rows: [(line: Int, values: [String: String])])

    static func records(_ text: String, file: String) throws(Problem) -> Table {
        do { return try CSV.records(text) } catch { throw Problem(file: file, line: error.line, reason: error.reason) }
    }

    static func require(_ columns: [String], in table: Table, file: String) throws(Problem) {
        for column in columns where !table.header.contains(column) {
            throw Problem(file: file, line: 1, reason: "missing column \(column)")
        }
    }

    static func items(_ table: Table, file: String) throws(Problem) -> [CatalogItem] {
        try require(catalogColumns, in: table, file: file)
        var seen = Set<String>()
        var items: [CatalogItem] = []
        for row in table.rows {
            func value(_ column: String) -> String { (row.values[column] ?? "").trimmingCharacters(in: .whitespaces) }
            func problem(_ reason: String) -> Problem { Problem(file: file, line: row.line, reason: reason) }
            let code = value("catalog_code")
            guard CatalogCode(code) != nil else { throw problem("catalog_code \"\(code)\" is not 14 digits") }
            guard seen.insert(code).inserted else { throw problem("catalog_code \(code) appears twice") }
            guard let type = ItemType(rawValue: value("item_type")) else { throw problem("item_type must be 行政检查/行政处罚/行政强制/其他") }
            guard !value("name").isEmpty, !value("legal_basis").isEmpty, !value("department").isEmpty else {
                throw problem("name, department and legal_basis are required")
            }
            let parent = value("parent_code")
            if !parent.isEmpty, CatalogCode(parent) == nil { throw problem("parent_code \"\(parent)\" is not 14 digits") }
            guard let status = CatalogStatus(spelling: value("status")) else {
                throw problem("status \"\(value("status"))\" is neither active nor retired")
            }
            let effective = value("effective_from")
            if !effective.isEmpty, Timestamp(effective + "T00:00:00+08:00") == nil {
                throw problem("effective_from \"\(effective)\" is not a date YYYY-MM-DD")
            }
            items.append(
                CatalogItem(
                    code: code,
                    name: value("name"),
                    itemType: type,
                    department: value("department"),
                    legalBasis: (row.values["legal_basis"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
                    parentCode: parent.isEmpty ? nil : parent,
                    levels: value("level"),
                    status: status,
                    effectiveFrom: effective.isEmpty ? nil : effective
                )
            )
        }
        return items
    }

    static func implementations(_ table: Table, file: String) throws(Problem) -> [ImplementationItem] {
        try require(implementationColumns, in: table, file: file)
        var items: [ImplementationItem] = []
        for row in table.rows {
            func value(_ column: String) -> String { (row.values[column] ?? "").trimmingCharacters(in: .whitespaces) }
            func problem(_ reason: String) -> Problem { Problem(file: file, line: row.line, reason: reason) }
            let code: ImplementationCode
            do { code = try ImplementationCode(value("implementation_code")) } catch {
                throw problem("implementation_code: \(error.fieldError("").messageEn)")
            }
            guard CatalogCode(value("catalog_code")) != nil else { throw problem("catalog_code is not 14 digits") }
            guard code.agency.value == value("agency_code") else { throw problem("implementation_code does not start with agency_code") }
            guard RegionCode(value("region_code")) != nil else { throw problem("region_code is not 6 digits") }
            items.append(
                ImplementationItem(
                    code: code.value,
                    catalogCode: value("catalog_code"),
                    agencyCode: value("agency_code"),
                    agencyName: value("agency_name"),
                    regionCode: value("region_code"),
                    level: code.level
                )
            )
        }
        return items
    }
}
