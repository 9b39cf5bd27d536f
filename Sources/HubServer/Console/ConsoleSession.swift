import Crypto
import Foundation
import HubModel
import HubStore
import Hummingbird

/// A signed-in console session: the ops user and the session token, with the CSRF token every form carries.
///
/// The session is an ops token (the same table as the API's bearer tokens) in an `HttpOnly`,
/// `SameSite=Strict` cookie. The CSRF token is derived from the session (HMAC-SHA256(session, "csrf")), so
/// it needs no storage, changes with every sign-in, and a page from another site cannot know it.
struct ConsoleSession: Sendable {
    let user: OpsUser
    let token: String
    var csrfToken: String { Self.csrfToken(session: token) }

    static let cookie = "hub_session"
    /// Before sign-in there is no session: the sign-in form uses a random double-submit cookie instead.
    static let loginCookie = "hub_login_csrf"

    /// A console cookie (Hummingbird's `Cookie`); `TransportMiddleware` adds `Secure` when the request was encrypted.
    static func cookie(_ name: String, _ value: String, maxAge: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/console", httpOnly: true, sameSite: .strict)
    }

    static func csrfToken(session: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("csrf".utf8), using: SymmetricKey(data: Array(session.utf8)))
        return Array(mac).hex
    }

    static func randomToken() -> String {
        [UInt8].random(count: 16).hex
    }
}

/// An `application/x-www-form-urlencoded` console form, read with Hummingbird's `URLEncodedFormDecoder` into
/// the typed form each page declares.
struct ConsoleForm: Sendable {
    let text: String

    static let empty = ConsoleForm(text: "")

    func decode<Form: Decodable>(_ type: Form.Type) throws -> Form {
        do {
            return try URLEncodedFormDecoder().decode(Form.self, from: text)
        } catch {
            throw HubHTTPError(.badRequest, code: "malformed_form", zh: "表单格式错误", en: "the form cannot be read")
        }
    }

    /// What every console POST carries: the CSRF token.
    struct Guard: Decodable {
        var _csrf: String?
    }
}
