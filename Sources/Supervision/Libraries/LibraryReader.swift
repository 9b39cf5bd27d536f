import HubModel

/// Reads a pushed or imported library batch (`{"items":[…]}`, `{"subjects":[…]}` …, or the same tree from XML
/// or CSV) into rows, each checked on its own: field names, types, lengths and the formats a row carries by
/// itself (USCC and ID check digits by ID type, 6-digit region codes, credit grade A–D, 14-digit catalog codes,
/// dates). What needs the hub's data (the catalog, departments, stored rows) is `LibraryRules`' part.
///
/// Pure, so the push API, the import command and the tests read rows one way.
public struct LibraryReader: Sendable {
    public var maxRows: Int

    public init(maxRows: Int = 5000) { self.maxRows = maxRows }

    /// A row as read: what it asks for, or why it cannot be taken.
    public enum Outcome: Sendable, Hashable {
        case valid(LibraryEntry)
        case invalid([FieldError])
    }

    /// The rows of a document whose one member is the list `kind` names. Whole-request problems throw.
    public func read(_ document: JSONValue, kind: LibraryKind) throws(BatchError) -> [Outcome] {
        guard case .object(let members) = document else {
            throw BatchError([.wrongType("", expected: "object", found: document.typeName)])
        }
        var rows: [JSONValue]?
        var errors: [FieldError] = []
        for (name, value) in members {
            if name == kind.rawValue, case .array(let list) = value {
                rows = list
            } else if name == kind.rawValue {
                errors.append(.wrongType(name, expected: "array", found: value.typeName))
            } else {
                errors.append(.unknownField(name))
            }
        }
        if rows == nil, errors.isEmpty { errors.append(.required(kind.rawValue)) }
        if let rows, rows.isEmpty { errors.append(FieldError(path: kind.rawValue, code: "empty", zh: "批次中没有数据行", en: "the batch holds no row")) }
        if let rows, rows.count > maxRows {
            errors.append(
                FieldError(path: kind.rawValue, code: "too_many_rows", zh: "每批最多 \(maxRows) 行", en: "at most \(maxRows) rows per batch")
            )
        }
        guard errors.isEmpty, let rows else { throw BatchError(errors) }
        return rows.enumerated().map { index, row in read(row, kind: kind, path: "\(kind.rawValue)[\(index)]") }
    }

    /// Reads one row found at `path`.
    public func read(_ value: JSONValue, kind: LibraryKind, path: String) -> Outcome {
        guard case .object(let members) = value else { return .invalid([.wrongType(path, expected: "object", found: value.typeName)]) }
        var fields = Fields(path: path)
        let spec = LibraryFields.spec(kind)
        for (name, value) in members {
            if name == "operation" {
                fields.operation(value)
            } else if let field = spec.first(where: { $0.name == name }) {
                fields.take(field, value)
            } else {
                fields.errors.append(.unknownField("\(path).\(name)"))
            }
        }
        for field in spec where field.isKey || (field.required && fields.op == .upsert) {
            if fields.values[field.name] == nil, fields.lists[field.name] == nil,
                !fields.errors.contains(where: { $0.path == "\(path).\(field.name)" })
            {
                fields.errors.append(.required("\(path).\(field.name)"))
            }
        }
        guard fields.errors.isEmpty else { return .invalid(fields.errors) }
        let entry = LibraryFields.entry(kind, fields)
        let problems = LibraryFields.formatProblems(entry, raw: fields.values, path: path)
        return problems.isEmpty ? .valid(entry) : .invalid(problems)
    }

    /// The members of one row as read so far.
    struct Fields {
        let path: String
        var op = LibraryOperation.upsert
        var values: [String: String] = [:]
        var lists: [String: [String]] = [:]
        var errors: [FieldError] = []

        init(path: String) { self.path = path }

        mutating func operation(_ value: JSONValue) {
            guard case .string(let text) = value, let op = LibraryOperation(rawValue: text) else {
                errors.append(
                    FieldError(
                        path: "\(path).operation",
                        code: "invalid_operation",
                        zh: "operation 只能为 upsert 或 delete",
                        en: "operation is upsert or delete"
                    )
                )
                return
            }
            self.op = op
        }

        mutating func take(_ field: LibraryFields.Field, _ value: JSONValue) {
            let at = "\(path).\(field.name)"
            if field.isList {
                if case .null = value { return }
                guard case .array(let entries) = value else {
                    errors.append(.wrongType(at, expected: "array", found: value.typeName))
                    return
                }
                var out: [String] = []
                for (i, entry) in entries.enumerated() {
                    guard case .string(let s) = entry else {
                        errors.append(.wrongType("\(at)[\(i)]", expected: "string", found: entry.typeName))
                        continue
                    }
                    if let problem = Self.textProblem(s, path: "\(at)[\(i)]", max: field.maxLength) { errors.append(problem) }
                    out.append(s.trimmingSpaces)
                }
                if entries.count > 50 { errors.append(FieldError(path: at, code: "too_many_values", zh: "最多 50 项", en: "at most 50 values")) }
                lists[field.name] = out
                return
            }
            switch value {
            case .null:
                return
            case .string(let s):
                if let problem = Self.textProblem(s, path: at, max: field.maxLength) {
                    errors.append(problem)
                } else if !s.trimmingSpaces.isEmpty {
                    values[field.name] = s.trimmingSpaces
                } else if field.isKey || field.required {
                    errors.append(.empty(at))
                } else {
                    values[field.name] = ""
                }
            default:
                errors.append(.wrongType(at, expected: "string", found: value.typeName))
            }
        }

        static func textProblem(_ s: String, path: String, max: Int) -> FieldError? {
            if s.unicodeScalars.count > max { return .tooLong(path, max: max) }
            if s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                return FieldError(path: path, code: "invalid_character", zh: "含有控制字符", en: "contains a control character")
            }
            return nil
        }
    }
}

/// A row as read from a batch: the row it asks for, what it asks, and the department it names (when it names one).
public struct LibraryEntry: Sendable, Hashable {
    /// The row as it would be stored; a delete carries only its key fields. Items, inspectors and conflicts have
    /// an empty department here: the signer's is filled in by `LibraryRules`.
    public var row: LibraryRow
    public var operation: LibraryOperation
    /// `departmentCode` when the row names one (it must be the signer's).
    public var claimedDepartment: String?

    public init(row: LibraryRow, operation: LibraryOperation, claimedDepartment: String? = nil) {
        self.row = row
        self.operation = operation
        self.claimedDepartment = claimedDepartment
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
