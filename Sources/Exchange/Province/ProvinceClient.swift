import AsyncHTTPClient
import Foundation
import HubModel
import NIOCore
import NIOHTTP1

/// The hub's side of the provincial exchange: uploads batches and reads the province's feeds.
///
/// It says what happened and nothing more; what to retry, when, and what to record is the sync daemon's
/// job. Anything short of a verified receipt is a `DeliveryFailure`: the rows stay queued and go again
/// under the same `cd_id`, which the province deduplicates.
public struct ProvinceClient: Sendable {
    public let configuration: ProvinceConfiguration
    let http: HTTPClient

    public init(configuration: ProvinceConfiguration, http: HTTPClient = .shared) {
        self.configuration = configuration
        self.http = http
    }

    /// Why an upload has no usable receipt.
    public enum DeliveryFailure: Error, Sendable, CustomStringConvertible {
        /// Connection refused or reset, timeout, a body cut short.
        case transport(String)
        /// An HTTP status other than 200; `retryAfter` from a 429 or 503.
        case status(Int, retryAfter: Duration?)
        /// A 200 whose receipt cannot be read or whose signature does not verify.
        case badReceipt(String)

        public var description: String {
            switch self {
            case .transport(let why): "transport: \(why)"
            case .status(let code, let after): "HTTP \(code)" + (after.map { " (Retry-After \($0.milliseconds / 1000) s)" } ?? "")
            case .badReceipt(let why): "receipt: \(why)"
            }
        }

        /// A stable short name for metrics and logs.
        public var kind: String {
            switch self {
            case .transport: "transport"
            case .status(let code, _): code == 429 ? "throttled" : "http_\(code)"
            case .badReceipt: "bad_receipt"
            }
        }

        public var retryAfter: Duration? {
            if case .status(_, let after) = self { return after }
            return nil
        }

        /// An outage (no answer, 408, 429, 5xx) clears by itself and is not the rows' fault; any other refusal
        /// (a 4xx, a receipt that cannot be trusted) may be, and counts toward the dead-letter state.
        public var isTransient: Bool {
            switch self {
            case .transport: true
            case .status(let code, _): code == 408 || code == 429 || code >= 500
            case .badReceipt: false
            }
        }
    }

    /// Uploads one batch and returns the province's verified receipt.
    public func upload(_ batch: ExchangeBatch) async throws(DeliveryFailure) -> ProvincialReceipt {
        var request = HTTPClientRequest(url: configuration.baseURL + "/province/v1/exchange/batches")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(configuration.token)")
        switch configuration.format {
        case .json:
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.body = .bytes(ByteBuffer(bytes: batch.json()))
        case .xml:
            request.headers.add(name: "Content-Type", value: "application/xml; charset=utf-8")
            do { request.body = .bytes(ByteBuffer(string: try batch.xml())) } catch {
                throw .badReceipt("a queued record is not valid JSON: \(error)")
            }
        }
        let (status, headers, body) = try await send(request)
        guard status == 200 else {
            throw .status(status, retryAfter: RetryPolicy.parseRetryAfter(headers.first(name: "Retry-After")))
        }
        let receipt: ProvincialReceipt
        do { receipt = try ProvincialReceipt.parse(body.readableBytesView) } catch { throw .badReceipt("\(error)") }
        guard receipt.verify(secret: configuration.receiptSecret) else { throw .badReceipt("signature does not verify") }
        guard receipt.cdBatch == batch.cdBatch else { throw .badReceipt("receipt for batch \(receipt.cdBatch), sent \(batch.cdBatch)") }
        // A row named twice must be named the same way, and only rows that were sent may be named.
        let sent = Set(batch.rows.map(\.cdId))
        var seen: [String: ProvincialReceipt.RowOutcome] = [:]
        for outcome in receipt.results {
            guard sent.contains(outcome.cdId) else { throw .badReceipt("the receipt names cd_id \(outcome.cdId), which was not sent") }
            if let earlier = seen[outcome.cdId], earlier != outcome {
                throw .badReceipt("the receipt gives cd_id \(outcome.cdId) two different outcomes")
            }
            seen[outcome.cdId] = outcome
        }
        return receipt
    }

    /// One page of a feed (`catalog/changes`, `tasks`, `clues`) after `cursor`: its entries and the next cursor.
    public func feed(_ name: String, after cursor: Int, limit: Int = 200) async throws(DeliveryFailure) -> (entries: [JSONValue], next: Int) {
        var request = HTTPClientRequest(url: configuration.baseURL + "/province/v1/\(name)?after=\(cursor)&limit=\(limit)")
        request.headers.add(name: "Authorization", value: "Bearer \(configuration.token)")
        let (status, headers, body) = try await send(request)
        guard status == 200 else { throw .status(status, retryAfter: RetryPolicy.parseRetryAfter(headers.first(name: "Retry-After"))) }
        let doc: JSONValue
        do { doc = try JSONParser().parse(body.readableBytesView) } catch { throw .badReceipt("feed \(name) is not JSON: \(error.reason)") }
        guard let entries = doc["entries"]?.arrayValue, let next = doc["next"]?.intValue else {
            throw .badReceipt("feed \(name) needs entries and next")
        }
        return (entries, next)
    }

    /// Sends a department's feedback on a joint task.
    public func taskFeedback(taskId: String, department: String, result: String, detail: String) async throws(DeliveryFailure) {
        let escaped = taskId.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? taskId
        var request = HTTPClientRequest(url: configuration.baseURL + "/province/v1/tasks/\(escaped)/feedback")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(configuration.token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(
            ByteBuffer(
                bytes: CanonicalJSON.encode(
                    .object([
                        ("department", .string(department)), ("result", .string(result)), ("detail", .string(detail)),
                    ])
                )
            )
        )
        let (status, headers, _) = try await send(request)
        guard status == 200 else { throw .status(status, retryAfter: RetryPolicy.parseRetryAfter(headers.first(name: "Retry-After"))) }
    }

    func send(_ request: HTTPClientRequest) async throws(DeliveryFailure) -> (Int, HTTPHeaders, ByteBuffer) {
        do {
            let response = try await http.execute(request, timeout: .milliseconds(configuration.requestTimeout.milliseconds))
            let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
            return (Int(response.status.code), response.headers, body)
        } catch {
            throw .transport(String(describing: error))
        }
    }
}
