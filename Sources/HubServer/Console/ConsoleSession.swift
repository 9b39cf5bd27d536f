import Crypto
import Foundation
import HubModel
import Hummingbird

/// The console's session and form plumbing: the session cookie, the CSRF token every form carries, and
/// `application/x-www-form-urlencoded` bodies.
///
/// The session is an ops token (the same table as the API's bearer tokens) in an `HttpOnly`,
/// `SameSite=Strict` cookie. The CSRF token is derived from the session (HMAC-SHA256(session, "csrf")), so
/// it needs no storage, changes with every sign-in, and a page from another site cannot know it.
enum ConsoleSession {
    static let cookie = "hub_session"
    /// Before sign-in there is no session: the sign-in form uses a random double-submit cookie instead.
    static let loginCookie = "hub_login_csrf"

    static func cookieValue(_ request: Request, name: String) -> String? {
        guard let header = request.headers[.cookie] else { return nil }
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0] == name { return pair[1] }
        }
        return nil
    }

    static func setCookie(_ name: String, _ value: String, maxAge: Int) -> String {
        "\(name)=\(value); Path=/console; HttpOnly; SameSite=Strict; Max-Age=\(maxAge)"
    }

    static func csrfToken(session: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("csrf".utf8), using: SymmetricKey(data: Array(session.utf8)))
        return Array(mac).hex
    }

    static func randomToken() -> String {
        [UInt8].random(count: 16).hex
    }

    /// Parses `a=1&b=x+y%20z`; a repeated name keeps the first value.
    static func parseForm(_ body: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let key = decode(kv[0])
            if out[key] == nil { out[key] = kv.count > 1 ? decode(kv[1]) : "" }
        }
        return out
    }
}
