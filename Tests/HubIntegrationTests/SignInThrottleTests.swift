import AsyncHTTPClient
import Foundation
import HTTPTypes
import HubModel
import HubServer
import HubStore
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The ops sign-in throttle over real HTTP: counted in PostgreSQL before the slow password check, so
/// concurrent guesses cannot slip past it and every instance sees the same counts.
@Suite("Sign-in throttle")
struct SignInThrottleTests {
    static let password = "correct horse battery"

    /// A hub instance with its own pool over the test database, with settings changed for the test.
    static func serve<T: Sendable>(
        _ t: TestHub,
        _ change: @Sendable (inout HubConfiguration) -> Void = { _ in },
        _ body: @Sendable (any TestClientProtocol, HubContext) async throws -> T
    ) async throws -> T {
        var configuration = t.hub.configuration
        change(&configuration)
        let hub = try HubContext(configuration: configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
        return try await buildApplication(hub, host: "127.0.0.1", port: 0).test(.live) { client in try await body(client, hub) }
    }

    static func login(_ client: any TestClientProtocol, _ username: String, _ password: String) async throws -> TestResponse {
        let body = CanonicalJSON.string(.object([("username", .string(username)), ("password", .string(password))]))
        return try await client.execute(
            uri: "/api/v1/ops/login",
            method: .post,
            headers: [.contentType: "application/json"],
            body: ByteBuffer(string: body)
        )
    }

    @Test(
        "200 parallel wrong passwords for one user over real HTTP: at most 5 answered 401, the rest 429 with Retry-After; failures and the lockout are ledger entries"
    )
    func concurrentGuesses() async throws {
        let t = try await TestHub.make()
        _ = try await t.withDatabase { db in
            try await OpsUserStore(db: db).add(username: "alice", displayName: "alice", password: Self.password, roles: [.reviewer])
        }
        let perAddress1000: @Sendable (inout HubConfiguration) -> Void = { $0.loginMaxFailuresPerAddress = 1000 }
        try await Self.serve(t, perAddress1000) { client, hub in
            let port = try #require(client.port)
            let http = HTTPClient(
                eventLoopGroupProvider: .singleton,
                configuration: .init(
                    connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 100)
                )
            )
            let answers = try await withThrowingTaskGroup(of: (Int, String?, String?).self) { group in
                for i in 0..<200 {
                    group.addTask {
                        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/ops/login")
                        request.method = .POST
                        request.headers.add(name: "Content-Type", value: "application/json")
                        request.body = .bytes(ByteBuffer(string: "{\"username\":\"alice\",\"password\":\"wrong \(i)\"}"))
                        // A pooled connection can be closed under the client as it is reused (seen on a loaded
                        // machine as "I/O on closed channel"): that is the transport, not an answer, so the
                        // request goes again. A retried guess is one more failure counted, which only tightens
                        // the bound checked below.
                        var attempt = 0
                        while true {
                            attempt += 1
                            do {
                                let response = try await http.execute(request, timeout: .seconds(120))
                                let body = try await response.body.collect(upTo: 64 * 1024)
                                let code = (try? JSONParser().parse(body.readableBytesView))?["errors"]?[0]["code"]?.string
                                return (Int(response.status.code), code, response.headers.first(name: "Retry-After"))
                            } catch  where attempt < 4 && !(error is CancellationError) {
                                try await Task.sleep(for: .milliseconds(50 * attempt))
                            }
                        }
                    }
                }
                var all: [(Int, String?, String?)] = []
                for try await a in group { all.append(a) }
                return all
            }
            try await http.shutdown()
            let unauthorized = answers.filter { $0.0 == 401 }
            let throttled = answers.filter { $0.0 == 429 }
            #expect(unauthorized.count <= 5, "\(unauthorized.count) guesses were checked")
            #expect(unauthorized.count + throttled.count == 200)
            #expect(throttled.allSatisfy { $0.1 == "too_many_attempts" && Int($0.2 ?? "") ?? 0 > 0 })
            // Even the right password waits now.
            let right = try await Self.login(client, "alice", Self.password)
            #expect(right.status == .tooManyRequests)
            #expect(
                try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'ops_action' AND subject = 'sign_in_failed'")
                    == unauthorized.count
            )
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'ops_action' AND subject = 'sign_in_locked'") == 1)
            #expect(try await LedgerStore.verify(hub.db).ok)
        }
    }

    @Test("failures are shared by every instance; a per-address limit stops guessing across usernames; a success starts the username over")
    func sharedAndPerAddress() async throws {
        let t = try await TestHub.make()
        _ = try await t.withDatabase { db in
            for name in ["alice", "bob"] {
                try await OpsUserStore(db: db).add(username: name, displayName: name, password: Self.password, roles: [.reviewer])
            }
        }
        try await Self.serve(t) { first, _ in
            try await Self.serve(t) { second, hub in
                // Three failures on one instance, two on the other: the username is used up on both.
                for _ in 0..<3 { #expect(try await Self.login(first, "alice", "wrong").status == .unauthorized) }
                for _ in 0..<2 { #expect(try await Self.login(second, "alice", "wrong").status == .unauthorized) }
                let locked = try await Self.login(first, "alice", Self.password)
                #expect(locked.status == .tooManyRequests)
                #expect(locked.headers[.retryAfter] != nil)
                // A success gives the username its attempts back.
                #expect(try await Self.login(second, "bob", "wrong").status == .unauthorized)
                #expect(try await Self.login(second, "bob", Self.password).status == .ok)
                #expect(try await count(hub.db, "SELECT count(*)::int FROM sign_in_attempts WHERE scope = 'user' AND key = 'bob'") == 0)
                #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE subject = 'sign_in_locked'") == 1)
                #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'ops_action' AND subject = 'api_sign_in'") == 1)
            }
        }
        // One address trying many names: after 8 attempts every name is refused from there.
        let perAddress8: @Sendable (inout HubConfiguration) -> Void = { $0.loginMaxFailuresPerAddress = 8 }
        try await Self.serve(t, perAddress8) { client, hub in
            try await hub.db.client.query("DELETE FROM sign_in_attempts", logger: hub.logger)
            var statuses: [HTTPResponse.Status] = []
            for i in 0..<12 { statuses.append(try await Self.login(client, "guess\(i)", "wrong").status) }
            #expect(statuses.prefix(8).allSatisfy { $0 == .unauthorized })
            #expect(statuses.dropFirst(8).allSatisfy { $0 == .tooManyRequests })
            #expect(try await Self.login(client, "bob", Self.password).status == .tooManyRequests)
        }
    }

    @Test("a username over 64 bytes is refused with 400 before anything is counted or checked")
    func longUsername() async throws {
        let t = try await TestHub.make()
        try await Self.serve(t) { client, hub in
            let r = try await Self.login(client, String(repeating: "a", count: 65), "whatever")
            #expect(r.status == .badRequest)
            #expect(r.json["errors"]?[0]["code"]?.string == "username_too_long")
            #expect(r.json["errors"]?[0]["path"]?.string == "username")
            #expect(r.json["errors"]?[0]["messageZh"]?.string?.isEmpty == false)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM sign_in_attempts") == 0)
            // The console refuses it the same way.
            let form = try await client.execute(uri: "/console/login", method: .get)
            let cookie = try #require(form.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let csrf = String(cookie.split(separator: "=")[1])
            let page = try await client.execute(
                uri: "/console/login",
                method: .post,
                headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "_csrf=\(csrf)&username=\(String(repeating: "b", count: 100))&password=x")
            )
            #expect(page.status == .badRequest)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM sign_in_attempts") == 0)
        }
    }
}
