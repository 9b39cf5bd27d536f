import Crypto
import Foundation

/// Everything a draw publishes — in `GET /api/v1/random-checks/plans/{planId}`, in the ledger and to the
/// province — and all anyone needs to recompute it. Before the draw only `commitment` is set; after it, the seed
/// is revealed next to the frozen candidates (with their grades), the subjects skipped for their frequency cap,
/// the plan's numbers and every task with the pools its inspectors were drawn from.
///
/// Ratios are basis points (1/100 %) keyed by grade letter (`N` = ungraded).
public struct PublishedDraw: Sendable, Hashable, Codable {
    public var planId: String
    public var commitment: String
    public var seed: String
    public var candidatesHash: String
    public var candidates: [RandomDraw.Candidate]
    public var skipped: [String]
    public var ratios: [String: Int]
    public var minimumCount: Int
    public var maximumCount: Int
    public var inspectorsPerTask: Int
    /// The lead first, then the participants.
    public var departments: [String]
    public var tasks: [DrawnTask]

    public init(plan: RandomCheckPlan, seed: DrawSeed, candidates: [RandomDraw.Candidate], skipped: Set<String>, outcome: DrawOutcome) {
        self.planId = plan.planId
        self.commitment = seed.commitment
        self.seed = seed.hex
        self.candidatesHash = outcome.candidatesHash
        self.candidates = candidates.sorted { RandomDraw.precedesByBytes($0.id, $1.id) }
        self.skipped = RandomDraw.sortedByBytes(Array(skipped))
        self.ratios = Dictionary(uniqueKeysWithValues: CreditGrade.allCases.map { ($0.rawValue, plan.ratios.basisPoints(for: $0)) })
        self.minimumCount = plan.minimumCount
        self.maximumCount = plan.maximumCount
        self.inspectorsPerTask = plan.inspectorsPerTask
        self.departments = plan.departments
        self.tasks = outcome.tasks
    }
}

/// Recomputes a published draw from its own contents and names every disagreement; empty means it verifies.
/// The same steps as `RandomDraw.run` — it calls it — fed only with what was published.
public enum DrawVerification {
    public static func problems(_ draw: PublishedDraw) -> [String] {
        var problems: [String] = []
        guard let seed = DrawSeed(hex: draw.seed) else { return ["seed is not 64 hex digits"] }
        if seed.commitment != draw.commitment.lowercased() {
            problems.append("SHA-256(seed) is \(seed.commitment), the published commitment is \(draw.commitment)")
        }
        var grades: [CreditGrade: Int] = [:]
        for (letter, bp) in draw.ratios {
            guard let grade = CreditGrade(rawValue: letter) else {
                problems.append("unknown grade \(letter) in ratios")
                continue
            }
            grades[grade] = bp
        }
        guard let lead = draw.departments.first else { return problems + ["no departments"] }
        let plan = RandomCheckPlan(
            planId: draw.planId,
            name: draw.planId,
            leadDepartment: lead,
            participants: Array(draw.departments.dropFirst()),
            items: [:],
            ratios: RatioTable(basisPoints: grades),
            minimumCount: draw.minimumCount,
            maximumCount: draw.maximumCount,
            inspectorsPerTask: draw.inspectorsPerTask,
            periodStart: "",
            periodEnd: ""
        )
        let pools = Dictionary(draw.tasks.map { ($0.subjectId, $0.pools) }, uniquingKeysWith: { first, _ in first })
        let outcome = RandomDraw.run(
            .init(plan: plan, seed: seed, candidates: draw.candidates, skipped: Set(draw.skipped)) { department, subjectId in
                pools[subjectId]?[department] ?? []
            }
        )
        if outcome.candidatesHash != draw.candidatesHash {
            problems.append("the candidate list hashes to \(outcome.candidatesHash), the published hash is \(draw.candidatesHash)")
        }
        let published = Dictionary(draw.tasks.map { ($0.taskId, $0) }, uniquingKeysWith: { first, _ in first })
        let recomputed = Dictionary(outcome.tasks.map { ($0.taskId, $0) }, uniquingKeysWith: { first, _ in first })
        for id in Set(published.keys).union(recomputed.keys).sorted() {
            switch (published[id], recomputed[id]) {
            case (nil, _): problems.append("task \(id) should have been drawn and is not published")
            case (_, nil): problems.append("task \(id) is published but the draw does not select it")
            case (let p?, let r?) where p.inspectors != r.inspectors:
                problems.append("task \(id): published inspectors \(p.inspectors), recomputed \(r.inspectors)")
            default: break
            }
        }
        return problems
    }
}
