import ArgumentParser
import AsyncHTTPClient
import BenchSupport
import Foundation
import NIOCore

/// The ops console as an operator's browser reaches it: signed in through the login form (its CSRF cookie, then
/// the session cookie), then plain GETs timed to the last byte on loopback — the same steps as
/// `scripts/console_bench.py`, so the figures compare.
struct ConsoleClient {
    let client: HTTPClient
    let base: String
    let session: String

    /// Signs `username` in on the hub at `port`.
    static func signIn(port: Int, username: String, password: String) async throws -> ConsoleClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let base = "http://127.0.0.1:\(port)"
        func cookie(_ response: HTTPClientResponse, _ name: String) -> String? {
            response.headers["Set-Cookie"].lazy.map { String($0.split(separator: ";")[0]) }.first { $0.hasPrefix(name + "=") }
        }
        let form = try await client.execute(HTTPClientRequest(url: base + "/console/login"), timeout: .seconds(30))
        guard let csrf = cookie(form, "hub_login_csrf") else { throw ValidationError("the login form set no CSRF cookie") }
        var login = HTTPClientRequest(url: base + "/console/login")
        login.method = .POST
        login.headers.add(name: "Cookie", value: csrf)
        login.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let token = String(csrf.dropFirst("hub_login_csrf=".count))
        func encoded(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }
        login.body = .bytes(ByteBuffer(string: "_csrf=\(encoded(token))&username=\(encoded(username))&password=\(encoded(password))"))
        let answer = try await client.execute(login, timeout: .seconds(30))
        guard let session = cookie(answer, "hub_session") else { throw ValidationError("sign-in failed: HTTP \(answer.status.code)") }
        return ConsoleClient(client: client, base: base, session: session)
    }

    /// One GET; returns milliseconds to the last byte (throws unless 200).
    func time(_ path: String) async throws -> Double {
        var request = HTTPClientRequest(url: base + path)
        request.headers.add(name: "Cookie", value: session)
        let t0 = ContinuousClock.now
        let response = try await client.execute(request, timeout: .seconds(120))
        let body = try await response.body.collect(upTo: 64 * 1024 * 1024)
        let ms = seconds(ContinuousClock.now - t0) * 1000
        guard response.status == .ok else { throw ValidationError("\(path): HTTP \(response.status.code) \(String(buffer: body).prefix(200))") }
        return ms
    }

    /// The median of `repeat` GETs after one warm-up.
    func median(_ path: String, repeat n: Int) async throws -> Double {
        _ = try await time(path)
        var times: [Double] = []
        for _ in 0..<max(1, n) { times.append(try await time(path)) }
        times.sort()
        return times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
    }

    func shutdown() async throws { try await client.shutdown() }
}
