import AsyncHTTPClient
import HubModel
import NIOCore

/// Reads the hub's public ledger endpoints (`/api/v1/ledger/…`): what a witness or an auditor needs to check
/// signed tree heads it kept — the hub's public key and consistency proofs. No credentials: they are public.
public struct HubLedgerClient: Sendable {
    public let baseURL: String
    let http: HTTPClient
    let timeout: Duration

    public init(baseURL: String, http: HTTPClient = .shared, timeout: Duration = .seconds(5)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.http = http
        self.timeout = timeout
    }

    public struct Failure: Error, CustomStringConvertible {
        public var status: Int?
        public var reason: String
        public var description: String { status.map { "HTTP \($0): \(reason)" } ?? reason }
    }

    func get(_ pathAndQuery: String) async throws -> JSONValue {
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await http.execute(HTTPClientRequest(url: baseURL + pathAndQuery), timeout: .milliseconds(timeout.milliseconds))
            body = try await response.body.collect(upTo: 16 << 20)
        } catch {
            throw Failure(status: nil, reason: "\(error)")
        }
        guard response.status.code == 200 else { throw Failure(status: Int(response.status.code), reason: String(buffer: body)) }
        guard let doc = try? JSONParser().parse(body.readableBytesView) else { throw Failure(status: 200, reason: "not JSON") }
        return doc
    }

    /// The key the hub signs its tree heads with, as it publishes it.
    public func publicKey() async throws -> [UInt8] {
        guard let key = try await get("/api/v1/ledger/checkpoints?limit=1")["publicKey"]?.stringValue.flatMap({ [UInt8](hex: $0) }),
            key.count == 32
        else { throw Failure(status: 200, reason: "no publicKey") }
        return key
    }

    /// The hub's consistency proof from tree size `from` to its checkpoint of tree size `to`, and that checkpoint.
    public func consistency(from: Int64, to: Int64) async throws -> (to: SignedTreeHead, proof: [[UInt8]]) {
        let doc = try await get("/api/v1/ledger/consistency?from=\(from)&to=\(to)")
        guard let head = doc["to"].flatMap({ SignedTreeHead(json: $0) }), let path = doc["proof"]?.arrayValue else {
            throw Failure(status: 200, reason: "no proof in the answer")
        }
        var proof: [[UInt8]] = []
        for p in path {
            guard let bytes = p.stringValue.flatMap({ [UInt8](hex: $0) }), bytes.count == 32 else {
                throw Failure(status: 200, reason: "bad proof hash")
            }
            proof.append(bytes)
        }
        return (head, proof)
    }
}
