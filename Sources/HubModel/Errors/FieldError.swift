/// One problem with what a client sent: where, what (a stable machine code), and why in both languages.
///
/// This is the single error shape of the hub's front door: per-record results, whole-request refusals
/// (authentication, size, unparseable body) and, later, XML schema errors all answer with a list of these.
/// `code` values are a contract: department systems switch on them. Never rename one; add new ones.
public struct FieldError: Error, Sendable, Hashable, Codable {
    /// Where the problem is, e.g. `records[3].party.idNumber`; empty for the request as a whole.
    public var path: String
    /// Stable machine code, snake_case, e.g. `invalid_check_digit`.
    public var code: String
    public var messageZh: String
    public var messageEn: String

    public init(path: String, code: String, zh: String, en: String) {
        self.path = path
        self.code = code
        self.messageZh = zh
        self.messageEn = en
    }
}

extension FieldError {
    public static func required(_ path: String) -> FieldError {
        FieldError(path: path, code: "required", zh: "必填字段缺失", en: "required field is missing")
    }

    public static func unknownField(_ path: String) -> FieldError {
        FieldError(path: path, code: "unknown_field", zh: "未知字段（请检查字段名拼写）", en: "unknown field (check the field name)")
    }

    public static func wrongType(_ path: String, expected: String, found: String) -> FieldError {
        FieldError(
            path: path,
            code: "wrong_type",
            zh: "字段类型错误：应为\(expectedZh(expected))，实际为\(expectedZh(found))",
            en: "wrong type: expected \(expected), found \(found)"
        )
    }

    public static func tooLong(_ path: String, max: Int) -> FieldError {
        FieldError(path: path, code: "too_long", zh: "长度超过上限 \(max) 个字符", en: "longer than \(max) characters")
    }

    public static func empty(_ path: String) -> FieldError {
        FieldError(path: path, code: "empty", zh: "字段不能为空", en: "must not be empty")
    }

    public static func unknownCode(_ path: String, dictionary: String, value: String) -> FieldError {
        FieldError(
            path: path,
            code: "unknown_dictionary_value",
            zh: "“\(value)”不是国家字典“\(dictionary)”中的代码",
            en: "\"\(value)\" is not a code of the national dictionary \(dictionary)"
        )
    }

    private static func expectedZh(_ english: String) -> String {
        switch english {
        case "string": "字符串"
        case "object": "对象"
        case "array": "数组"
        case "boolean": "布尔值"
        case "number": "数字"
        case "null": "空值"
        default: english
        }
    }
}
