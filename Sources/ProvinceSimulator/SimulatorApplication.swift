import Exchange
import Foundation
import HTTPTypes
import HubModel
import HubXML
import Hummingbird
import Logging
import NIOCore

/// The provincial platform stand-in as an HTTP application (DESIGN.md "Provincial exchange"):
///
/// - `POST /province/v1/exchange/batches` — a batch in the `cd_*` envelope (JSON or XML); answers a signed
///   receipt with one outcome per row; idempotent by `cd_id`.
/// - `GET /province/v1/{catalog/changes|tasks|clues|credit-grades}?after=N&limit=M` — the feeds: `{"entries":[…],"next":N}`.
/// - `POST /province/v1/tasks/{taskId}/feedback` — a department's feedback on a joint task.
/// - `GET /dept/{code}/records?cursor=N&limit=M` — plays a department system the hub pulls from (and
///   `/dept/{code}/observations`, one that sends observations for the risk models).
/// - `/sim/…` — the test's handles: stats (with the witness's `headsWitnessed`/`inconsistentHeads`), faults, catalog changes, tasks, clues,
///   credit grades, department records; the 双随机 rows kept (`/sim/supervision`) and every draw's recomputation (`/sim/draws`);
///   the publications the portals received (`/sim/portal`); the clue feedback received (`/sim/clue-feedback`); the claim rows received (`/sim/catalog-claims`);
///   the locally set items received (`/sim/local-items`) and their coding (`POST /sim/catalog/code-local`).
public struct SimulatorSettings: Sendable {
    public var host = "127.0.0.1"
    public var port = 8091
    /// Bearer token every provincial request must carry.
    public var token = "sim-token"
    /// Secret the receipts are signed with (the hub's `HUB_PROVINCE_RECEIPT_SECRET`).
    public var receiptSecret = "sim-receipt-secret"
    /// Bearer token of the pulled department systems.
    public var departmentToken = "dept-token"
    public var seed: UInt64?
    /// The hub's base URL, where the witness fetches consistency proofs and the hub's key (nil: heads are
    /// counted as unchecked).
    public var hubURL: String?

    public init() {}

    /// From `SIM_HOST`, `SIM_PORT`, `SIM_TOKEN`, `SIM_RECEIPT_SECRET`, `SIM_DEPT_TOKEN`, `SIM_SEED`, `SIM_HUB_URL`.
    public init(environment: [String: String]) {
        if let v = environment["SIM_HUB_URL"], !v.isEmpty { hubURL = v }
        if let v = environment["SIM_HOST"], !v.isEmpty { host = v }
        if let v = environment["SIM_PORT"].flatMap(Int.init) { port = v }
        if let v = environment["SIM_TOKEN"], !v.isEmpty { token = v }
        if let v = environment["SIM_RECEIPT_SECRET"], !v.isEmpty { receiptSecret = v }
        if let v = environment["SIM_DEPT_TOKEN"], !v.isEmpty { departmentToken = v }
        seed = environment["SIM_SEED"].flatMap(UInt64.init)
    }
}

/// A small seeded generator, so a fault run can be repeated (SplitMix64).
struct SeededGenerator: RandomNumberGenerator, Sendable {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Draws randomness for the request handlers (one generator, behind a lock).
final class Dice: @unchecked Sendable {
    let lock = NSLock()
    var generator: SeededGenerator
    init(seed: UInt64?) { generator = SeededGenerator(state: seed ?? UInt64.random(in: 0...UInt64.max)) }
    func with<T>(_ body: (inout SeededGenerator) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&generator)
    }
}

public func buildSimulator(
    _ platform: ProvincialPlatform,
    settings: SimulatorSettings,
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router(context: BasicRequestContext.self)
    let dice = Dice(seed: settings.seed)
    SimulatorRoutes(platform: platform, settings: settings, dice: dice).add(to: router)
    return Application(
        router: router,
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "province-simulator"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? settings.port) },
        logger: logger
    )
}

struct SimulatorRoutes: Sendable {
    let platform: ProvincialPlatform
    let settings: SimulatorSettings
    let dice: Dice

