import HubModel

/// What the hub knows that a library batch is checked against, read by the store under the ledger lock (so
/// nothing changes between the reading and the writing).
public struct LibraryFacts: Sendable {
    /// The signing department's code: the department of every item, inspector and conflict it writes.
    public var signer: String
    /// Catalog codes of the batch that are in the hub's catalog (`catalog_items`).
    public var catalogCodes: Set<String>
    /// Department codes the hub knows (for joint items).
    public var departments: Set<String>
    /// The stored rows the batch names, by `LibraryRow.key`.
    public var stored: [String: LibraryRow]
    /// The department of each stored inspector the batch's conflicts name, by certificate number.
    public var inspectorDepartments: [String: String]

    public init(
        signer: String,
        catalogCodes: Set<String> = [],
        departments: Set<String> = [],
        stored: [String: LibraryRow] = [:],
        inspectorDepartments: [String: String] = [:]
    ) {
        self.signer = signer
        self.catalogCodes = catalogCodes
        self.departments = departments
        self.stored = stored
        self.inspectorDepartments = inspectorDepartments
    }
}

/// What becomes of one row of a batch.
public enum LibraryDecision: Sendable, Hashable {
    /// The row changes the library: write `row` (for a deleted conflict: remove it), record it in the ledger.
    case write(LibraryChange)
    /// The library already holds this content (an idempotent resend): nothing is written.
    case unchanged(key: String)
    case rejected([FieldError])
}

/// A change to apply: the row as it will be stored, and the operation it records.
public struct LibraryChange: Sendable, Hashable {
    public var row: LibraryRow
    public var operation: LibraryOperation

    public var key: String { row.key }

    /// The ledger entry's payload: the library, the operation and the row (canonical JSON).
    public var ledgerPayload: String {
        CanonicalJSON.string(.object([("library", .string(row.kind.rawValue)), ("operation", .string(operation.rawValue)), ("row", row.json)]))
    }

    public func ledgerDraft(department: String) -> LedgerDraft {
        LedgerDraft(kind: .randomCheckLibrary, department: department, subject: row.ledgerSubject, payload: ledgerPayload)
    }

    /// The row as delivered to the province (canonical JSON).
    public var body: String { CanonicalJSON.string(row.json) }
}

/// The rules of the libraries, decided without I/O: the store reads `LibraryFacts`, this decides every row in
/// order, the store applies the writes. A later row of the same key sees the earlier one's outcome, so a batch
/// that names a row twice is answered as if sent in two requests.
public enum LibraryRules {
    public static func plan(_ outcomes: [LibraryReader.Outcome], kind: LibraryKind, facts: LibraryFacts) -> [LibraryDecision] {
        var current = facts.stored
        var inspectorDepartments = facts.inspectorDepartments
        var decisions: [LibraryDecision] = []
        decisions.reserveCapacity(outcomes.count)
        for (index, outcome) in outcomes.enumerated() {
            let path = "\(kind.rawValue)[\(index)]"
            guard case .valid(let entry) = outcome else {
                if case .invalid(let errors) = outcome { decisions.append(.rejected(errors)) }
                continue
            }
            let decision = decide(entry, path: path, facts: facts, current: current, inspectorDepartments: inspectorDepartments)
            if case .write(let change) = decision {
                switch change.row {
                case .conflict where change.operation == .delete: current[change.key] = nil
                default: current[change.key] = change.row
                }
                if case .inspector(let inspector) = change.row { inspectorDepartments[inspector.certificateNo] = inspector.departmentCode }
            }
            decisions.append(decision)
        }
        return decisions
    }

