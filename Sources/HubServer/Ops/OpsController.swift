import Foundation
import HTTPTypes
import HubModel
import HubStore
import Hummingbird
import Ingest
import NIOCore

/// The ops API for the mapping review workflow (`/api/v1/ops/…`):
///
/// - `POST /api/v1/ops/login` `{"username","password"}` → `{"token","expiresAt","roles"}`
/// - `GET  /api/v1/ops/reviews?status=&department=&kind=` — unresolved conflicts, busiest first
/// - `GET  /api/v1/ops/reviews/{id}` — the local item, waiting records, ranked candidates with evidence
/// - `POST /api/v1/ops/reviews/{id}/decide` `{"relationship","catalogCode","implementationCode","reason"}`
/// - `POST /api/v1/ops/reviews/{id}/approve` `{"note","release"}` — a second person (not the decider) confirms;
///   with `release` (the `proposedRelease` they saw) a proposal withdrawn or replaced meanwhile is refused (409)
/// - `GET  /api/v1/ops/records?party=ID` — the records of a party by USCC or ID number (a ledger entry;
///   the number is masked in the answer unless the user holds `pii`)
///
/// A reviewer scoped to departments sees and decides only those departments' items (others answer 404).
struct OpsController {
    let hub: HubContext

    func addRoutes(to router: Router<HubRequestContext>) {
        router.post("api/v1/ops/login", use: login)
        let ops = router.group("api/v1/ops").add(middleware: OpsAuthMiddleware(users: hub.opsUsers))
        ops.get("reviews", use: list)
        ops.get("reviews/{id}", use: show)
        ops.post("reviews/{id}/decide", use: decide)
        ops.post("reviews/{id}/approve", use: approve)
        ops.get("records", use: recordsOfParty)
    }

