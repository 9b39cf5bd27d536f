import Crypto

/// A signed tree head: the hub's Ed25519 signature over the RFC 9162 root of the first `treeSize` ledger
/// entries. It is what leaves the database — served at `GET /api/v1/ledger/checkpoints`, carried by every
/// upload to the province — so that anyone who kept one can later demand a consistency proof from the hub.
public struct SignedTreeHead: Sendable, Hashable {
    public var treeSize: Int64
    public var root: [UInt8]
    public var signature: [UInt8]
    public var publicKey: [UInt8]
    /// When the hub signed it (Asia/Shanghai wall time as the hub wrote it; not signed, for people only).
    public var createdAt: String

    public init(treeSize: Int64, root: [UInt8], signature: [UInt8], publicKey: [UInt8], createdAt: String = "") {
        self.treeSize = treeSize
        self.root = root
        self.signature = signature
        self.publicKey = publicKey
        self.createdAt = createdAt
    }

    /// What is signed: a versioned, unambiguous text (the same bytes since the first checkpoint).
    public static func message(treeSize: Int64, root: [UInt8]) -> [UInt8] {
        Array("hub-checkpoint-v1\n\(treeSize)\n\(root.hex)\n".utf8)
    }

    /// Whether the signature verifies under the key the head names (say nothing about trusting that key).
    public var signatureValid: Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: Self.message(treeSize: treeSize, root: root))
    }

    /// Signed by one of `trustedKeys`, and the signature verifies.
    public func signedBy(anyOf trustedKeys: [[UInt8]]) -> Bool {
        trustedKeys.contains(publicKey) && signatureValid
    }

    /// `{"treeSize":N,"root":hex,"signature":hex,"publicKey":hex,"createdAt":"…"}`.
    public var json: JSONValue {
        .object([
            ("treeSize", .number(String(treeSize))), ("root", .string(root.hex)), ("signature", .string(signature.hex)),
            ("publicKey", .string(publicKey.hex)), ("createdAt", .string(createdAt)),
        ])
    }

    /// Reads the JSON form; nil when a member is missing or malformed (sizes > 0, 32-byte root and key,
    /// 64-byte signature).
    public init?(json: JSONValue) {
        guard let size = json["treeSize"]?.intValue, size > 0,
            let root = json["root"]?.stringValue.flatMap({ [UInt8](hex: $0) }), root.count == 32,
            let signature = json["signature"]?.stringValue.flatMap({ [UInt8](hex: $0) }), signature.count == 64,
            let key = json["publicKey"]?.stringValue.flatMap({ [UInt8](hex: $0) }), key.count == 32
        else { return nil }
        self.init(treeSize: Int64(size), root: root, signature: signature, publicKey: key, createdAt: json["createdAt"]?.stringValue ?? "")
    }

    /// The XML form, an empty element with one attribute per member (the upload envelope's `<signedTreeHead>`).
    public var xmlAttributes: [(String, String)] {
        [("treeSize", String(treeSize)), ("root", root.hex), ("signature", signature.hex), ("publicKey", publicKey.hex), ("createdAt", createdAt)]
    }

    public init?(attributes: [(String, String)]) {
        var doc: [(String, JSONValue)] = []
        for (name, value) in attributes { doc.append((name, name == "treeSize" ? .number(value) : .string(value))) }
        self.init(json: .object(doc))
    }
}

extension SignedTreeHead {
    /// A head as someone saved it: one head object, or a whole `GET /api/v1/ledger/checkpoints` answer (its
    /// first, newest head), or a consistency answer (its `to`).
    public static func fromSaved(_ bytes: [UInt8]) -> SignedTreeHead? {
        guard let doc = try? JSONParser().parse(bytes) else { return nil }
        if let head = SignedTreeHead(json: doc) { return head }
        if let first = doc["checkpoints"]?.arrayValue?.first { return SignedTreeHead(json: first) }
        return doc["to"].flatMap { SignedTreeHead(json: $0) }
    }
}
