import HubModel
import Hummingbird
import NIOCore

/// Small JSON request bodies read strictly, as `StrictQuery` reads query parameters: a JSON object holding only
/// the members the route names, each of its type — an unknown member (a typo such as `catalogcode`) is
/// refused (`unknown_field`), a member of the wrong type (`"implementationCode": {}`) is refused
/// (`wrong_type`), never ignored.
enum StrictBody {
    /// The largest small body, in bytes.
    static let limit = 64 * 1024

    /// What a member of a small request body must hold.
    enum Member {
        case string, integer, integerArray, stringArray

        func accepts(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.string, .string): true
            case (.integer, _): value.integerValue != nil
            case (.integerArray, .array): true
            case (.stringArray, .array): true
            default: false
            }
        }

        var name: (zh: String, en: String) {
            switch self {
            case .string: ("文本", "a string")
            case .integer: ("整数", "an integer")
            case .integerArray: ("整数数组", "an array of integers")
            case .stringArray: ("文本数组", "an array of strings")
            }
        }
    }

    /// Collects the request's body (at most `limit` bytes) and reads it.
    static func read(_ request: Request, members: [String: Member]) async throws -> JSONValue {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        }
        return try parse(buffer, members: members)
    }

    /// Reads a body already collected (a signed request's, which the signature middleware hands on).
    static func parse(_ buffer: ByteBuffer, members: [String: Member]) throws -> JSONValue {
        guard buffer.readableBytes <= limit else { throw tooLarge }
        let value: JSONValue
        if buffer.readableBytes == 0 {
            value = .object([])
        } else {
            do {
                value = try JSONParser().parse(buffer.readableBytesView)
            } catch {
                throw HubHTTPError(
                    .badRequest,
                    code: "malformed_json",
                    zh: "JSON 格式错误（第 \(error.line) 行第 \(error.column) 列）",
                    en: "malformed JSON at line \(error.line), column \(error.column): \(error.reason)"
                )
            }
        }
        guard case .object(let pairs) = value else {
            throw HubHTTPError(.badRequest, code: "wrong_type", zh: "请求体应为 JSON 对象", en: "the body must be a JSON object")
        }
        let known = members.keys.sorted()
        for (name, member) in pairs {
            guard let expected = members[name] else {
                throw HubHTTPError(
                    .badRequest,
                    code: "unknown_field",
                    zh: "未知字段 \(name)（可用：\(known.joined(separator: "、"))）",
                    en: "unknown member \(name) (known: \(known.joined(separator: ", ")))",
                    path: name.count <= 100 ? name : ""
                )
            }
            guard expected.accepts(member) else {
                throw HubHTTPError(
                    .badRequest,
                    code: "wrong_type",
                    zh: "\(name) 应为\(expected.name.zh)",
                    en: "\(name) must be \(expected.name.en)",
                    path: name
                )
            }
        }
        return value
    }

    static let tooLarge = HubHTTPError(
        .contentTooLarge,
        code: "body_too_large",
        zh: "请求体超过上限 65536 字节",
        en: "the request body is larger than 65536 bytes"
    )
}
