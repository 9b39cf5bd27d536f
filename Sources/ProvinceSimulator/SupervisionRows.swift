import Foundation
import HubModel
import Supervision

/// What the province keeps of the 双随机一公开 rows the hub delivers (lists, plans, draws, tasks), and its own
/// recomputation of every draw: a province that receives a draw checks it with `DrawVerification.problems` from
/// the published content alone, as anyone could.
struct SupervisionRows: Sendable {
    /// The provincial tables the hub may send besides records (`case_event`: the stage events of enforcement cases; `portal_publication`: 行政执法公示).
    static let tables: Set<String> = [
        "rc_item", "rc_subject", "rc_inspector", "rc_plan", "rc_draw", "rc_task", "portal_bulletin", "case_event", "portal_publication",
        "clue_feedback", "risk_report", "catalog_claim", "local_item",
    ]

    /// One draw as the province checked it.
    struct DrawCheck: Sendable {
        var planId: String
        var problems: [String]
        var tasks: Int
        var verified: Bool { problems.isEmpty }
    }

    /// Table → localId → (version, the row's data): the newest version of every row.
    var rows: [String: [String: (version: Int, data: JSONValue)]] = [:]
    /// Plan id → the last check of its draw.
    var draws: [String: DrawCheck] = [:]

    /// Every publication row the portals received, in arrival order (`GET /sim/portal`): a row delivered twice
    /// would show twice, so a test can check that each version arrived exactly once.
    var portal: [(localId: String, version: Int, data: JSONValue)] = []

    /// Every clue feedback row (`clue_feedback`: a step of a provincial clue, keyed `clue_feedback:clueId:step`) in
    /// arrival order (`GET /sim/clue-feedback`): what the province's clue desk counts, each step once.
    var clueFeedback: [(localId: String, version: Int, data: JSONValue)] = []

    /// Every claim row (`catalog_claim`: an implementation item published, adjusted or withdrawn, keyed
    /// `catalog_claim:implementationCode`) in arrival order (`GET /sim/catalog-claims`): each version once.
    var catalogClaims: [(localId: String, version: Int, data: JSONValue)] = []

    /// Keeps an accepted row; a draw is recomputed on arrival.
    mutating func keep(table: String, localId: String, version: Int, data: JSONValue) {
        if table == "portal_publication" { portal.append((localId, version, data)) }
        if table == "clue_feedback" { clueFeedback.append((localId, version, data)) }
        if table == "catalog_claim" { catalogClaims.append((localId, version, data)) }
        if let kept = rows[table]?[localId], kept.version > version { return }
        rows[table, default: [:]][localId] = (version, data)
        guard table == "rc_draw" else { return }
        let check = Self.check(data, localId: localId)
        draws[check.planId] = check
    }

    /// Decodes a published draw and recomputes it; a body that is not a `PublishedDraw` fails with the reason.
    static func check(_ data: JSONValue, localId: String) -> DrawCheck {
        let fallback = localId.hasPrefix("rc_draw:") ? String(localId.dropFirst("rc_draw:".count)) : localId
        do {
            let draw = try JSONDecoder().decode(PublishedDraw.self, from: Data(CanonicalJSON.encode(data)))
            return DrawCheck(planId: draw.planId, problems: DrawVerification.problems(draw), tasks: draw.tasks.count)
        } catch {
            return DrawCheck(planId: fallback, problems: ["not a published draw: \(error)"], tasks: 0)
        }
    }

    var verifiedCount: Int { draws.values.count { $0.verified } }
    var failedCount: Int { draws.values.count { !$0.verified } }

    /// `{"counts":{table:n},"tables":{table:{localId:{"version":n,"data":…}}}}`, for `GET /sim/supervision`.
    var json: JSONValue {
        let tables = rows.sorted { $0.key < $1.key }
        return .object([
            ("counts", .object(tables.map { ($0.key, .number(String($0.value.count))) })),
            (
                "tables",
                .object(
                    tables.map { table in
                        (
                            table.key,
                            .object(
                                table.value.sorted { $0.key < $1.key }.map {
                                    ($0.key, .object([("version", .number(String($0.value.version))), ("data", $0.value.data)]))
                                }
                            )
                        )
                    }
                )
            ),
        ])
    }

    /// `{"deliveries":[{"localId","version","data"}],"current":{localId: data}}`, for `GET /sim/portal`: what the
    /// provincial service and work portals show (行政执法公示), and every delivery that made it so.
    var portalJSON: JSONValue {
        .object([
            (
                "deliveries",
                .array(portal.map { .object([("localId", .string($0.localId)), ("version", .number(String($0.version))), ("data", $0.data)]) })
            ),
            ("current", .object((rows["portal_publication"] ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value.data) })),
        ])
    }

    /// `{"deliveries":[{"localId","version","data"}],"steps":{step:n}}`, for `GET /sim/clue-feedback`.
    var clueFeedbackJSON: JSONValue { Self.deliveries(clueFeedback, countedBy: "step") }

    /// `{"deliveries":[{"localId","version","data"}],"actions":{action:n}}`, for `GET /sim/catalog-claims`.
    var catalogClaimsJSON: JSONValue { Self.deliveries(catalogClaims, countedBy: "action") }

    /// Rows in arrival order, and how many of each value of the data's member `countedBy` (as its plural).
    static func deliveries(_ rows: [(localId: String, version: Int, data: JSONValue)], countedBy member: String) -> JSONValue {
        var counts: [String: Int] = [:]
        for row in rows { counts[row.data[member]?.stringValue ?? "?", default: 0] += 1 }
        return .object([
            (
                "deliveries",
                .array(rows.map { .object([("localId", .string($0.localId)), ("version", .number(String($0.version))), ("data", $0.data)]) })
            ),
            (member + "s", .object(counts.sorted { $0.key < $1.key }.map { ($0.key, .number(String($0.value))) })),
        ])
    }

    /// `{"draws":[{"planId","status":"verified|failed","tasks","problems":[…]}]}`, for `GET /sim/draws`.
    var drawsJSON: JSONValue {
        .object([
            (
                "draws",
                .array(
                    draws.values.sorted { $0.planId < $1.planId }.map { check in
                        .object([
                            ("planId", .string(check.planId)), ("status", .string(check.verified ? "verified" : "failed")),
                            ("tasks", .number(String(check.tasks))), ("problems", .array(check.problems.map(JSONValue.string))),
                        ])
                    }
                )
            )
        ])
    }
}
