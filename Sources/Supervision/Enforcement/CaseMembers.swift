import HubModel

/// The members of one object of a case event being read, with the errors found so far, each at its full path.
/// An unknown member is refused; a member read as absent when it is `null`.
struct Members {
    let path: String
    var members: [String: JSONValue] = [:]
    var errors: [FieldError] = []
    var isObject = true

    init(_ value: JSONValue, path: String, allowed: [String]) {
        self.path = path
        guard case .object(let list) = value else {
            isObject = false
            errors.append(.wrongType(path, expected: "object", found: value.typeName))
            return
        }
        for (name, member) in list {
            if !allowed.contains(name) {
                errors.append(.unknownField("\(path).\(name)"))
            } else if member != .null {
                members[name] = member
            }
        }
    }

    private mutating func present(_ name: String, required: Bool) -> JSONValue? {
        guard let value = members[name] else {
            if required, isObject { errors.append(.required("\(path).\(name)")) }
            return nil
        }
        return value
    }

    mutating func text(_ name: String, max: Int, required: Bool = true) -> String? {
        guard let value = present(name, required: required) else { return nil }
        return text(value, at: "\(path).\(name)", max: max)
    }

    mutating func text(_ value: JSONValue, at: String, max: Int) -> String? {
        guard case .string(let raw) = value else {
            errors.append(.wrongType(at, expected: "string", found: value.typeName))
            return nil
        }
        let s = raw.trimmingSpaces
        if s.isEmpty {
            errors.append(.empty(at))
        } else if s.unicodeScalars.count > max {
            errors.append(.tooLong(at, max: max))
        } else if s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            errors.append(FieldError(path: at, code: "control_character", zh: "文本中含有控制字符", en: "the text holds a control character"))
        } else {
            return s
        }
        return nil
    }

    mutating func time(_ name: String, required: Bool = true) -> Timestamp? {
        guard let value = present(name, required: required) else { return nil }
        let at = "\(path).\(name)"
        guard case .string(let s) = value else {
            errors.append(.wrongType(at, expected: "string", found: value.typeName))
            return nil
        }
        guard let ts = Timestamp(s.trimmingSpaces) else {
            errors.append(
                FieldError(
                    path: at,
                    code: "invalid_timestamp",
                    zh: "时间应为带时区的 ISO 8601 格式，如 2026-11-20T09:30:00+08:00",
                    en: "a time is ISO 8601 with an offset, e.g. 2026-11-20T09:30:00+08:00"
                )
            )
            return nil
        }
        return ts
    }

    /// A calendar date `YYYY-MM-DD` (Asia/Shanghai, as every date of the field).
    mutating func date(_ name: String, required: Bool = true) -> CalendarDate? {
        guard let value = present(name, required: required) else { return nil }
        let at = "\(path).\(name)"
        guard case .string(let s) = value else {
            errors.append(.wrongType(at, expected: "string", found: value.typeName))
            return nil
        }
        guard let date = CalendarDate(s.trimmingSpaces) else {
            errors.append(FieldError(path: at, code: "invalid_date", zh: "日期应为有效的 YYYY-MM-DD", en: "a date is a valid YYYY-MM-DD"))
            return nil
        }
        return date
    }

    mutating func bool(_ name: String, required: Bool) -> Bool? {
        guard let value = present(name, required: required) else { return nil }
        switch value {
        case .bool(let b): return b
        case .string("true"): return true
        case .string("false"): return false
        default:
            errors.append(.wrongType("\(path).\(name)", expected: "boolean", found: value.typeName))
            return nil
        }
    }

    mutating func integer(_ name: String, in range: ClosedRange<Int64>, required: Bool = true) -> Int64? {
        guard let value = present(name, required: required) else { return nil }
        let at = "\(path).\(name)"
        let text: String
        switch value {
        case .number(let n): text = n
        case .string(let s): text = s.trimmingSpaces
        default:
            errors.append(.wrongType(at, expected: "integer", found: value.typeName))
            return nil
        }
        guard let n = Int64(text), range.contains(n) else {
            errors.append(
                FieldError(
                    path: at,
                    code: "out_of_range",
                    zh: "应为 \(range.lowerBound)–\(range.upperBound) 之间的整数",
                    en: "an integer from \(range.lowerBound) to \(range.upperBound)"
                )
            )
            return nil
        }
        return n
    }

    mutating func money(_ name: String, required: Bool = false) -> String? {
        guard let value = present(name, required: required) else { return nil }
        let at = "\(path).\(name)"
        guard case .string(let s) = value else {
            errors.append(.wrongType(at, expected: "string", found: value.typeName))
            return nil
        }
        guard Money.isValid(s) else {
            errors.append(
                FieldError(
                    path: at,
                    code: "invalid_money",
                    zh: "金额应为非负的精确小数字符串，最多两位小数，如 \"5000.00\"",
                    en: "money is a non-negative exact decimal string with at most 2 places, e.g. \"5000.00\""
                )
            )
            return nil
        }
        return s
    }

    mutating func sha256(_ name: String) -> String? {
        guard let value = text(name, max: 64) else { return nil }
        guard value.utf8.count == 64, value.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            errors.append(
                FieldError(
                    path: "\(path).\(name)",
                    code: "invalid_sha256",
                    zh: "文件摘要应为64位小写十六进制 SHA-256",
                    en: "a document digest is SHA-256 as 64 lowercase hex characters"
                )
            )
            return nil
        }
        return value
    }

    mutating func choice<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type, required: Bool = true) -> E?
    where E.RawValue == String {
        guard let value = present(name, required: required) else { return nil }
        return choice(value, at: "\(path).\(name)", type)
    }

    mutating func choice<E: RawRepresentable & CaseIterable>(_ value: JSONValue, at: String, _ type: E.Type) -> E? where E.RawValue == String {
        guard case .string(let s) = value else {
            errors.append(.wrongType(at, expected: "string", found: value.typeName))
            return nil
        }
        guard let e = E(rawValue: s.trimmingSpaces) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            errors.append(FieldError(path: at, code: "invalid_value", zh: "取值只能为：\(allowed)", en: "one of: \(allowed)"))
            return nil
        }
        return e
    }

    mutating func list(_ name: String, min: Int, max: Int, required: Bool = true) -> [JSONValue]? {
        guard let value = present(name, required: required) else { return nil }
        let at = "\(path).\(name)"
        guard case .array(let list) = value else {
            errors.append(.wrongType(at, expected: "array", found: value.typeName))
            return nil
        }
        if list.count > max { errors.append(FieldError(path: at, code: "too_many", zh: "最多 \(max) 项", en: "at most \(max) entries")) }
        if list.count < min { errors.append(FieldError(path: at, code: "too_few", zh: "至少 \(min) 项", en: "at least \(min) entries")) }
        return list
    }
}
