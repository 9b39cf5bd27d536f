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
    let reviews: ReviewStore
    let users: OpsUserStore
    let records: IngestStore
    let signIn: SignIn
    /// `HUB_REVIEW_FOUR_EYES`: a decision waits for a second person's approval.
    let reviewFourEyes: Bool

    /// The sign-in, on the `/api/v1/ops` group before its authentication.
    func addSignIn(to group: RouterGroup<HubRequestContext>) {
        group.post("login", use: login)
    }

    /// The review and party routes, on the authenticated `/api/v1/ops` group.
    func addRoutes(to group: RouterGroup<OpsRequestContext>) {
        group.get("reviews", use: list)
        group.get("reviews/{id}", use: show)
        group.post("reviews/{id}/decide", use: decide)
        group.post("reviews/{id}/approve", use: approve)
        group.get("records", use: recordsOfParty)
    }

    @Sendable func recordsOfParty(_ request: Request, context: OpsRequestContext) async throws -> Response {
        let user = context.user
        guard let party = request.uri.queryParameters.get("party")?.trimmingCharacters(in: .whitespaces).uppercased(),
            (2...32).contains(party.count), party.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else {
            throw HubHTTPError(
                .badRequest,
                code: "invalid_value",
                zh: "party 应为统一社会信用代码或证件号码（2–32 位字母数字）",
                en: "party is a USCC or an ID number (2-32 letters and digits)",
                path: "party"
            )
        }
        let found = try await records.records(ofParty: party)
        try await users.recordPartyLookup(party, by: user, channel: "ops_api", found: found.count)
        let shown = user.seesPersonalData || (try? USCC(party)) != nil ? party : PersonalData.maskIDNumber(party)
        return Answer.make(
            .object([
                ("party", .string(shown)), ("masked", .bool(shown != party)),
                (
                    "records",
                    .array(
                        found.map { r in
                            .object([
                                ("department", .string(r.department)), ("localId", .string(r.localId)), ("version", .number(String(r.version))),
                                ("status", .string(r.status)), ("receivedAt", .string(r.receivedAt)), ("partyName", .text(r.partyName)),
                                ("catalogCode", .text(r.catalogCode)),
                            ])
                        }
                    )
                ),
            ]),
            for: request
        )
    }

    @Sendable func login(_ request: Request, context: HubRequestContext) async throws -> Response {
        let body = try await StrictBody.read(request, members: ["username": .string, "password": .string])
        guard let username = body["username"]?.stringValue, let password = body["password"]?.stringValue else { throw SignIn.badCredentials }
        let session = try await signIn.session(username: username, password: password, address: context.clientAddress, channel: .api)
        return Answer.make(
            .object([
                ("token", .string(session.token)), ("expiresAt", .string(ISO8601DateFormatter().string(from: session.expiresAt))),
                ("username", .string(session.user.username)), ("roles", .array(session.user.roles.map(\.rawValue).sorted().map { .string($0) })),
            ]),
            for: request
        )
    }

    @Sendable func list(_ request: Request, context: OpsRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        let status = q.get("status")
        let department = q.get("department")
        let kind = q.get("kind")
        if let status, !["open", "pending_approval", "closed"].contains(status) {
            throw HubHTTPError(
                .badRequest,
                code: "invalid_value",
                zh: "status 应为 open、pending_approval 或 closed",
                en: "status is open, pending_approval or closed",
                path: "status"
            )
        }
        if let kind, RecordKind(rawValue: kind) == nil {
            throw HubHTTPError(
                .badRequest,
                code: "invalid_value",
                zh: "kind 应为 inspection、penalty、coercion 或 other",
                en: "kind is inspection, penalty, coercion or other",
                path: "kind"
            )
        }
        if let department, department.isEmpty || department.utf8.count > 32 || !department.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            throw HubHTTPError(.badRequest, code: "invalid_value", zh: "部门编码无效", en: "invalid department code", path: "department")
        }
        let reviews = try await reviews.list(status: status, department: department, recordKind: kind, visibleTo: context.user)
        return Answer.make(.object([("reviews", .array(reviews.map { Self.summary($0, withCandidates: false) }))]), for: request)
    }

    @Sendable func show(_ request: Request, context: OpsRequestContext) async throws -> Response {
        let id = try Self.id(context)
        guard let review = try await reviews.detail(id, visibleTo: context.user) else { throw ReviewError.notFound(id) }
        return Answer.make(Self.summary(review, withCandidates: true), for: request)
    }

    @Sendable func decide(_ request: Request, context: OpsRequestContext) async throws -> Response {
        let id = try Self.id(context)
        let body = try await StrictBody.read(
            request,
            members: ["relationship": .string, "catalogCode": .string, "implementationCode": .string, "reason": .string]
        )
        try ReviewPolicy.authorize(.decide, context.user)
        let outcome = try await reviews.decide(
            id,
            by: context.user,
            relationship: body["relationship"]?.stringValue ?? "",
            catalogCode: body["catalogCode"]?.stringValue,
            implementationCode: body["implementationCode"]?.stringValue,
            reason: body["reason"]?.stringValue ?? "",
            requireApproval: reviewFourEyes
        )
        return Answer.make(Self.outcome(outcome), for: request)
    }

    @Sendable func approve(_ request: Request, context: OpsRequestContext) async throws -> Response {
        let id = try Self.id(context)
        let body = try await StrictBody.read(request, members: ["note": .string, "release": .integer])
        var expected: Int64?
        if let release = body["release"] {
            guard let value = release.integerValue else {
                throw HubHTTPError(
                    .badRequest,
                    code: "invalid_value",
                    zh: "release 应为整数（所复核的映射版本）",
                    en: "release must be an integer (the proposal's mapping release)",
                    path: "release"
                )
            }
            expected = value
        }
        try ReviewPolicy.authorize(.approve, context.user)
        let outcome = try await reviews.approve(id, by: context.user, note: body["note"]?.stringValue ?? "", release: expected)
        return Answer.make(Self.outcome(outcome), for: request)
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
        .object([
            ("status", .string(o.status)), ("release", .number(String(o.release))), ("released", .number(String(o.released))),
            ("rejected", .number(String(o.rejected))), ("stillHeld", .number(String(o.stillHeld))),
        ])
    }

    static func id(_ context: OpsRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self) else {
            throw HubHTTPError(.badRequest, code: "invalid_id", zh: "编号应为整数", en: "the id must be an integer", path: "id")
        }
        return id
    }
}
