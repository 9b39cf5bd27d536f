import HubModel

/// A publication act the store refuses, with what the client sees: no such publication of the caller's (404), a
/// publication that cannot be withdrawn in its state (409), a date that cannot be (422).
public struct PublicationRefusal: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case notFound, conflict, invalid }

    public var kind: Kind
    public var errors: [FieldError]

    public init(_ kind: Kind, path: String, code: String, zh: String, en: String) {
        self.kind = kind
        self.errors = [FieldError(path: path, code: code, zh: zh, en: en)]
    }

    public var description: String { errors.map { "\($0.path): \($0.code) \($0.messageZh) / \($0.messageEn)" }.joined(separator: "\n") }

    static func notFound(_ path: String) -> PublicationRefusal {
        PublicationRefusal(.notFound, path: path, code: "publication_not_found", zh: "没有该公示信息", en: "no such publication")
    }
}
