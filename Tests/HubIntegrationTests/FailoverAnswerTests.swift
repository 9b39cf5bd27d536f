import HTTPTypes
import HubStore
import Ingest
import Testing

@testable import HubServer
@testable import PostgresNIO

/// A batch whose connection dies under its transaction — the primary killed mid-batch, as in
/// deploy/test/ha.sh — is database trouble: 503 `database_unavailable` with `Retry-After`, never a bare 500.
/// (`PostgresTransactionError` has no public initializer, hence `@testable`.)
@Suite struct FailoverAnswerTests {
    struct Refusal: Error {}

    @Test func aTransactionWhoseConnectionDiesIsA503() {
        let closed = PSQLError.serverClosedConnection(underlying: nil)
        let cases = [
            PostgresTransactionError(file: #file, line: #line, closureError: closed, rollbackError: closed),  // what ha.sh met
            PostgresTransactionError(file: #file, line: #line, beginError: closed),
            PostgresTransactionError(file: #file, line: #line, commitError: closed),  // a COMMIT whose outcome is unknown
        ]
        for error in cases {
            let answer = HubHTTPError.answer(for: error)
            #expect(answer?.status == .serviceUnavailable)
            #expect(answer?.errors.first?.code == "database_unavailable")
            #expect(answer?.retryAfterSeconds == 5)
        }
    }

    @Test func aBodysOwnErrorAfterACleanRollbackIsAnsweredAsItself() {
        let review = PostgresTransactionError(file: #file, line: #line, closureError: ReviewError.notFound(7))
        #expect(HubHTTPError.answer(for: review)?.status == .notFound)
        let unknown = PostgresTransactionError(file: #file, line: #line, closureError: Refusal())
        #expect(HubHTTPError.answer(for: unknown) == nil, "a bug stays a 500")
    }
}
