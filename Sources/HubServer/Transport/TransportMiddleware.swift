import HTTPTypes
import Hummingbird

/// First on every route: records where the request came from (`context.origin`, the one answer to
/// "client address of this request" the sign-in throttle and the logs use), and marks every cookie the
/// answer sets `Secure` when the request travelled encrypted — so no page can forget it.
struct TransportMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    let tls: Bool
    let trusted: TrustedProxies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.origin = RequestOrigin.resolve(
            peer: context.peerAddress,
            tls: tls,
            forwardedFor: request.headers[values: .xForwardedFor],
            forwardedProto: request.headers[values: .xForwardedProto],
            trusted: trusted
        )
        var response = try await next(request, context)
        if context.origin.isSecure { Self.secureCookies(&response.headers) }
        return response
    }

    /// Appends `; Secure` to every `Set-Cookie` that lacks it.
    static func secureCookies(_ headers: inout HTTPFields) {
        let cookies = headers[values: .setCookie]
        guard !cookies.isEmpty else { return }
        headers[values: .setCookie] = cookies.map { cookie in
            cookie.lowercased().split(separator: ";").contains { $0.trimmingCharacters(in: .whitespaces) == "secure" } ? cookie : cookie + "; Secure"
        }
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
}
