import HubModel

/// The fields of each library's rows (the same names in JSON, XML and CSV headers) and the format checks a row
/// carries by itself.
public enum LibraryFields {
    struct Field: Sendable {
        var name: String
        var isKey = false
        /// Required when the row is upserted (key fields always are).
        var required = false
        var isList = false
        var maxLength = 200
    }

    static func spec(_ kind: LibraryKind) -> [Field] {
        switch kind {
        case .items:
            [
                Field(name: "catalogCode", isKey: true, maxLength: 14), Field(name: "implementationCode", maxLength: 64),
                Field(name: "name", required: true), Field(name: "checkContent", required: true, maxLength: 2000),
                Field(name: "checkMethod", required: true, maxLength: 100), Field(name: "jointDepartments", isList: true, maxLength: 32),
                Field(name: "departmentCode", maxLength: 32),
            ]
        case .subjects:
            [
                Field(name: "id", isKey: true, maxLength: 64), Field(name: "idType", maxLength: 3), Field(name: "name", required: true),
                Field(name: "regionCode", required: true, maxLength: 6), Field(name: "industryCode", maxLength: 5),
                Field(name: "subjectType", maxLength: 10), Field(name: "tags", isList: true, maxLength: 100),
                Field(name: "creditGrade", maxLength: 1), Field(name: "creditDate", maxLength: 10), Field(name: "creditSource", maxLength: 64),
                Field(name: "riskLevel", maxLength: 32),
            ]
        case .inspectors:
            [
                Field(name: "certificateNo", isKey: true, maxLength: 64), Field(name: "name", required: true, maxLength: 64),
                Field(name: "regionCode", required: true, maxLength: 6), Field(name: "specialties", isList: true, maxLength: 64),
                Field(name: "status", maxLength: 16), Field(name: "departmentCode", maxLength: 32),
            ]
        case .conflicts:
            [
                Field(name: "certificateNo", isKey: true, maxLength: 64), Field(name: "subjectId", isKey: true, maxLength: 64),
                Field(name: "reason", required: true, maxLength: 500), Field(name: "departmentCode", maxLength: 32),
            ]
        }
    }

    /// Every field name of `kind` with `operation`, in the order a CSV header or a form lists them.
    public static func names(_ kind: LibraryKind) -> [String] { spec(kind).map(\.name) + ["operation"] }

    /// The fields of `kind` that hold lists (a CSV cell separates their values with `;`).
    public static func listNames(_ kind: LibraryKind) -> Set<String> { Set(spec(kind).filter(\.isList).map(\.name)) }

    static func entry(_ kind: LibraryKind, _ f: LibraryReader.Fields) -> LibraryEntry {
        let v = f.values
        let optional = { (name: String) -> String? in v[name].flatMap { $0.isEmpty ? nil : $0 } }
        let row: LibraryRow
        switch kind {
        case .items:
            row = .item(
                CheckItem(
                    departmentCode: "",
                    catalogCode: v["catalogCode"] ?? "",
                    implementationCode: optional("implementationCode"),
                    name: v["name"] ?? "",
                    checkContent: v["checkContent"] ?? "",
                    checkMethod: v["checkMethod"] ?? "",
                    jointDepartments: f.lists["jointDepartments"] ?? []
                ),
                active: f.op == .upsert
            )
        case .subjects:
            row = .subject(
                InspectionSubject(
                    id: v["id"] ?? "",
                    idType: optional("idType") ?? "001",
                    name: v["name"] ?? "",
                    regionCode: v["regionCode"] ?? "",
                    industryCode: v["industryCode"] ?? "",
                    subjectType: v["subjectType"] ?? "",
                    tags: f.lists["tags"] ?? [],
                    credit: CreditGrade(text: v["creditGrade"] ?? "") ?? .ungraded,
                    creditDate: optional("creditDate"),
                    creditSource: optional("creditSource"),
                    riskLevel: optional("riskLevel")
                ),
                active: f.op == .upsert
            )
        case .inspectors:
            row = .inspector(
                Inspector(
                    departmentCode: "",
                    certificateNo: v["certificateNo"] ?? "",
                    name: v["name"] ?? "",
                    regionCode: v["regionCode"] ?? "",
                    specialties: f.lists["specialties"] ?? [],
                    status: f.op == .delete ? .left : InspectorStatus(rawValue: optional("status") ?? "active") ?? .active
                )
            )
        case .conflicts:
            row = .conflict(
                InterestConflict(certificateNo: v["certificateNo"] ?? "", subjectId: v["subjectId"] ?? "", reason: v["reason"] ?? ""),
                department: ""
            )
        }
        return LibraryEntry(row: row, operation: f.op, claimedDepartment: optional("departmentCode"))
    }

