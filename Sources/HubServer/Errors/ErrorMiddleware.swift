import HubStore
import Hummingbird
import Logging
import NIOHTTP1
import PostgresNIO

/// Turns every error a route throws into the hub's error shape through the one mapping
/// (`HubHTTPError.answer(for:)`): a database that is down or restarting becomes `503 database_unavailable` with
/// `Retry-After` instead of Hummingbird's bare 500, a refused review action its 4xx, and so on. What the
/// mapping does not know is logged and left to Hummingbird (500).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPParserError {
            // The client went away mid-body (or its connection deadline closed it): its problem, not an error of
            // the hub — logged quietly, so a flood of cut-off slow clients does not flood the error log.
            context.logger.debug("the request body ended early", metadata: ["error": "\(error)"])
            throw error
        } catch let error as any HTTPResponseError where !(error is HubHTTPError) {
            throw error
        } catch {
            guard let answer = HubHTTPError.answer(for: error) else {
                context.logger.error("unexpected error", metadata: ["error": LogRedaction.error(error)])
                throw error
            }
            Self.log(error, answer: answer, logger: context.logger)
            throw answer
        }
    }

    /// Database trouble is an error of the hub's; a refused value a notice; a client's refusal is not logged.
    static func log(_ error: any Error, answer: HubHTTPError, logger: Logger) {
        switch error {
        case let error as PSQLError where answer.status == .badRequest:
            logger.notice("a value the database refused", metadata: ["sqlState": "\(error.serverInfo?[.sqlState] ?? "")"])
        case is Deadline.Exceeded:
            logger.error("database operation timed out", metadata: ["error": "\(error)"])
        case _ where answer.status == .serviceUnavailable && !(error is HubHTTPError):
            logger.error("database error", metadata: ["error": LogRedaction.error(error)])
        default:
            break
        }
    }
}