    func add(to router: Router<BasicRequestContext>) {
        router.post("province/v1/exchange/batches", use: upload)
        router.get("province/v1/catalog/changes") { request, _ in try await feed("catalog/changes", request) }
        router.get("province/v1/tasks") { request, _ in try await feed("tasks", request) }
        router.get("province/v1/clues") { request, _ in try await feed("clues", request) }
        router.get("province/v1/credit-grades") { request, _ in try await feed("credit-grades", request) }
        router.post("province/v1/tasks/{taskId}/feedback", use: taskFeedback)
        router.get("dept/{code}/records") { request, context in try await departmentPage("records", request, context) }
        router.get("dept/{code}/observations") { request, context in try await departmentPage("observations", request, context) }
        router.get("sim/stats") { _, _ in json(await platform.stats()) }
        router.get("sim/accepted") { _, _ in json(await platform.acceptedVersions()) }
        router.get("sim/supervision") { _, _ in json(await platform.supervisionRows()) }
        router.get("sim/draws") { _, _ in json(await platform.drawChecks()) }
        router.get("sim/portal") { _, _ in json(await platform.portal()) }
        router.get("sim/clue-feedback") { _, _ in json(await platform.clueFeedback()) }
        router.get("sim/catalog-claims") { _, _ in json(await platform.catalogClaims()) }
        router.post("sim/credit-grades", use: addCreditGrades)
        router.put("sim/faults", use: setFaults)
        router.post("sim/catalog/retire", use: retire)
        router.post("sim/catalog/changes", use: addCatalogChange)
        router.post("sim/catalog/code-local", use: codeLocalItem)
        router.get("sim/local-items") { _, _ in json(await platform.localItems()) }
        router.post("sim/tasks", use: addTask)
        router.post("sim/clues", use: addClue)
        router.post("sim/departments/{code}/records", use: addDepartmentRecords)
    }

    func authorized(_ request: Request, token: String) -> Bool {
        request.headers[.authorization] == "Bearer \(token)"
    }