    /// The checks a row carries by itself. A delete is checked on its key only.
    static func formatProblems(_ entry: LibraryEntry, raw: [String: String], path: String) -> [FieldError] {
        var out: [FieldError] = []
        let upsert = entry.operation == .upsert
        func region(_ code: String, _ field: String) {
            if RegionCode(code) == nil {
                out.append(
                    FieldError(
                        path: "\(path).\(field)",
                        code: "invalid_region_code",
                        zh: "行政区划代码应为6位数字",
                        en: "a region code is 6 digits"
                    )
                )
            }
        }
        switch entry.row {
        case .item(let item, _):
            if CatalogCode(item.catalogCode) == nil {
                out.append(
                    FieldError(
                        path: "\(path).catalogCode",
                        code: "invalid_catalog_code",
                        zh: "监管事项目录编码应为14位数字",
                        en: "a catalog code is 14 digits"
                    )
                )
            }
            if upsert, let code = item.implementationCode {
                do { _ = try ImplementationCode(code) } catch { out.append(error.fieldError("\(path).implementationCode")) }
            }
        case .subject(let subject, _):
            out += subjectIdProblems(id: subject.id, idType: subject.idType, path: path, idField: "id", typeField: "idType")
            guard upsert else { break }
            region(subject.regionCode, "regionCode")
            if let grade = raw["creditGrade"], CreditGrade(text: grade) == nil || grade.trimmingSpaces.uppercased() == "N" {
                out.append(
                    FieldError(
                        path: "\(path).creditGrade",
                        code: "invalid_credit_grade",
                        zh: "信用风险分类只能为 A、B、C、D 或空",
                        en: "a credit grade is A, B, C, D or empty"
                    )
                )
            }
            if let date = subject.creditDate, date.utf8.count != 10 || CalendarDate(date) == nil {
                out.append(
                    FieldError(path: "\(path).creditDate", code: "invalid_date", zh: "日期应为 YYYY-MM-DD", en: "a date is YYYY-MM-DD")
                )
            }
            if !subject.industryCode.isEmpty, !isIndustryCode(subject.industryCode) {
                out.append(
                    FieldError(
                        path: "\(path).industryCode",
                        code: "invalid_industry_code",
                        zh: "国民经济行业代码应为门类字母或2–4位数字（GB/T 4754），如 F5251",
                        en: "an industry code is a section letter and/or 2-4 digits (GB/T 4754), e.g. F5251"
                    )
                )
            }
        case .inspector(let inspector):
            guard upsert else { break }
            region(inspector.regionCode, "regionCode")
            if let status = raw["status"], !status.isEmpty, InspectorStatus(rawValue: status) == nil {
                out.append(
                    FieldError(
                        path: "\(path).status",
                        code: "invalid_status",
                        zh: "人员状态只能为 active（在岗）、suspended（暂停）或 left（调离/注销）",
                        en: "status is active, suspended or left"
                    )
                )
            }
        case .conflict(let conflict, _):
            if conflict.subjectId.contains(where: { $0.isWhitespace }) {
                out.append(FieldError(path: "\(path).subjectId", code: "invalid_character", zh: "对象标识不能含空白", en: "contains white space"))
            }
        }
        return out
    }

    /// A subject's ID checked by its type (national dictionary `id_type`): `001` a USCC with both check
    /// characters, `111` a resident ID with its check digit; other types (passports, other registrations) are
    /// taken as given. The type itself is three digits.
    public static func subjectIdProblems(id: String, idType: String, path: String, idField: String, typeField: String) -> [FieldError] {
        guard idType.utf8.count == 3, idType.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return [
                FieldError(
                    path: "\(path).\(typeField)",
                    code: "invalid_id_type",
                    zh: "证件类型应为3位国家字典代码（001 统一社会信用代码，111 居民身份证）",
                    en: "an ID type is a 3-digit national dictionary code (001 USCC, 111 resident ID)"
                )
            ]
        }
        switch idType {
        case "001":
            do { _ = try USCC(id) } catch { return [error.fieldError("\(path).\(idField)")] }
        case "111":
            do { _ = try ResidentID(id) } catch { return [error.fieldError("\(path).\(idField)")] }
        default:
            break
        }
        return []
    }

    static func isIndustryCode(_ code: String) -> Bool {
        var digits = Substring(code)
        if let first = digits.first, first.isASCII, first.isUppercase { digits = digits.dropFirst() }
        if digits.isEmpty { return code.count == 1 }
        return (2...4).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
