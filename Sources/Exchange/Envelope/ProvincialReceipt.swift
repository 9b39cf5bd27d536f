import Crypto
import HubModel

/// What the province answers for an uploaded batch: one outcome per row, signed with the shared secret so
/// that the receipt the hub puts in its ledger is the province's word, not something a proxy made up.
public struct ProvincialReceipt: Sendable, Hashable {
    public var receiptId: String
    public var cdBatch: String
    public var results: [RowOutcome]
    /// Lowercase hex HMAC-SHA256(secret, canonical JSON of the receipt without `signature`).
    public var signature: String

    public init(receiptId: String, cdBatch: String, results: [RowOutcome], signature: String = "") {
        self.receiptId = receiptId
        self.cdBatch = cdBatch
        self.results = results
        self.signature = signature
    }

    /// The province's verdict on one row (the type the outbox records too).
    public typealias RowOutcome = ProvincialRowOutcome

    /// The receipt's document without its signature: what is signed and what the ledger keeps.
    public var unsigned: JSONValue {
        .object([("receiptId", .string(receiptId)), ("cd_batch", .string(cdBatch)), ("results", .array(results.map(\.json)))])
    }

    public func computeSignature(secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: CanonicalJSON.encode(unsigned), using: SymmetricKey(data: Array(secret.utf8)))
        return Array(mac).hex
    }

    public func signed(secret: String) -> ProvincialReceipt {
        var copy = self
        copy.signature = computeSignature(secret: secret)
        return copy
    }

    public func verify(secret: String) -> Bool {
        constantTimeEqual(computeSignature(secret: secret), signature)
    }

    public func json() -> [UInt8] {
        guard case .object(var members) = unsigned else { return [] }
        members.append(("signature", .string(signature)))
        return CanonicalJSON.encode(.object(members))
    }

    public struct Malformed: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "malformed provincial receipt: \(reason)" }
    }

    public static func parse(_ bytes: some Collection<UInt8>) throws -> ProvincialReceipt {
        let doc: JSONValue
        do { doc = try JSONParser().parse(bytes) } catch { throw Malformed(reason: "not JSON (\(error.reason))") }
        guard let id = doc["receiptId"]?.stringValue, let batch = doc["cd_batch"]?.stringValue,
            let rows = doc["results"]?.arrayValue, let signature = doc["signature"]?.stringValue
        else {
            throw Malformed(reason: "receiptId, cd_batch, results and signature are required")
        }
        var results: [RowOutcome] = []
        for row in rows {
            guard let cdId = row["cd_id"]?.stringValue, let status = row["status"]?.stringValue.flatMap(RowOutcome.Status.init(rawValue:)) else {
                throw Malformed(reason: "a result needs cd_id and status accepted|duplicate|rejected")
            }
            results.append(
                RowOutcome(
                    cdId: cdId,
                    status: status,
                    retryable: row["retryable"]?.boolValue ?? false,
                    code: row["code"]?.stringValue,
                    message: row["message"]?.stringValue
                )
            )
        }
        return ProvincialReceipt(receiptId: id, cdBatch: batch, results: results, signature: signature)
    }
}

extension ProvincialRowOutcome {
    /// The row as the signed receipt document holds it.
    var json: JSONValue {
        .object([
            ("cd_id", .string(cdId)), ("status", .string(status.rawValue)), ("retryable", .bool(retryable)),
            ("code", .text(code)), ("message", .text(message)),
        ])
    }
}
