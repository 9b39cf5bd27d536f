import HubStore
import Hummingbird
import PostgresNIO

/// Turns a database that is down or restarting into `503 database_unavailable` with `Retry-After` and the
/// hub's error shape, instead of Hummingbird's bare 500: the client did nothing wrong and should retry; the
/// request's transaction was rolled back, so a resend is safe (it is answered per record, duplicates as such).
struct DatabaseErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as PSQLError {
            context.logger.error("database error", metadata: ["error": "\(String(reflecting: error))"])
            throw Self.unavailable()
        } catch let error as Deadline.Exceeded {
            context.logger.error("database operation timed out", metadata: ["error": "\(error)"])
            throw Self.unavailable()
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            // The connection pool's own errors (a circuit breaker, a cancelled lease) are database trouble too.
            let type = String(reflecting: Swift.type(of: error))
            context.logger.error("unexpected error", metadata: ["type": "\(type)", "error": "\(String(reflecting: error))"])
            if type.contains("PostgresNIO") || type.contains("ConnectionPool") { throw Self.unavailable() }
            throw error
        }
    }

    static func unavailable() -> HubHTTPError {
        var e = HubHTTPError(.serviceUnavailable, code: "database_unavailable", zh: "数据库暂不可用，本次请求未写入任何数据，请稍后重试",
                             en: "the database is unavailable: nothing of this request was written; retry later")
        e.retryAfterSeconds = 5
        return e
    }
}
