import HubModel

/// One row of a library as the hub keeps it, with whether it is in force. `key` is the row's identity in its
/// list (what a resend of the same row finds it by); `json` its one document form (ledger payload, outbox body,
/// read endpoints), so a row is compared, recorded and delivered the same way.
public enum LibraryRow: Sendable, Hashable {
    case item(CheckItem, active: Bool)
    case subject(InspectionSubject, active: Bool)
    /// An inspector is in force by status (`left` after a delete).
    case inspector(Inspector)
    /// A conflict in the library is in force; a deleted one is gone.
    case conflict(InterestConflict, department: String)

    public var kind: LibraryKind {
        switch self {
        case .item: .items
        case .subject: .subjects
        case .inspector: .inspectors
        case .conflict: .conflicts
        }
    }

    public var key: String { Self.key(of: self) }

    /// The ledger subject: `item:<department>:<catalog code>`, `subject:<id>`, `inspector:<certificate>`,
    /// `conflict:<certificate>:<subject id>`.
    public var ledgerSubject: String {
        switch self {
        case .item: "item:" + key
        case .subject: "subject:" + key
        case .inspector: "inspector:" + key
        case .conflict: "conflict:" + key
        }
    }

    static func key(of row: LibraryRow) -> String {
        switch row {
        case .item(let item, _): item.departmentCode + ":" + item.catalogCode
        case .subject(let subject, _): subject.id
        case .inspector(let inspector): inspector.certificateNo
        case .conflict(let conflict, _): conflict.certificateNo + ":" + conflict.subjectId
        }
    }

    /// Whether the row is in force (an active item or subject, an inspector who has not left, any stored conflict).
    public var isActive: Bool {
        switch self {
        case .item(_, let active), .subject(_, let active): active
        case .inspector(let inspector): inspector.status != .left
        case .conflict: true
        }
    }

    /// The department a row belongs to (nil for a subject: the 检查对象名录库 is the city's one library).
    public var department: String? {
        switch self {
        case .item(let item, _): item.departmentCode
        case .subject: nil
        case .inspector(let inspector): inspector.departmentCode
        case .conflict(_, let department): department
        }
    }

    /// The row as a document; optional fields that are absent are left out.
    public var json: JSONValue {
        func strings(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }
        var m: [(String, JSONValue)] = []
        switch self {
        case .item(let i, let active):
            m = [
                ("departmentCode", .string(i.departmentCode)), ("catalogCode", .string(i.catalogCode)), ("name", .string(i.name)),
                ("checkContent", .string(i.checkContent)), ("checkMethod", .string(i.checkMethod)),
                ("jointDepartments", strings(i.jointDepartments)), ("active", .bool(active)),
            ]
            if let code = i.implementationCode { m.append(("implementationCode", .string(code))) }
        case .subject(let s, let active):
            m = [
                ("id", .string(s.id)), ("idType", .string(s.idType)), ("name", .string(s.name)), ("regionCode", .string(s.regionCode)),
                ("industryCode", .string(s.industryCode)), ("subjectType", .string(s.subjectType)), ("tags", strings(s.tags)),
                ("creditGrade", .string(s.credit == .ungraded ? "" : s.credit.rawValue)), ("active", .bool(active)),
            ]
            if let v = s.creditDate { m.append(("creditDate", .string(v))) }
            if let v = s.creditSource { m.append(("creditSource", .string(v))) }
            if let v = s.riskLevel { m.append(("riskLevel", .string(v))) }
        case .inspector(let i):
            m = [
                ("departmentCode", .string(i.departmentCode)), ("certificateNo", .string(i.certificateNo)), ("name", .string(i.name)),
                ("regionCode", .string(i.regionCode)), ("specialties", strings(i.specialties)), ("status", .string(i.status.rawValue)),
            ]
        case .conflict(let c, let department):
            m = [
                ("departmentCode", .string(department)), ("certificateNo", .string(c.certificateNo)), ("subjectId", .string(c.subjectId)),
                ("reason", .string(c.reason)),
            ]
        }
        return .object(m)
    }
}
