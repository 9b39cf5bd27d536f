import HubStore
import Hummingbird
import NIOHTTP1
import PostgresNIO

/// Turns a database that is down or restarting into `503 database_unavailable` with `Retry-After` and the
/// hub's error shape, instead of Hummingbird's bare 500: the client did nothing wrong and should retry. A batch
/// is one transaction, so it was written whole or not at all (a write that outlived its deadline may still
/// commit); a resend is safe either way — it is answered per record, duplicates as such.
struct DatabaseErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as PSQLError {
            // Class 22 (data exception: a NUL byte, an invalid character, a number out of range) is the client's
            // value, not the database's health: a 400, never a 503 that invites the same request again.
            if let state = error.serverInfo?[.sqlState], state.hasPrefix("22") {
                context.logger.notice("a value the database refused", metadata: ["sqlState": "\(state)"])
                throw HubHTTPError(.badRequest, code: "invalid_value", zh: "请求中的值无法保存（含非法字符或超出范围）",
                                   en: "a value in the request cannot be stored (an invalid character or out of range)")
            }
            context.logger.error("database error", metadata: ["error": LogRedaction.error(error)])
            throw Self.unavailable()
        } catch let error as Deadline.Exceeded {
            context.logger.error("database operation timed out", metadata: ["error": "\(error)"])
            throw Self.unavailable()
        } catch let error as any HTTPResponseError {
            throw error
        } catch let error as HTTPParserError {
            // The client went away mid-body (or its connection deadline closed it): its problem, not an error of
            // the hub — logged quietly, so a flood of cut-off slow clients does not flood the error log.
            context.logger.debug("the request body ended early", metadata: ["error": "\(error)"])
            throw error
        } catch {
            // The connection pool's own errors (a circuit breaker, a cancelled lease) are database trouble too.
            let type = String(reflecting: Swift.type(of: error))
            context.logger.error("unexpected error", metadata: ["type": "\(type)", "error": LogRedaction.error(error)])
            if type.contains("PostgresNIO") || type.contains("ConnectionPool") { throw Self.unavailable() }
            throw error
        }
    }

    static func unavailable() -> HubHTTPError {
        var e = HubHTTPError(.serviceUnavailable, code: "database_unavailable", zh: "数据库暂不可用，请稍后原样重发（已写入的记录会答复为重复，不会重复入账）",
                             en: "the database is unavailable: resend the same request later (records already written are answered as duplicates, never taken twice)")
        e.retryAfterSeconds = 5
        return e
    }
}
