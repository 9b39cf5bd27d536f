import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubStore
import Hummingbird
import Logging
import NIOCore

/// Authenticates department systems by HMAC signature and refuses replays.
///
/// Order of checks, cheapest first and nothing written before the signature holds: headers present →
/// signature version accepted → timestamp inside the window → key known → an upload slot free for the key
/// → body within the limit → signature → nonce unused (the only write). Everything up to the upload slot is
/// decided from the headers alone: a stranger's body is never read (the connection layer then closes the
/// connection instead of draining it). A claimed department (`X-Hub-Department`) other than the key's is
/// refused with 403.
struct SignatureMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    let departments: DepartmentStore
    let windowSeconds: Int
    let maxBodyBytes: Int
    /// `HUB_SIGNATURE_MIN_VERSION`: older signature versions are refused with `signature_version_too_old`.
    var minVersion: RequestSigner.Version = .v1
    /// The per-key cap on uploads in flight (nil: no cap).
    var uploads: UploadSlots? = nil
    /// The process-wide budget of upload bodies being processed at once (nil: none).
    var bodyBudget: BodyBudget? = nil
    /// Where uploads refused as a whole after the key is known are logged (报送日志; nil: not logged).
    var messageLog: MessageLogStore? = nil
    /// How many refusals per key and minute reach the message log (the rest are counted in
    /// `hub_message_log_refusals_suppressed_total`): a key id is no secret, the log must not grow at a sender's rate.
    var refusalBudget = RefusalLogLimiter()
    var metrics: HubMetrics? = nil

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        func unauthorized(_ code: String, _ zh: String, _ en: String, path: String = "") -> HubHTTPError {
            HubHTTPError(.unauthorized, code: code, zh: zh, en: en, path: path)
        }
        guard let keyId = request.headers[.hubKey], let timestamp = request.headers[.hubTimestamp],
            let nonce = request.headers[.hubNonce], let signature = request.headers[.hubSignature]
        else {
            throw unauthorized(
                "unsigned",
                "请求未签名：须提供 X-Hub-Key、X-Hub-Timestamp、X-Hub-Nonce、X-Hub-Signature",
                "the request is not signed: X-Hub-Key, X-Hub-Timestamp, X-Hub-Nonce and X-Hub-Signature are required"
            )
        }
        let version = try Self.version(request, minimum: minVersion)
        // Bounded before any arithmetic: a hostile value must not overflow (that would trap the process).
        guard timestamp.utf8.count <= 12, let seconds = Int(timestamp), seconds > 0,
            abs(Int(Date().timeIntervalSince1970) - seconds) <= windowSeconds
        else {
            throw unauthorized(
                "timestamp_out_of_window",
                "请求时间戳无效或超出允许范围（±\(windowSeconds) 秒）",
                "the timestamp is invalid or more than \(windowSeconds) s from the server clock",
                path: "X-Hub-Timestamp"
            )
        }
        guard (1...64).contains(nonce.utf8.count), nonce.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw unauthorized(
                "invalid_nonce",
                "X-Hub-Nonce 须为 1–64 个可见 ASCII 字符",
                "X-Hub-Nonce must be 1-64 visible ASCII characters",
                path: "X-Hub-Nonce"
            )
        }
        guard keyId.utf8.count <= 64, let (department, secret) = try await departments.key(keyId) else {
            throw unauthorized("unknown_key", "密钥编号不存在或已吊销", "unknown or revoked key id", path: "X-Hub-Key")
        }
        let isUpload = [HTTPRequest.Method.post, .put, .patch].contains(request.method)
        if isUpload, let uploads {
            guard uploads.acquire(keyId) else {
                var error = HubHTTPError(
                    .tooManyRequests,
                    code: "too_many_uploads",
                    zh: "该密钥同时进行的上传已达上限 \(uploads.limit) 个，请稍后重试",
                    en: "this key already has \(uploads.limit) uploads in flight; retry later",
                    path: "X-Hub-Key"
                )
                error.retryAfterSeconds = 1
                throw error
            }
        }
        defer { if isUpload { uploads?.release(keyId) } }
        var size = Int(request.headers[.contentLength] ?? "") ?? 0
        // A chunked body's size is unknown until read: it is charged the largest body allowed.
        let charge = min(size > 0 ? size : maxBodyBytes, maxBodyBytes)
        if isUpload, let bodyBudget {
            guard await bodyBudget.acquire(charge) else {
                // Read and dropped (no memory kept), so a client that sends its whole body before reading the
                // answer sees the 503 and its Retry-After instead of a reset connection.
                var seen = 0
                do {
                    for try await chunk in request.body {
                        seen += chunk.readableBytes
                        if seen > maxBodyBytes { break }
                    }
                } catch {}
                throw Self.busy(bodyBudget)
            }
        }
        defer { if isUpload { bodyBudget?.release(charge) } }
        var handled = false
        do {
            return try await verified(
                request,
                context: context,
                department: department,
                secret: secret,
                version: version,
                collected: { size = $0 },
                passed: { handled = true },
                next: next
            )
        } catch {
            if isUpload, let messageLog {
                await log(error, request: request, department: department.code, keyId: keyId, size: size, handled: handled, to: messageLog)
            }
            throw error
        }
    }

    /// Logs an upload refused as a whole once its department is known (报送日志): the signature, size and
    /// replay checks' refusals, and the handlers' 4xx for the kinds whose services do not log themselves
    /// (records log in `IngestService`, with their per-record answers). The hub's answer only, never the body.
    func log(
        _ error: any Error,
        request: Request,
        department: String,
        keyId: String,
        size: Int,
        handled: Bool,
        to store: MessageLogStore
    ) async {
        let kind = MessageKind(path: request.uri.path)
        guard !(handled && kind == .records), let answer = HubHTTPError.answer(for: error),
            (400..<500).contains(answer.status.code), answer.status != .tooManyRequests
        else { return }
        switch refusalBudget.admit(key: keyId) {
        case .log: break
        case .suppress(let first):
            metrics?.messageLogRefusalSuppressed(department: department)
            if first {
                store.db.logger.warning(
                    "message log: further refusals of this key are counted, not logged, until the minute ends",
                    metadata: ["key": "\(keyId)", "department": "\(department)"]
                )
            }
            return
        }
        let contentType = request.headers[.contentType]
        let entry = MessageLogEntry(
            origin: MessageOrigin(direction: .push, system: keyId, contentType: contentType, bodyBytes: size),
            kind: kind,
            department: department,
            batchId: nil
        )
        do { try await store.insertRefusal(entry, errors: answer.errors) } catch {
            store.db.logger.warning("message log write failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// The checks after the key is known, and the handler. `collected`: told the body's size once it is read.
    private func verified(
        _ request: Request,
        context: Context,
        department: Department,
        secret: String,
        version: RequestSigner.Version,
        collected: (Int) -> Void,
        passed: () -> Void,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let keyId = request.headers[.hubKey] ?? ""
        let timestamp = request.headers[.hubTimestamp] ?? ""
        let nonce = request.headers[.hubNonce] ?? ""
        let signature = request.headers[.hubSignature] ?? ""
        let contentTypes = request.headers[values: .contentType]
        if version >= .v2, contentTypes.count > 1 {
            throw Self.unauthorized(
                "ambiguous_content_type",
                "请求含多个 Content-Type 头，无法校验签名",
                "the request has more than one Content-Type header",
                path: "Content-Type"
            )
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw HubHTTPError(
                .contentTooLarge,
                code: "body_too_large",
                zh: "请求体超过上限 \(maxBodyBytes) 字节",
                en: "the request body is larger than \(maxBodyBytes) bytes"
            )
        }
        collected(body.readableBytes)
        let expected =
            switch version {
            case .v1:
                RequestSigner.signature(
                    secret: secret,
                    method: request.method.rawValue,
                    pathWithQuery: request.uri.string,
                    timestamp: timestamp,
                    nonce: nonce,
                    body: body.readableBytesView
                )
            case .v2:
                RequestSigner.signatureV2(
                    secret: secret,
                    method: request.method.rawValue,
                    host: request.head.authority ?? "",
                    pathWithQuery: request.uri.string,
                    contentType: contentTypes.first ?? "",
                    timestamp: timestamp,
                    nonce: nonce,
                    body: body.readableBytesView
                )
            }
        guard constantTimeEqual(expected, signature.lowercased()) else {
            throw Self.unauthorized("bad_signature", "签名校验失败", "the signature does not match", path: "X-Hub-Signature")
        }
        if let claimed = request.headers[.hubDepartment], claimed != department.code {
            throw HubHTTPError(
                .forbidden,
                code: "department_mismatch",
                zh: "该密钥不属于部门 \(claimed)，不能代其读写数据",
                en: "this key does not belong to department \(claimed)",
                path: "X-Hub-Department"
            )
        }
        guard try await departments.useNonce(keyId: keyId, nonce: nonce) else {
            throw Self.unauthorized("replayed_nonce", "该请求已被处理过（随机数重复使用）", "the nonce was already used (replay)", path: "X-Hub-Nonce")
        }
        var context = context
        // Handed on in the child context: the controller reads these bytes, it does not collect the body again.
        context.identity = .department(department, body: body)
        context.logger[metadataKey: "department"] = .string(department.code)
        passed()
        return try await next(request, context)
    }
}

extension SignatureMiddleware {
    /// 503 `server_busy`: the body budget stayed used up for the whole wait; nothing was read or written.
    static func busy(_ budget: BodyBudget) -> HubHTTPError {
        var error = HubHTTPError(
            .serviceUnavailable,
            code: "server_busy",
            zh: "平台正在处理的上传数据已达上限（\(budget.capacity) 字节），请稍后重试",
            en: "the hub is already processing \(budget.capacity) bytes of uploads; retry later"
        )
        error.retryAfterSeconds = 2
        return error
    }

    static func unauthorized(_ code: String, _ zh: String, _ en: String, path: String = "") -> HubHTTPError {
        HubHTTPError(.unauthorized, code: code, zh: zh, en: en, path: path)
    }

    /// The signature version the request declares (`X-Hub-Signature-Version`, absent: 1), refused when
    /// unknown or older than `minimum`.
    static func version(_ request: Request, minimum: RequestSigner.Version) throws -> RequestSigner.Version {
        let declared = request.headers[.hubSignatureVersion]?.trimmingCharacters(in: .whitespaces)
        guard let version = declared.map({ Int($0).flatMap(RequestSigner.Version.init(rawValue:)) }) ?? .v1 else {
            throw HubHTTPError(
                .unauthorized,
                code: "unsupported_signature_version",
                zh: "不支持的签名版本：X-Hub-Signature-Version 须为 1 或 2",
                en: "unsupported signature version: X-Hub-Signature-Version must be 1 or 2",
                path: "X-Hub-Signature-Version"
            )
        }
        guard version >= minimum else {
            throw HubHTTPError(
                .unauthorized,
                code: "signature_version_too_old",
                zh: "本平台只接受第 \(minimum.rawValue) 版及以上的签名（须带 X-Hub-Signature-Version: \(minimum.rawValue)，并签名 Host 与 Content-Type）",
                en:
                    "this hub accepts signature version \(minimum.rawValue) or later only (send X-Hub-Signature-Version: \(minimum.rawValue) and sign Host and Content-Type)",
                path: "X-Hub-Signature-Version"
            )
        }
        return version
    }
}

extension HTTPField.Name {
    static let hubSignatureVersion = Self("X-Hub-Signature-Version")!
    static let hubKey = Self("X-Hub-Key")!
    static let hubTimestamp = Self("X-Hub-Timestamp")!
    static let hubNonce = Self("X-Hub-Nonce")!
    static let hubSignature = Self("X-Hub-Signature")!
    static let hubDepartment = Self("X-Hub-Department")!
}
