import Foundation

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

    /// A number that is an integer in JSON Schema's sense — `3`, `3.0`, `3e2` — within Int64; nil for a
    /// fraction, an out-of-range value or another type. Requests are checked against schemas that say `integer`,
    /// and JSON Schema counts `3.0` as one, so the hub must not refuse it.
    public var integerValue: Int64? {
        guard case .number(let text) = self else { return nil }
        if let value = Int64(text) { return value }
        guard text.utf8.count <= 40, let decimal = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        var value = decimal
        var whole = Decimal()
        NSDecimalRound(&whole, &value, 0, .down)
        guard whole == decimal, decimal >= Decimal(Int64.min), decimal <= Decimal(Int64.max) else { return nil }
        return Int64(exactly: NSDecimalNumber(decimal: decimal).int64Value).flatMap { Decimal($0) == decimal ? $0 : nil }
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
