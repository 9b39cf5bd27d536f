import AsyncHTTPClient
import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// Slow and greedy clients: connection deadlines, refusals decided before the body is read, and the cap on
/// uploads in flight per key. Timeouts are short here (set by configuration); scripts/slowloris.py runs the
/// 1,000-connection version against a real `hub serve` (docs/BENCHMARKS.md) and measures that process's memory:
/// the test process's resident size is shared with every test running in parallel (the hostile corpus alone
/// adds hundreds of MiB), so a memory bound asserted here failed on other tests' allocations.
@Suite("Slow clients")
struct SlowClientTests {
    static let shortTimeouts = ["HUB_HEADER_TIMEOUT": "1", "HUB_READ_TIMEOUT": "2", "HUB_IDLE_TIMEOUT": "2"]

    @Test("100 connections trickling a request head one byte at a time: /health keeps answering and the hub closes them all")
    func slowloris() async throws {
        let t = try await TestHub.make(environment: Self.shortTimeouts)
        try await t.serve { client, _ in
            let port = client.port!
            var connections: [RawClient] = []
            for _ in 0..<100 { connections.append(try await RawClient.connect(port: port)) }
            let opened = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for connection in connections {
                    group.addTask {
                        // One byte every 200 ms of a head that never ends, for up to 8 s (the header deadline is 1 s).
                        for byte in "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" {
                            guard connection.isOpen, ContinuousClock.now - opened < .seconds(8) else { return }
                            try? await connection.send(String(byte))
                            try await Task.sleep(for: .milliseconds(200))
                        }
                    }
                }
                // Meanwhile the hub answers everyone else (each check on a connection of its own: a kept-alive
                // one would itself be closed by the 1 s header deadline while the test is busy).
                for _ in 0..<5 {
                    let started = ContinuousClock.now
                    #expect(try await RawClient.status(port: port, "/health") == "HTTP/1.1 200 OK")
                    #expect(ContinuousClock.now - started < .seconds(2))
                    try await Task.sleep(for: .milliseconds(100))
                }
                try await group.waitForAll()
            }
            let allClosed = try await RawClient.eventually(.seconds(3)) { connections.allSatisfy { !$0.isOpen } }
            let closedAfter = ContinuousClock.now - opened
            #expect(allClosed, "\(connections.filter(\.isOpen).count) of 100 still open after \(closedAfter)")
            #expect(closedAfter < .seconds(6), "closed by the header deadline (1 s), not by the clients giving up (8 s)")
            #expect(connections.allSatisfy { $0.text.isEmpty }, "closed without an answer")
            #expect(try await RawClient.status(port: port, "/health") == "HTTP/1.1 200 OK")
            // (Without deadlines they would still be open, and the server's shutdown would wait for them forever.)
            for connection in connections { connection.close() }
        }
    }

    @Test("a body that stalls after its head is cut off at the read deadline; an idle kept-alive connection at the idle deadline")
    func readAndIdleDeadlines() async throws {
        let t = try await TestHub.make(environment: Self.shortTimeouts)
        try await t.serve { client, _ in
            let port = client.port!
            let stalled = try await RawClient.connect(port: port)
            try await stalled.send("POST /console/login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\nusername=a")
            let started = ContinuousClock.now
            // Keeps trickling body bytes: a per-byte idle timer would never fire, the read deadline does.
            var trickled = 0
            while stalled.isOpen, ContinuousClock.now - started < .seconds(5) {
                try? await stalled.send("a")
                trickled += 1
                try await Task.sleep(for: .milliseconds(300))
            }
            #expect(!stalled.isOpen, "still open after trickling \(trickled) bytes")
            #expect(ContinuousClock.now - started < .seconds(4))

            let idle = try await RawClient.connect(port: port)
            try await idle.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(try await RawClient.eventually(.seconds(1)) { idle.text.contains("200 OK") })
            let answered = ContinuousClock.now
            #expect(try await RawClient.eventually(.seconds(4)) { !idle.isOpen })
            #expect(ContinuousClock.now - answered > .milliseconds(1500), "kept alive until the idle deadline (2 s)")
            stalled.close()
            idle.close()
        }
    }

    @Test("an unknown key with a huge body that trickles in is answered at once, its body unread, and the connection closed")
    func refusedBeforeTheBody() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, _ in
            let connection = try await RawClient.connect(port: client.port!)
            let started = ContinuousClock.now
            try await connection.send(
                """
                POST /api/v1/records HTTP/1.1\r
                Host: localhost\r
                Content-Type: application/json\r
                Content-Length: 1000000000\r
                X-Hub-Key: hk_nobody\r
                X-Hub-Timestamp: \(Int(Date().timeIntervalSince1970))\r
                X-Hub-Nonce: n-1\r
                X-Hub-Signature: 00\r
                \r
                {"batchId":
                """
            )
            #expect(try await RawClient.eventually(.seconds(1)) { connection.text.contains("unknown_key") }, "answered at once: \(connection.text)")
            #expect(connection.text.hasPrefix("HTTP/1.1 401"))
            #expect(connection.text.lowercased().contains("connection: close"))
            // The client goes on sending its gigabyte slowly; the hub does not wait for it.
            for _ in 0..<10 where connection.isOpen {
                try? await connection.send(String(repeating: "x", count: 1000))
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(try await RawClient.eventually(.seconds(2)) { !connection.isOpen }, "the hub closed the connection instead of draining the body")
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(try await RawClient.status(port: client.port!, "/health") == "HTTP/1.1 200 OK")
            connection.close()
        }
    }

    @Test("a key with HUB_MAX_UPLOADS_PER_KEY uploads in flight is answered 429 too_many_uploads with Retry-After; other keys are not")
    func uploadCap() async throws {
        let t = try await TestHub.make(environment: ["HUB_MAX_UPLOADS_PER_KEY": "2"])
        let item = t.inspectionItem
        let body = SampleRecords.batch([
            SampleRecords.inspection(localId: "CAP-1", catalogCode: item.catalogCode, implementationCode: item.code, agencyCode: item.agencyCode)
        ])
        try await t.serve { client, hub in
            // Two uploads of the same key whose bodies are still arriving.
            var slow: [RawClient] = []
            for n in 0..<2 {
                let bytes = Array(body.utf8)
                let head = RequestSigner.headers(
                    keyId: t.scjg.keyId,
                    secret: t.scjg.secret,
                    method: "POST",
                    pathWithQuery: "/api/v1/records",
                    body: bytes,
                    nonce: "slow-\(n)"
                )
                let connection = try await RawClient.connect(port: client.port!)
                let fields = head.map { "\($0.0): \($0.1)\r\n" }.joined()
                try await connection.send(
                    "POST /api/v1/records HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: \(bytes.count)\r\n\(fields)\r\n"
                        + String(body.prefix(10))
                )
                slow.append(connection)
            }
            #expect(try await RawClient.eventually(.seconds(2)) { hub.uploadSlots.count(t.scjg.keyId) == 2 })
            let third = try await client.signed(.post, "/api/v1/records", body: body, as: t.scjg)
            #expect(third.status == .tooManyRequests)
            #expect(third.json["errors"]?[0]["code"]?.string == "too_many_uploads")
            #expect(third.json["errors"]?[0]["messageZh"]?.string?.isEmpty == false)
            #expect(third.headers[.retryAfter] == "1")
            // Another department is not held up, and reads of the same key are not uploads.
            let other = SampleRecords.batch([])
            #expect(try await client.signed(.post, "/api/v1/records", body: other, as: t.wj).status != .tooManyRequests)
            #expect(try await client.signed(.get, "/api/v1/receipts", as: t.scjg).status == .ok)
            // When the slow uploads go away their slots come back.
            for connection in slow { connection.close() }
            #expect(try await RawClient.eventually(.seconds(2)) { hub.uploadSlots.count(t.scjg.keyId) == 0 })
            let later = try await client.signed(.post, "/api/v1/records", body: body, as: t.scjg)
            #expect(later.status == .ok)
        }
    }
}
