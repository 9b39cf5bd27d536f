import HTTPTypes
import HubModel
import Hummingbird
import NIOCore

/// A whole-request refusal: an HTTP status and the same field-error list a record result carries.
///
/// The body is `{"errors":[{"path","code","messageZh","messageEn"}]}` for every 4xx the hub gives, so a
/// department system needs one error parser.
public struct HubHTTPError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var errors: [FieldError]
    /// Sent as `Retry-After` (503 while the database is unavailable).
    public var retryAfterSeconds: Int?
    /// Sent as `Allow` (405: the methods the path answers).
    public var allow: String?

    public init(_ status: HTTPResponse.Status, _ errors: [FieldError]) {
        self.status = status
        self.errors = errors
    }

    public init(_ status: HTTPResponse.Status, code: String, zh: String, en: String, path: String = "") {
        self.init(status, [FieldError(path: path, code: code, zh: zh, en: en)])
    }

    /// A department route reached without a department's signature.
    static let unsigned = HubHTTPError(.unauthorized, code: "unsigned", zh: "请求未签名", en: "not signed")

    /// An ops route reached without a valid bearer token.
    static let opsLoginRequired = HubHTTPError(
        .unauthorized,
        code: "ops_login_required",
        zh: "请先登录（Authorization: Bearer 令牌）",
        en: "sign in first (Authorization: Bearer token)"
    )

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = Answer.make(.object([("errors", .array(errors.map(\.json)))]), status: status, for: request)
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "HubHMAC" }
        if let retryAfterSeconds { response.headers[.retryAfter] = String(retryAfterSeconds) }
        if let allow { response.headers[.allow] = allow }
        return response
    }
}

extension FieldError {
    var json: JSONValue {
        .object([("path", .string(path)), ("code", .string(code)), ("messageZh", .string(messageZh)), ("messageEn", .string(messageEn))])
    }
}