    static func decide(
        _ entry: LibraryEntry,
        path: String,
        facts: LibraryFacts,
        current: [String: LibraryRow],
        inspectorDepartments: [String: String]
    ) -> LibraryDecision {
        let signer = facts.signer
        if let claimed = entry.claimedDepartment, claimed != signer {
            return .rejected([notYours("\(path).departmentCode", claimed)])
        }
        let row = owned(entry.row, by: signer)
        let stored = current[row.key]
        // A row another department keeps (an inspector's certificate number is the city's key).
        if let owner = stored?.department, owner != signer {
            let field = row.kind == .conflicts ? "certificateNo" : row.kind == .inspectors ? "certificateNo" : "catalogCode"
            return .rejected([notYours("\(path).\(field)", owner)])
        }
        var errors: [FieldError] = []
        switch row {
        case .item(let item, _) where entry.operation == .upsert:
            if !facts.catalogCodes.contains(item.catalogCode) {
                errors.append(
                    FieldError(
                        path: "\(path).catalogCode",
                        code: "unknown_catalog_code",
                        zh: "监管事项目录中没有该编码",
                        en: "the hub's catalog has no item with this code"
                    )
                )
            }
            for (i, code) in item.jointDepartments.enumerated() {
                if code == signer {
                    errors.append(
                        FieldError(
                            path: "\(path).jointDepartments[\(i)]",
                            code: "own_department",
                            zh: "联合部门中不应列本部门",
                            en: "the joint departments are the others: not the signing department"
                        )
                    )
                } else if !facts.departments.contains(code) {
                    errors.append(
                        FieldError(
                            path: "\(path).jointDepartments[\(i)]",
                            code: "unknown_department",
                            zh: "枢纽未登记部门 \(code)",
                            en: "the hub knows no department \(code)"
                        )
                    )
                } else if item.jointDepartments[..<i].contains(code) {
                    errors.append(
                        FieldError(path: "\(path).jointDepartments[\(i)]", code: "duplicate_value", zh: "部门重复", en: "named twice")
                    )
                }
            }
        case .conflict(let conflict, _) where entry.operation == .upsert:
            switch inspectorDepartments[conflict.certificateNo] {
            case signer?: break
            case let other?: errors.append(notYours("\(path).certificateNo", other))
            case nil:
                errors.append(
                    FieldError(
                        path: "\(path).certificateNo",
                        code: "unknown_inspector",
                        zh: "本部门执法检查人员名录库中没有该执法证号",
                        en: "the signing department's inspector library has no such certificate number"
                    )
                )
            }
        default:
            break
        }
        guard errors.isEmpty else { return .rejected(errors) }

        guard entry.operation == .delete else {
            return stored == row ? .unchanged(key: row.key) : .write(LibraryChange(row: row, operation: .upsert))
        }
        guard let stored else {
            return .rejected([
                FieldError(
                    path: path,
                    code: "not_found",
                    zh: "\(row.kind.labelZh)中没有该行，无法删除",
                    en: "the library holds no such row to delete"
                )
            ])
        }
        guard stored.isActive else { return .unchanged(key: row.key) }
        return .write(LibraryChange(row: retired(stored), operation: .delete))
    }

    /// The row with the signer's department filled in (subjects belong to no department).
    package static func owned(_ row: LibraryRow, by signer: String) -> LibraryRow {
        switch row {
        case .item(var item, let active):
            item.departmentCode = signer
            return .item(item, active: active)
        case .inspector(var inspector):
            inspector.departmentCode = signer
            return .inspector(inspector)
        case .conflict(let conflict, _):
            return .conflict(conflict, department: signer)
        case .subject:
            return row
        }
    }

    /// The stored row taken out of force: inactive, `left`, or (a conflict) the row that is deleted.
    static func retired(_ row: LibraryRow) -> LibraryRow {
        switch row {
        case .item(let item, _):
            return .item(item, active: false)
        case .subject(let subject, _):
            return .subject(subject, active: false)
        case .inspector(var inspector):
            inspector.status = .left
            return .inspector(inspector)
        case .conflict:
            return row
        }
    }

    static func notYours(_ path: String, _ owner: String) -> FieldError {
        FieldError(
            path: path,
            code: "not_your_department",
            zh: "该行属于部门 \(owner)，本部门不能写入",
            en: "this row belongs to department \(owner): the signing department cannot write it"
        )
    }
}
