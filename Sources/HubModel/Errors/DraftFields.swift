import Foundation

/// The members of a small JSON object that ops write (a bulletin, a locally set item), read one by one with every
/// problem kept at its path: an unknown member, a missing or `null` required one, a wrong type, an empty or too
/// long text. Texts come back trimmed.
public struct DraftFields: Sendable {
    public let value: JSONValue
    public var errors: [FieldError] = []

    /// Whether `value` is an object at all (if not, its one error is already in `errors`).
    public let isObject: Bool

    /// Members outside `known` are refused at once.
    public init(_ value: JSONValue, known: Set<String>) {
        self.value = value
        guard case .object(let pairs) = value else {
            isObject = false
            errors.append(.wrongType("", expected: "object", found: value.typeName))
            return
        }
        isObject = true
        for (name, _) in pairs where !known.contains(name) { errors.append(.unknownField(name)) }
    }

    /// A text member, trimmed; nil with its error when it is missing (and required), not a string, empty or longer
    /// than `max` characters.
    public mutating func text(_ name: String, max: Int, required: Bool = true) -> String? {
        guard let member = value[name], member != .null else {
            if required { errors.append(.required(name)) }
            return nil
        }
        guard let string = member.stringValue else {
            errors.append(.wrongType(name, expected: "string", found: member.typeName))
            return nil
        }
        let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            errors.append(.empty(name))
            return nil
        }
        if trimmed.count > max {
            errors.append(.tooLong(name, max: max))
            return nil
        }
        return trimmed
    }
}
