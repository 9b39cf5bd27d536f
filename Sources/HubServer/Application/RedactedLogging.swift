import HubModel
import Hummingbird
import Logging
import PostgresNIO

/// Logs each request's method and path — never its query string, which can carry a party's ID number
/// (`/console/records?uscc=…`, `/api/v1/ops/records?party=…`) or a filter naming a person. Replaces
/// Hummingbird's `LogRequestsMiddleware`, which logs the whole URI.
struct RedactedLogRequestsMiddleware<Context: RequestContext>: RouterMiddleware {
    let level: Logger.Level

    init(_ level: Logger.Level) { self.level = level }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        context.logger.log(
            level: level,
            "Request",
            metadata: [
                "hb.request.method": .string(request.method.rawValue),
                "hb.request.path": .string(LogRedaction.path(request.uri.path, query: request.uri.query)),
            ]
        )
        return try await next(request, context)
    }
}

/// What may go into a log line about a request or an error: no query strings, no ID or mobile numbers.
enum LogRedaction {
    /// The path with personal numbers masked, and `?[redacted]` in place of any query string.
    static func path(_ path: String, query: String?) -> String {
        PersonalData.maskText(path) + ((query ?? "").isEmpty ? "" : "?[redacted]")
    }

    /// A text for a log line, with mobile and resident ID numbers masked.
    static func text(_ text: String) -> Logger.MetadataValue { .string(PersonalData.maskText(text)) }

    /// An error's text for a log line, with mobile and resident ID numbers masked. A database error is
    /// reduced to its code and the server's message: its query and bind values (a looked-up ID number)
    /// and the server's detail (`Key (…)=(…)`) are left out.
    static func error(_ error: any Error) -> Logger.MetadataValue {
        if let e = error as? PSQLError {
            let message = e.serverInfo?[.message].map { " \($0)" } ?? ""
            let state = e.serverInfo?[.sqlState].map { " sqlstate=\($0)" } ?? ""
            return .string(PersonalData.maskText("PSQLError \(e.code)\(state)\(message)"))
        }
        return .string(PersonalData.maskText(String(reflecting: error)))
    }
}
