/// A record that passed the schema and the rules: its canonical tree plus the fields the hub acts on.
///
/// The tree is what is stored, hashed and delivered; the typed properties are read from it once so that
/// the store and the item resolution do not walk JSON again.
public struct CanonicalRecord: Sendable {
    public let tree: JSONValue
    public let localId: String
    public let kind: RecordKind
    public let operation: RecordOperation
    public let item: ItemReference
    public let agencyCode: String
    public let regionCode: String
    /// The 双随机 plan and task the act reports, when it is a random check's result.
    public let planId: String?
    public let taskId: String?

    /// The item as the department names it, and the provincial codes if it already knows them.
    public struct ItemReference: Sendable, Hashable {
        public var localCode: String?
        public var localName: String?
        public var legalBasis: String?
        public var catalogCode: String?
        public var implementationCode: String?
    }

    public init(tree: JSONValue) {
        self.tree = tree
        func text(_ v: JSONValue?) -> String? { if case .string(let s)? = v { s } else { nil } }
        self.localId = text(tree["localId"]) ?? ""
        self.kind = RecordKind(rawValue: text(tree["kind"]) ?? "") ?? .other
        self.operation = RecordOperation(rawValue: text(tree["operation"]) ?? "") ?? .upsert
        let item = tree["item"]
        self.item = ItemReference(
            localCode: text(item?["localCode"]),
            localName: text(item?["localName"]),
            legalBasis: text(item?["legalBasis"]),
            catalogCode: text(item?["catalogCode"]),
            implementationCode: text(item?["implementationCode"])
        )
        self.agencyCode = text(tree["agency"]?["code"]) ?? ""
        self.regionCode = text(tree["regionCode"]) ?? ""
        self.planId = text(tree["planId"])
        self.taskId = text(tree["taskId"])
        self.canonicalBytes = CanonicalJSON.encode(tree)
    }

    /// The canonical bytes (sorted members, no whitespace): what idempotency and the ledger hash. Encoded
    /// once, when the record is made.
    public let canonicalBytes: [UInt8]

    /// The canonical bytes of `resolved(…)`: the record's own bytes when it already carries exactly these codes.
    public func resolvedBytes(catalogCode: String, implementationCode: String) -> [UInt8] {
        if item.catalogCode == catalogCode && item.implementationCode == implementationCode { return canonicalBytes }
        return CanonicalJSON.encode(resolved(catalogCode: catalogCode, implementationCode: implementationCode))
    }

    /// The same record with the provincial codes the hub resolved written into `item`.
    public func resolved(catalogCode: String, implementationCode: String) -> JSONValue {
        guard case .object(var members) = tree, let index = members.firstIndex(where: { $0.0 == "item" }),
            case .object(var item) = members[index].1
        else { return tree }
        item.removeAll { $0.0 == "catalogCode" || $0.0 == "implementationCode" }
        item.append(("catalogCode", .string(catalogCode)))
        item.append(("implementationCode", .string(implementationCode)))
        members[index].1 = .object(item)
        return .object(members)
    }
}
