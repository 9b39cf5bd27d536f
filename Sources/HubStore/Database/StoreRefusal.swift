import HubModel

/// An act a store refuses because of the hub's state, with the field errors a client sees: something unknown
/// (404), a thing in the wrong state or a conflict with what is stored (409), a value the hub cannot take
/// (400), a person acting on their own proposal (403, four eyes). The HTTP layer maps the kind to the status;
/// the command line prints `description`.
public struct StoreRefusal: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case notFound, conflict, invalid, forbidden }

    public var kind: Kind
    public var errors: [FieldError]

    public init(_ kind: Kind, _ errors: [FieldError]) {
        self.kind = kind
        self.errors = errors
    }

    public init(_ kind: Kind, path: String, code: String, zh: String, en: String) {
        self.init(kind, [FieldError(path: path, code: code, zh: zh, en: en)])
    }

    /// The errors as the command line prints them.
    public var description: String { errors.map { "\($0.path): \($0.code) \($0.messageZh) / \($0.messageEn)" }.joined(separator: "\n") }
}
