import AsyncHTTPClient
import BenchSupport
import Foundation
import HubClient
import HubModel
import NIOCore

/// Signed pushes to `POST /api/v1/records` from `clients` concurrent loops, each with its own connection.
struct Pusher: Sendable {
    let client: HTTPClient
    let port: Int
    let keyId: String
    let secret: String
    let contentType: String

    static func makeClient(connections: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Pushes one body and returns the latency (ms); exits the benchmark when not every record was accepted.
    func push(_ body: [UInt8], expectAccepted: Int, label: String) async throws -> Double {
        let request = signedRecordsRequest(port: port, keyId: keyId, secret: secret, contentType: contentType, body: body)
        let t0 = ContinuousClock.now
        let response = try await client.execute(request, timeout: .seconds(120))
        let answer = try await response.body.collect(upTo: 64 * 1024 * 1024)
        let elapsed = seconds(ContinuousClock.now - t0) * 1000
        // Members are in canonical (sorted) order, so the summary ends the answer: read only its tail.
        let tailLength = min(answer.readableBytes, 200)
        let tail = String(buffer: answer.getSlice(at: answer.readerIndex + answer.readableBytes - tailLength, length: tailLength) ?? answer)
        guard response.status == .ok, tail.contains("\"accepted\":\(expectAccepted)") else {
            log("\(label): not fully accepted: HTTP \(response.status.code) \(tail)")
            exit(1)
        }
        return elapsed
    }

    /// Pushes every body once, `clients` at a time; returns the latencies (ms).
    func pushAll(_ bodies: [[UInt8]], counts: [Int], clients: Int, label: String) async throws -> [Double] {
        let next = Counter()
        return try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var mine: [Double] = []
                    while true {
                        let index = next.take()
                        guard index < bodies.count else { return mine }
                        mine.append(try await push(bodies[index], expectAccepted: counts[index], label: label))
                        if index % 40 == 0 { log("  \(label): batch \(index + 1)/\(bodies.count)") }
                    }
                }
            }
            var all: [Double] = []
            for try await l in group { all += l }
            return all
        }
    }
}

/// A signed `POST /api/v1/records` of `body` to the hub child on `port`.
func signedRecordsRequest(port: Int, keyId: String, secret: String, contentType: String, body: [UInt8]) -> HTTPClientRequest {
    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/records")
    request.method = .POST
    request.headers.add(name: "Content-Type", value: contentType)
    for (n, v) in RequestSigner.headers(keyId: keyId, secret: secret, method: "POST", pathWithQuery: "/api/v1/records", body: body) {
        request.headers.add(name: n, value: v)
    }
    request.body = .bytes(ByteBuffer(bytes: body))
    return request
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        return next - 1
    }
}

/// Percentile of sorted values.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}
