import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird
import Logging
import NIOCore

/// Authenticates department systems by HMAC signature and refuses replays.
///
/// Order of checks, cheapest first and nothing written before the signature holds: headers present →
/// timestamp inside the window → key known → body within the limit → signature → nonce unused (the only
/// write). A claimed department (`X-Hub-Department`) other than the key's is refused with 403.
struct SignatureMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    let departments: DepartmentStore
    let windowSeconds: Int
    let maxBodyBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        func unauthorized(_ code: String, _ zh: String, _ en: String, path: String = "") -> HubHTTPError {
            HubHTTPError(.unauthorized, code: code, zh: zh, en: en, path: path)
        }
        guard let keyId = request.headers[.hubKey], let timestamp = request.headers[.hubTimestamp],
              let nonce = request.headers[.hubNonce], let signature = request.headers[.hubSignature]
        else {
            throw unauthorized("unsigned", "请求未签名：须提供 X-Hub-Key、X-Hub-Timestamp、X-Hub-Nonce、X-Hub-Signature",
                               "the request is not signed: X-Hub-Key, X-Hub-Timestamp, X-Hub-Nonce and X-Hub-Signature are required")
        }
        // Bounded before any arithmetic: a hostile value must not overflow (that would trap the process).
        guard timestamp.utf8.count <= 12, let seconds = Int(timestamp), seconds > 0,
              abs(Int(Date().timeIntervalSince1970) - seconds) <= windowSeconds else {
            throw unauthorized("timestamp_out_of_window", "请求时间戳无效或超出允许范围（±\(windowSeconds) 秒）",
                               "the timestamp is invalid or more than \(windowSeconds) s from the server clock", path: "X-Hub-Timestamp")
        }
        guard (1...64).contains(nonce.utf8.count), nonce.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw unauthorized("invalid_nonce", "X-Hub-Nonce 须为 1–64 个可见 ASCII 字符", "X-Hub-Nonce must be 1-64 visible ASCII characters", path: "X-Hub-Nonce")
        }
        guard keyId.utf8.count <= 64, let (department, secret) = try await departments.key(keyId) else {
            throw unauthorized("unknown_key", "密钥编号不存在或已吊销", "unknown or revoked key id", path: "X-Hub-Key")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw HubHTTPError(.contentTooLarge, code: "body_too_large", zh: "请求体超过上限 \(maxBodyBytes) 字节",
                               en: "the request body is larger than \(maxBodyBytes) bytes")
        }
        let expected = RequestSigner.signature(secret: secret, method: request.method.rawValue, pathWithQuery: request.uri.string,
                                               timestamp: timestamp, nonce: nonce, body: body.readableBytesView)
        guard constantTimeEqual(expected, signature.lowercased()) else {
            throw unauthorized("bad_signature", "签名校验失败", "the signature does not match", path: "X-Hub-Signature")
        }
        if let claimed = request.headers[.hubDepartment], claimed != department.code {
            throw HubHTTPError(.forbidden, code: "department_mismatch", zh: "该密钥不属于部门 \(claimed)，不能代其读写数据",
                               en: "this key does not belong to department \(claimed)", path: "X-Hub-Department")
        }
        guard try await departments.useNonce(keyId: keyId, nonce: nonce) else {
            throw unauthorized("replayed_nonce", "该请求已被处理过（随机数重复使用）", "the nonce was already used (replay)", path: "X-Hub-Nonce")
        }
        var context = context
        context.department = department
        // The body is already collected within the configured limit; later reads must not apply another.
        context.maxUploadSize = maxBodyBytes
        context.logger[metadataKey: "department"] = .string(department.code)
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let hubKey = Self("X-Hub-Key")!
    static let hubTimestamp = Self("X-Hub-Timestamp")!
    static let hubNonce = Self("X-Hub-Nonce")!
    static let hubSignature = Self("X-Hub-Signature")!
    static let hubDepartment = Self("X-Hub-Department")!
}
