import HubModel
import HubStore
import Hummingbird
import Ingest
import PostgresNIO
import _ConnectionPoolModule

/// The hub's one mapping from an error to an HTTP answer, by the error's type. `ErrorMiddleware` applies it to
/// every route; the console applies the same mapping and renders the answer as a page.
extension HubHTTPError {
    /// The answer for `error`; nil for an error the hub does not know as a refusal (a bug: 500).
    static func answer(for error: any Error) -> HubHTTPError? {
        switch error {
        case let error as HubHTTPError:
            return error
        case let error as ReviewError:
            return HubHTTPError(error)
        case let error as StoreRefusal:
            return HubHTTPError(error)
        case let error as BatchError:
            return HubHTTPError(error.errors.first?.code == "unsupported_media_type" ? .unsupportedMediaType : .badRequest, error.errors)
        case let cut as LedgerCheckpoints.LedgerCut:
            return HubHTTPError(.conflict, code: "ledger_cut", zh: "台账条目少于检查点所签数量", en: cut.description, path: "to")
        case let error as PSQLError:
            // Class 22 (data exception: a NUL byte, an invalid character, a number out of range) is the client's
            // value, not the database's health: a 400, never a 503 that invites the same request again.
            if let state = error.serverInfo?[.sqlState], state.hasPrefix("22") { return HubHTTPError.invalidValue }
            return HubHTTPError.databaseUnavailable
        case let error as PostgresTransactionError:
            // BEGIN, COMMIT or the rollback failed: the connection broke (a failover, a restart). When COMMIT
            // did not answer, the outcome is unknown — so never `accepted`: a 503 asks for the same request
            // again, and a batch that did commit is then answered `duplicate` record by record.
            if error.beginError == nil, error.commitError == nil, error.rollbackError == nil, let own = error.closureError {
                return answer(for: own)
            }
            return HubHTTPError.databaseUnavailable
        case is Deadline.Exceeded, is ConnectionPoolError:
            // A write that outlived its deadline, and the pool's own refusals (a tripped circuit breaker: the
            // database does not answer), are database trouble too.
            return HubHTTPError.databaseUnavailable
        default:
            return nil
        }
    }

    /// A refused review action: 404, 409, 400 or 403 with the store's field error.
    init(_ error: ReviewError) {
        let status: HTTPResponse.Status =
            switch error.kind {
            case .notFound: .notFound
            case .conflict: .conflict
            case .invalid: .badRequest
            case .forbidden: .forbidden
            }
        self.init(status, [error.error])
    }

    /// A refused random-check action: 404, 409, 400 or 403 with the store's field errors.
    init(_ error: StoreRefusal) {
        let status: HTTPResponse.Status =
            switch error.kind {
            case .notFound: .notFound
            case .conflict: .conflict
            case .invalid: .badRequest
            case .forbidden: .forbidden
            }
        self.init(status, error.errors)
    }

    /// The database is down or restarting: the client did nothing wrong and should retry. A batch is one
    /// transaction, so it was written whole or not at all (a write that outlived its deadline may still
    /// commit); a resend is safe either way — it is answered per record, duplicates as such.
    static var databaseUnavailable: HubHTTPError {
        var e = HubHTTPError(
            .serviceUnavailable,
            code: "database_unavailable",
            zh: "数据库暂不可用，请稍后原样重发（已写入的记录会答复为重复，不会重复入账）",
            en: "the database is unavailable: resend the same request later (records already written are answered as duplicates, never taken twice)"
        )
        e.retryAfterSeconds = 5
        return e
    }

    static let invalidValue = HubHTTPError(
        .badRequest,
        code: "invalid_value",
        zh: "请求中的值无法保存（含非法字符或超出范围）",
        en: "a value in the request cannot be stored (an invalid character or out of range)"
    )
}
