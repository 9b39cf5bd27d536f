import HTTPTypes
import HubStore
import Hummingbird

/// Answers a console path the router has no page for (`/console/…`, signed in or not) with the console's own
/// 404 page in Chinese — with the header of the signed-in user when the session cookie is valid — instead of an
/// empty answer the browser shows as its English "not found". API paths are untouched: `NoRouteMiddleware`
/// answers them in the JSON error shape.
struct ConsoleNotFoundMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let users: OpsUserStore
    let renderer: ConsoleRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && Self.isConsole(request.uri.path) {
            var session: ConsoleSession?
            if let token = request.cookies[ConsoleSession.cookie]?.value, let user = try? await users.user(token: token) {
                session = ConsoleSession(user: user, token: token)
            }
            return renderer.notFound(session: session)
        }
    }

    static func isConsole(_ path: String) -> Bool { path == "/console" || path.hasPrefix("/console/") }
}