    @Sendable func recordsOfParty(_ request: Request, context: HubRequestContext) async throws -> Response {
        let user = context.opsUser!
        guard let party = request.uri.queryParameters.get("party")?.trimmingCharacters(in: .whitespaces).uppercased(),
              (2...32).contains(party.count), party.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw HubHTTPError(.badRequest, code: "invalid_value", zh: "party 应为统一社会信用代码或证件号码（2–32 位字母数字）",
                               en: "party is a USCC or an ID number (2-32 letters and digits)", path: "party")
        }
        let found = try await hub.ingestStore.records(ofParty: party)
        try await hub.opsUsers.recordPartyLookup(party, by: user, channel: "ops_api", found: found.count)
        let shown = user.seesPersonalData || (try? USCC(party)) != nil ? party : PersonalData.maskIDNumber(party)
        return Answer.make(.object([
            ("party", .string(shown)), ("masked", .bool(shown != party)),
            ("records", .array(found.map { r in
                .object([("department", .string(r.department)), ("localId", .string(r.localId)), ("version", .number(String(r.version))),
                         ("status", .string(r.status)), ("receivedAt", .string(r.receivedAt)), ("partyName", .text(r.partyName)),
                         ("catalogCode", .text(r.catalogCode))])
            })),
        ]), for: request)
    }

    @Sendable func login(_ request: Request, context: HubRequestContext) async throws -> Response {
        let body = try await Self.body(request, context: context, members: ["username": .string, "password": .string])
        guard let username = body["username"]?.stringValue, let password = body["password"]?.stringValue else {
            throw HubHTTPError(.unauthorized, code: "bad_credentials", zh: "用户名或密码错误", en: "wrong username or password")
        }
        let user: OpsUser
        switch try await hub.signIn.attempt(username: username, password: password, address: context.clientAddress, channel: .api) {
        case .signedIn(let u): user = u
        case .wrongCredentials:
            throw HubHTTPError(.unauthorized, code: "bad_credentials", zh: "用户名或密码错误", en: "wrong username or password")
        case .throttled(let wait):
            var error = HubHTTPError(.tooManyRequests, code: "too_many_attempts", zh: "登录失败次数过多，请 \(wait) 秒后再试",
                                     en: "too many failed sign-ins: try again in \(wait) s")
            error.retryAfterSeconds = wait
            throw error
        }
        let (token, expires) = try await hub.opsUsers.issueToken(for: user)
        return Answer.make(.object([
            ("token", .string(token)), ("expiresAt", .string(ISO8601DateFormatter().string(from: expires))),
            ("username", .string(user.username)), ("roles", .array(user.roles.map(\.rawValue).sorted().map { .string($0) })),
        ]), for: request)
    }

    @Sendable func list(_ request: Request, context: HubRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        let status = q.get("status"), department = q.get("department"), kind = q.get("kind")
        if let status, !["open", "pending_approval", "closed"].contains(status) {
            throw HubHTTPError(.badRequest, code: "invalid_value", zh: "status 应为 open、pending_approval 或 closed", en: "status is open, pending_approval or closed", path: "status")
        }
        if let kind, RecordKind(rawValue: kind) == nil {
            throw HubHTTPError(.badRequest, code: "invalid_value", zh: "kind 应为 inspection、penalty、coercion 或 other", en: "kind is inspection, penalty, coercion or other", path: "kind")
        }
        if let department, department.isEmpty || department.utf8.count > 32 || !department.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            throw HubHTTPError(.badRequest, code: "invalid_value", zh: "部门编码无效", en: "invalid department code", path: "department")
        }
        let reviews = try await hub.reviews.list(status: status, department: department, recordKind: kind, visibleTo: context.opsUser)
        return Answer.make(.object([("reviews", .array(reviews.map { Self.summary($0, withCandidates: false) }))]), for: request)
    }

    @Sendable func show(_ request: Request, context: HubRequestContext) async throws -> Response {
        let id = try Self.id(context)
        guard let review = try await hub.reviews.detail(id, visibleTo: context.opsUser) else { throw Self.http(ReviewError.notFound(id)) }
        return Answer.make(Self.summary(review, withCandidates: true), for: request)
    }

    @Sendable func decide(_ request: Request, context: HubRequestContext) async throws -> Response {
        let id = try Self.id(context)
        let body = try await Self.body(request, context: context, members: ["relationship": .string, "catalogCode": .string, "implementationCode": .string, "reason": .string])
        do {
            try ReviewPolicy.authorize(.decide, context.opsUser!)
            let outcome = try await hub.reviews.decide(
                id, by: context.opsUser!, relationship: body["relationship"]?.stringValue ?? "",
                catalogCode: body["catalogCode"]?.stringValue, implementationCode: body["implementationCode"]?.stringValue,
                reason: body["reason"]?.stringValue ?? "", requireApproval: hub.configuration.reviewFourEyes)
            return Answer.make(Self.outcome(outcome), for: request)
        } catch let error as ReviewError {
            throw Self.http(error)
        }
    }

    @Sendable func approve(_ request: Request, context: HubRequestContext) async throws -> Response {
        let id = try Self.id(context)
        let body = try await Self.body(request, context: context, members: ["note": .string, "release": .integer])
        do {
            try ReviewPolicy.authorize(.approve, context.opsUser!)
            var expected: Int64?
            if let release = body["release"] {
                guard let value = release.integerValue else {
                    throw HubHTTPError(.badRequest, code: "invalid_value", zh: "release 应为整数（所复核的映射版本）",
                                       en: "release must be an integer (the proposal's mapping release)", path: "release")
                }
                expected = value
            }
            let outcome = try await hub.reviews.approve(id, by: context.opsUser!, note: body["note"]?.stringValue ?? "", release: expected)
            return Answer.make(Self.outcome(outcome), for: request)
        } catch let error as ReviewError {
            throw Self.http(error)
        }
    }

    static func summary(_ r: ReviewStore.Summary, withCandidates: Bool) -> JSONValue {
        var m: [(String, JSONValue)] = [
            ("id", .number(String(r.id))), ("department", .string(r.department)), ("localCode", .string(r.localCode)),
            ("recordKind", .string(r.recordKind)), ("reason", .string(r.reason)), ("status", .string(r.status)),
            ("waitingRecords", .number(String(r.waiting))), ("openedAt", .string(r.openedAt)),
        ]
        if let n = r.localName { m.append(("localName", .string(n))) }
        if let b = r.legalBasis { m.append(("legalBasis", .string(b))) }
        if let p = r.proposedMapping { m.append(("proposedRelease", .number(String(p)))) }
        let candidates = (try? JSONParser().parse(Array(r.candidates.utf8))) ?? .array([])
        if withCandidates {
            m.append(("candidates", candidates))
        } else if case .array(let list) = candidates, let top = list.first {
            m.append(("topCandidate", top))
        }
        return .object(m)
    }

    static func outcome(_ o: ReviewStore.Outcome) -> JSONValue {
        .object([("status", .string(o.status)), ("release", .number(String(o.release))), ("released", .number(String(o.released))),
                 ("rejected", .number(String(o.rejected))), ("stillHeld", .number(String(o.stillHeld)))])
    }

    static func http(_ e: ReviewError) -> HubHTTPError {
        let status: HTTPResponse.Status = switch e.kind {
        case .notFound: .notFound
        case .conflict: .conflict
        case .invalid: .badRequest
        case .forbidden: .forbidden
        }
        return HubHTTPError(status, [e.error])
    }

    static func id(_ context: HubRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self) else {
            throw HubHTTPError(.badRequest, code: "invalid_id", zh: "编号应为整数", en: "the id must be an integer", path: "id")
        }
        return id
    }

    /// What a member of a small request body must hold.
    enum Member {
        case string, integer, integerArray

        func accepts(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.string, .string): true
            case (.integer, _): value.integerValue != nil
            case (.integerArray, .array): true
            default: false
            }
        }

        var name: (zh: String, en: String) {
            switch self {
            case .string: ("文本", "a string")
            case .integer: ("整数", "an integer")
            case .integerArray: ("整数数组", "an array of integers")
            }
        }
    }

    /// The JSON object of a small request body (at most 64 KiB), holding only `members`, each of its type:
    /// requests are strict, so an unknown member — a typo such as `catalogcode` — is refused (`unknown_field`)
    /// and a member of the wrong type (`"implementationCode": {}`) is refused (`wrong_type`), never ignored.
    static func body(_ request: Request, context: HubRequestContext, members: [String: Member]) async throws -> JSONValue {
        let value = try await body(request, context: context)
        guard case .object(let pairs) = value else {
            throw HubHTTPError(.badRequest, code: "wrong_type", zh: "请求体应为 JSON 对象", en: "the body must be a JSON object")
        }
        let known = members.keys.sorted()
        for (name, member) in pairs {
            guard let expected = members[name] else {
                throw HubHTTPError(.badRequest, code: "unknown_field", zh: "未知字段 \(name)（可用：\(known.joined(separator: "、"))）",
                                   en: "unknown member \(name) (known: \(known.joined(separator: ", ")))", path: name.count <= 100 ? name : "")
            }
            guard expected.accepts(member) else {
                throw HubHTTPError(.badRequest, code: "wrong_type", zh: "\(name) 应为\(expected.name.zh)", en: "\(name) must be \(expected.name.en)", path: name)
            }
        }
        return value
    }

    static func body(_ request: Request, context: HubRequestContext) async throws -> JSONValue {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: 64 * 1024)
        } catch is NIOTooManyBytesError {
            throw HubHTTPError(.contentTooLarge, code: "body_too_large", zh: "请求体超过上限 65536 字节", en: "the request body is larger than 65536 bytes")
        }
        if buffer.readableBytes == 0 { return .object([]) }
        do {
            return try JSONParser().parse(buffer.readableBytesView)
        } catch {
            throw HubHTTPError(.badRequest, code: "malformed_json", zh: "JSON 格式错误（第 \(error.line) 行第 \(error.column) 列）",
                               en: "malformed JSON at line \(error.line), column \(error.column): \(error.reason)")
        }
    }
}

