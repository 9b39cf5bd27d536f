import HubModel
import HubStore
import Hummingbird

/// The ledger's public face, readable without a department signature so that departments, auditors and the
/// province can keep signed tree heads and check them later:
///
/// - `GET /api/v1/ledger/checkpoints?limit=N&before=SIZE` — signed tree heads, newest first, and the hub's key.
/// - `GET /api/v1/ledger/consistency?from=M&to=N` — the RFC 9162 consistency proof from tree size `M` (any
///   size, typically that of a head kept earlier) to the checkpoint of tree size `N` (default: the newest).
///
/// Both expose only hashes and signatures, never entry content.
struct LedgerController {
    let checkpoints: LedgerCheckpoints

    func addRoutes(to router: Router<HubRequestContext>) {
        router.get("api/v1/ledger/checkpoints") { request, _ in try await checkpoints(request) }
        router.get("api/v1/ledger/consistency") { request, _ in try await consistency(request) }
    }

    /// A non-negative integer parameter, read as strictly as every query parameter of the hub (`StrictQuery`).
    static func number(_ request: Request, _ name: String) throws -> Int64? {
        guard request.uri.queryParameters.get(name) != nil else { return nil }
        return try StrictQuery(request).integer(name, in: 0...Int64.max, default: 0)
    }

    func checkpoints(_ request: Request) async throws -> Response {
        let limit = Int(try StrictQuery(request).integer("limit", in: 1...100, default: 20))
        let before = try Self.number(request, "before")
        let page = try await checkpoints.all(limit: limit, before: before)
        let next: JSONValue = page.count == limit ? page.last.map { .number(String($0.treeSize)) } ?? .null : .null
        return Answer.make(
            .object([
                ("publicKey", .string(checkpoints.publicKey.hex)),
                ("checkpoints", .array(page.map(\.head.json))),
                ("next", next),
            ]),
            for: request
        )
    }

    func consistency(_ request: Request) async throws -> Response {
        guard let from = try Self.number(request, "from") else {
            throw HubHTTPError(.badRequest, code: "required", zh: "需要参数 from（旧树大小）", en: "from (the old tree size) is required", path: "from")
        }
        let to = try Self.number(request, "to")
        // A ledger cut below a signed checkpoint throws `LedgerCut`: 409 `ledger_cut` (`HubHTTPError.answer(for:)`).
        guard let proof = try await checkpoints.consistency(from: from, to: to) else {
            if let to, try await checkpoints.checkpoint(size: to) == nil {
                throw HubHTTPError(
                    .notFound,
                    code: "checkpoint_not_found",
                    zh: "没有该树大小的已签名检查点",
                    en: "no signed checkpoint of tree size \(to)",
                    path: "to"
                )
            }
            if to == nil, try await checkpoints.latest() == nil {
                throw HubHTTPError(.notFound, code: "checkpoint_not_found", zh: "尚无已签名检查点", en: "no signed checkpoint yet", path: "to")
            }
            throw HubHTTPError(
                .badRequest,
                code: "from_after_to",
                zh: "from 不能大于 to 的树大小",
                en: "from must not exceed the tree size of to",
                path: "from"
            )
        }
        return Answer.make(
            .object([
                ("from", .number(String(proof.from))),
                ("to", proof.to.head.json),
                ("proof", .array(proof.proof.map { .string($0.hex) })),
            ]),
            for: request
        )
    }
}