    @Sendable func upload(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard authorized(request, token: settings.token) else { return refusal(.unauthorized, "unauthorized", "令牌无效") }
        let body = try await request.body.collect(upTo: 64 * 1024 * 1024)
        let faults = await platform.faults
        let outcome = dice.with { faults.draw(using: &$0) }
        switch outcome {
        case .serverError:
            await platform.count("serverError")
            return refusal(.serviceUnavailable, "unavailable", "省平台暂不可用")
        case .throttle:
            await platform.count("throttle")
            var response = refusal(.tooManyRequests, "throttled", "请求过于频繁")
            response.headers[.retryAfter] = String(faults.retryAfterSeconds)
            return response
        default: break
        }
        let parsed: UploadParsing.Parsed
        do { parsed = try UploadParsing.parse(Array(body.readableBytesView), contentType: request.headers[.contentType]) } catch {
            return refusal(.badRequest, error.code, error.message)
        }
        if let head = parsed.head { await platform.witness.witness(head, hubURL: settings.hubURL) }
        func take() async -> ProvincialReceipt {
            let draws = dice.with { g in (UInt64.random(in: 0...UInt64.max, using: &g)) }
            var local = SeededGenerator(state: draws)
            return await platform.take(
                parsed.rows,
                cdBatch: parsed.cdBatch,
                partialReject: faults.partialReject,
                duplicateAck: faults.duplicateAck,
                using: &local
            )
        }
        switch outcome {
        case .timeout(let processFirst):
            await platform.count("timeout")
            if processFirst { _ = await take() }
            try await Task.sleep(for: .milliseconds(faults.timeoutMilliseconds))
            return refusal(.gatewayTimeout, "timeout", "处理超时")
        case .reset(let processFirst):
            await platform.count("reset")
            if processFirst { _ = await take() }
            // Headers go out, then the connection drops mid-body: the client sees a broken answer.
            return Response(
                status: .ok,
                headers: [.contentType: "application/json", .contentLength: "4096"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "{\"receiptId\":"))
                    throw CancellationError()
                }
            )
        case .lostAck:
            await platform.count("lostAck")
            _ = await take()
            return refusal(.badGateway, "bad_gateway", "网关错误")
        case .slow:
            await platform.count("slow")
            try await Task.sleep(for: .milliseconds(faults.slowMilliseconds))
        default: break
        }
        let receipt = await take().signed(secret: settings.receiptSecret)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: receipt.json())))
    }

    func feed(_ name: String, _ request: Request) async throws -> Response {
        guard authorized(request, token: settings.token) else { return refusal(.unauthorized, "unauthorized", "令牌无效") }
        let after = request.uri.queryParameters.get("after", as: Int.self) ?? 0
        let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 200, 1), 1000)
        guard let page = await platform.feed(name, after: after, limit: limit) else { return refusal(.notFound, "no_feed", "无此数据源") }
        return json(.object([("entries", .array(page.entries)), ("next", .number(String(page.next)))]))
    }

    @Sendable func taskFeedback(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard authorized(request, token: settings.token) else { return refusal(.unauthorized, "unauthorized", "令牌无效") }
        let body = try await request.body.collect(upTo: 1 << 20)
        guard let doc = try? JSONParser().parse(body.readableBytesView), let department = doc["department"]?.stringValue,
            let result = doc["result"]?.stringValue, let taskId = context.parameters.get("taskId")?.removingPercentEncoding
        else {
            return refusal(.badRequest, "bad_feedback", "反馈需要 department 与 result")
        }
        guard await platform.takeFeedback(taskId: taskId, department: department, result: result) else {
            return refusal(.notFound, "task_not_found", "无此任务或该部门不在任务中")
        }
        return json(.object([("taskId", .string(taskId)), ("status", .string("received"))]))
    }

    /// A page of a pulled department system's `collection` (`records` or `observations`), in the push API's
    /// wire form of that collection.
    func departmentPage(_ collection: String, _ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard authorized(request, token: settings.departmentToken) else { return refusal(.unauthorized, "unauthorized", "令牌无效") }
        let code = context.parameters.get("code") ?? ""
        let cursor = Int(request.uri.queryParameters.get("cursor") ?? "") ?? 0
        let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 500, 1), 1000)
        let page = await platform.departmentPage(code, collection: collection, after: cursor, limit: limit)
        var headers = HTTPFields()
        headers[HTTPField.Name("X-Next-Cursor")!] = String(page.next)
        headers[HTTPField.Name("X-More")!] = page.more ? "true" : "false"
        if request.headers[.accept]?.contains("xml") == true {
            headers[.contentType] = "application/xml; charset=utf-8"
            var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<\(collection)>"
            for record in page.records { xml += (try? XMLWriter.element(String(collection.dropLast()), record)) ?? "" }
            xml += "</\(collection)>\n"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: xml)))
        }
        headers[.contentType] = "application/json"
        return Response(
            status: .ok,
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(.object([(collection, .array(page.records))]))))
        )
    }

    // MARK: The test's handles

    @Sendable func setFaults(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 16)
        do {
            let plan = try FaultPlan.parse(body.readableBytesView, over: .none)
            await platform.setFaults(plan)
            return json(plan.json)
        } catch {
            return refusal(.badRequest, "bad_faults", "\(error)")
        }
    }

    @Sendable func retire(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard let code = request.uri.queryParameters.get("code") else { return refusal(.badRequest, "code_required", "需要 code") }
        let effective = request.uri.queryParameters.get("effectiveFrom") ?? "2026-12-01"
        guard let change = await platform.retire(code: code, effectiveFrom: effective) else {
            return refusal(.notFound, "catalog_item_unknown", "省级目录中无此事项")
        }
        return json(change.json)
    }

    @Sendable func addCatalogChange(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let doc = try await document(request)
        do { return json(await platform.publish(change: try CatalogChange(json: doc)).json) } catch {
            return refusal(.badRequest, "bad_change", "\(error)")
        }
    }

    /// `?provisionalCode=L…&code=14 digits[&effectiveFrom=YYYY-MM-DD]`: the province codes a local item it received.
    @Sendable func codeLocalItem(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        guard let provisional = q.get("provisionalCode"), let code = q.get("code"), CatalogCode(code) != nil else {
            return refusal(.badRequest, "code_required", "需要 provisionalCode 与14位 code")
        }
        guard let change = await platform.code(localItem: provisional, as: code, effectiveFrom: q.get("effectiveFrom") ?? "2026-01-01") else {
            return refusal(.notFound, "local_item_unknown", "省平台未收到该地方设立事项")
        }
        return json(change.json)
    }

    @Sendable func addTask(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let doc = try await document(request)
        do { return json(await platform.dispatch(task: try JointTask(json: doc)).json) } catch {
            return refusal(.badRequest, "bad_task", "\(error)")
        }
    }

    @Sendable func addClue(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let doc = try await document(request)
        do { return json(await platform.issue(clue: try RiskClue(json: doc)).json) } catch {
            return refusal(.badRequest, "bad_clue", "\(error)")
        }
    }

    /// `{"grades":[{"subjectId","grade","date"}, …]}`: published on the credit-grade feed as given.
    @Sendable func addCreditGrades(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let doc = try await document(request)
        guard let grades = doc["grades"]?.arrayValue else { return refusal(.badRequest, "grades_required", "需要 grades 数组") }
        return json(.object([("published", .array(await platform.publish(creditGrades: grades)))]))
    }

    @Sendable func addDepartmentRecords(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let doc = try await document(request)
        guard let code = context.parameters.get("code"), let records = doc["records"]?.arrayValue else {
            return refusal(.badRequest, "records_required", "需要 records 数组")
        }
        await platform.addDepartmentRecords(records, department: code)
        return json(.object([("added", .number(String(records.count)))]))
    }

    func document(_ request: Request) async throws -> JSONValue {
        let body = try await request.body.collect(upTo: 64 << 20)
        return (try? JSONParser().parse(body.readableBytesView)) ?? .null
    }
}

func json(_ value: JSONValue) -> Response {
    Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(value))))
}

func refusal(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
    let doc: JSONValue = .object([
        (
            "errors",
            .array([
                .object([
                    ("path", .string("")), ("code", .string(code)), ("messageZh", .string(message)),
                    ("messageEn", .string(code.replacingOccurrences(of: "_", with: " "))),
                ])
            ])
        )
    ])
    return Response(
        status: status,
        headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(doc)))
    )
}
