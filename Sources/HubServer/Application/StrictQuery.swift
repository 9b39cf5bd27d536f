import Hummingbird

/// Query parameters read strictly: a value that is present but not what the spec says is a 400 with the
/// parameter's name as the path — never a silent fall back to the default (`after=abc` must not mean 0).
struct StrictQuery {
    let parameters: Parameters

    init(_ request: Request) { self.parameters = request.uri.queryParameters }

    /// A decimal integer within `range`; `fallback` only when the parameter is absent.
    func integer(_ name: String, in range: ClosedRange<Int64>, default fallback: Int64) throws -> Int64 {
        guard let text = parameters.get(name) else { return fallback }
        guard !text.isEmpty, text.utf8.count <= 19, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let value = Int64(text), range.contains(value)
        else {
            throw HubHTTPError(
                .badRequest,
                code: "invalid_query_parameter",
                zh: "查询参数 \(name) 应为 \(range.lowerBound)–\(range.upperBound) 之间的整数",
                en: "query parameter \(name) must be an integer from \(range.lowerBound) to \(range.upperBound)",
                path: name
            )
        }
        return value
    }

    /// Refuses a present value longer than `maxLength` characters (the spec's `maxLength`): a filter that could
    /// never match is a mistake to report, not an empty answer.
    func text(_ name: String, maxLength: Int) throws {
        guard let text = parameters.get(name), text.count > maxLength else { return }
        throw HubHTTPError(
            .badRequest,
            code: "invalid_query_parameter",
            zh: "查询参数 \(name) 最长 \(maxLength) 个字符",
            en: "query parameter \(name) must be at most \(maxLength) characters",
            path: name
        )
    }
}
