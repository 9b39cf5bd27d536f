import Logging
import PostgresNIO

extension PostgresClient {
    /// `withTransaction`, except that an error the body threw (after a clean rollback) comes out as itself, not
    /// wrapped in `PostgresTransactionError`: callers switch on their own refusals (`ReviewError` → 409, a retry
    /// signal), which the wrapper would hide and turn into a 503.
    public func transaction<T>(
        logger: Logger,
        file: String = #file,
        line: Int = #line,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending T
    ) async throws -> sending T {
        do {
            return try await withTransaction(logger: logger, file: file, line: line, isolation: isolation, body)
        } catch let error as PostgresTransactionError {
            if let own = error.closureError, error.rollbackError == nil { throw own }
            throw error
        }
    }
}
