/// Typed reads of a parsed document, for the exchange's own small documents (receipts, feeds).
extension JSONValue {
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var intValue: Int? {
        switch self {
        case .number(let n): Int(n)
        case .string(let s): Int(s)
        default: nil
        }
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// `.string` or `.null` for an optional text.
    public static func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
}
