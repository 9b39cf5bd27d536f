import Crypto
import Foundation

/// 摇号: the whole draw of one plan as a pure function of what is published, so that `hub random-checks verify`,
/// the province and a 60-line script reach the same tasks. The algorithm, step by step:
///
/// 1. **Freeze the candidates.** Their ids, sorted ascending by UTF-8 bytes, joined by `\n`;
///    `candidatesHash = hex(SHA-256(that text))`.
/// 2. **Strata.** Candidates are grouped by credit grade. Within a stratum they are ranked ascending by
///    `objectRank` (`hex(HMAC-SHA256(seed, "object|planId|subjectId"))`; ties, which need a hash collision, by id).
/// 3. **Quotas.** Stratum by stratum in `CreditGrade.drawOrder` (D, C, B, A, ungraded), walk the ranking and take
///    subjects, skipping those over their frequency cap (`skipped`), until `ceil(ratio × stratum size)` are taken,
///    the stratum runs out, or the plan's maximum is reached overall.
/// 4. **Minimum.** If fewer than the plan's minimum were taken, the rest come from the untaken, unskipped
///    candidates of all strata ranked together by `objectRank`.
/// 5. **Tasks.** One per drawn subject, `taskId = planId + "-" + subjectId`, in ascending `taskId` byte order.
/// 6. **Inspectors.** For each task and each department of the plan, the pool is the department's eligible
///    inspectors (`InspectorPool`), ranked ascending by `inspectorRank` (`"inspector|taskId|certificateNo"`);
///    the first `inspectorsPerTask` are drawn. If any pool is smaller than that, the draw is refused as a whole
///    and draws nothing: a task must never go out short-handed.
public enum RandomDraw {
    /// What a draw reads: the plan, its seed, the frozen candidates, who is over the cap, and each task's pools.
    public struct Input: Sendable {
        public var plan: RandomCheckPlan
        public var seed: DrawSeed
        public var candidates: [Candidate]
        /// Subject ids over their frequency cap when the draw runs.
        public var skipped: Set<String>
        /// The eligible inspectors of a department for a subject, already without conflicts and last time's team.
        public var pool: @Sendable (_ department: String, _ subjectId: String) -> [String]

        public init(
            plan: RandomCheckPlan,
            seed: DrawSeed,
            candidates: [Candidate],
            skipped: Set<String>,
            pool: @escaping @Sendable (_ department: String, _ subjectId: String) -> [String]
        ) {
            self.plan = plan
            self.seed = seed
            self.candidates = candidates
            self.skipped = skipped
            self.pool = pool
        }
    }

    /// One candidate as the draw sees it: its id and its stratum.
    public struct Candidate: Sendable, Hashable, Codable {
        public var id: String
        public var grade: CreditGrade

        public init(id: String, grade: CreditGrade) {
            self.id = id
            self.grade = grade
        }
    }

    /// The frozen list: the text that is hashed and the hash.
    public static func candidatesHash(_ ids: [String]) -> String {
        let text = sortedByBytes(ids).joined(separator: "\n")
        return Hex.encode(SHA256.hash(data: Array(text.utf8)))
    }

    /// Runs steps 1–6. Pure: the same input gives the same outcome on any machine.
    public static func run(_ input: Input) -> DrawOutcome {
        let plan = input.plan
        // Step 1: one entry per id (the last grade given wins), sorted by bytes, hashed.
        var gradeOf: [String: CreditGrade] = [:]
        gradeOf.reserveCapacity(input.candidates.count)
        for candidate in input.candidates { gradeOf[candidate.id] = candidate.grade }
        let ids = sortedByBytes(Array(gradeOf.keys))
        var hasher = SHA256()
        for (index, id) in ids.enumerated() {
            if index > 0 { hasher.update(data: [0x0A]) }
            var id = id
            id.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        let hash = Hex.encode(hasher.finalize())

        // Step 2: every candidate's rank, computed once; sorting by (rank, id) is the published order.
        let objects = input.seed.ranker(prefix: "object|" + plan.planId + "|")
        var ranked: [Ranked] = ids.map { Ranked(rank: objects.rank($0), id: $0, grade: gradeOf[$0]!) }
        ranked.sort()

        // Step 3: strata in draw order, each walked in rank order.
        var byGrade: [CreditGrade: [Ranked]] = [:]
        for entry in ranked { byGrade[entry.grade, default: []].append(entry) }
        var taken: Set<String> = []
        var strata: [DrawOutcome.Stratum] = []
        for grade in CreditGrade.drawOrder {
            let members = byGrade[grade] ?? []
            let quota = plan.ratios.quota(for: grade, size: members.count)
            var drawn = 0
            for entry in members where drawn < quota && taken.count < plan.maximumCount {
                if input.skipped.contains(entry.id) { continue }
                taken.insert(entry.id)
                drawn += 1
            }
            strata.append(.init(grade: grade, size: members.count, quota: quota, drawn: drawn))
        }
        // Step 4: up to the minimum from all strata together, in rank order.
        var filledToMinimum = 0
        for entry in ranked where taken.count < plan.minimumCount {
            if taken.contains(entry.id) || input.skipped.contains(entry.id) { continue }
            taken.insert(entry.id)
            filledToMinimum += 1
        }

        // Steps 5 and 6: tasks in task-id order, each department's team from its pool in rank order.
        var tasks: [DrawnTask] = []
        var shortfalls: [DrawOutcome.Shortfall] = []
        for subjectId in sortedByBytes(Array(taken)) {
            let taskId = plan.planId + "-" + subjectId
            let inspectors = input.seed.ranker(prefix: "inspector|" + taskId + "|")
            var teams: [String: [String]] = [:]
            var pools: [String: [String]] = [:]
            for department in plan.departments {
                let pool = distinctSortedByBytes(input.pool(department, subjectId))
                pools[department] = pool
                if pool.count < plan.inspectorsPerTask {
                    shortfalls.append(.init(taskId: taskId, department: department, eligible: pool.count, needed: plan.inspectorsPerTask))
                    continue
                }
                let order = pool.map { Ranked(rank: inspectors.rank($0), id: $0, grade: .ungraded) }.sorted()
                teams[department] = order.prefix(plan.inspectorsPerTask).map(\.id)
            }
            tasks.append(DrawnTask(taskId: taskId, subjectId: subjectId, grade: gradeOf[subjectId]!, inspectors: teams, pools: pools))
        }
        return DrawOutcome(
            candidatesHash: hash,
            candidateCount: ids.count,
            strata: strata,
            filledToMinimum: filledToMinimum,
            tasks: shortfalls.isEmpty ? tasks : [],
            shortfalls: shortfalls
        )
    }

    /// An id with its rank; ordered by rank, then (for a hash collision only) by the id's bytes.
    private struct Ranked: Comparable {
        let rank: DrawSeed.Rank
        let id: String
        let grade: CreditGrade

        static func < (l: Ranked, r: Ranked) -> Bool {
            l.rank != r.rank ? l.rank < r.rank : RandomDraw.precedesByBytes(l.id, r.id)
        }

        static func == (l: Ranked, r: Ranked) -> Bool { l.rank == r.rank && l.id == r.id }
    }

    static func sortedByBytes(_ ids: [String]) -> [String] {
        ids.sorted(by: precedesByBytes)
    }

    /// Byte order of the UTF-8 spellings (not Swift's Unicode order, which differs outside ASCII), with `memcmp`
    /// on the strings' contiguous storage: sorting a million ids is the draw's second-largest cost.
    static func precedesByBytes(_ lhs: String, _ rhs: String) -> Bool {
        var lhs = lhs
        var rhs = rhs
        return lhs.withUTF8 { l in
            rhs.withUTF8 { r in
                let common = min(l.count, r.count)
                if common > 0, let a = l.baseAddress, let b = r.baseAddress {
                    let order = memcmp(a, b, common)
                    if order != 0 { return order < 0 }
                }
                return l.count < r.count
            }
        }
    }

    /// The distinct ids of a list, sorted by bytes.
    static func distinctSortedByBytes(_ ids: [String]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(ids.count)
        for id in sortedByBytes(ids) where out.last != id { out.append(id) }
        return out
    }
}

/// What a draw produced: the frozen list's hash, the count per stratum, and the tasks — or, when some pool was
/// too small, no tasks and the shortfalls that say why.
public struct DrawOutcome: Sendable, Hashable, Codable {
    public struct Stratum: Sendable, Hashable, Codable {
        public var grade: CreditGrade
        public var size: Int
        /// `ceil(ratio × size)`.
        public var quota: Int
        public var drawn: Int
    }

    public struct Shortfall: Sendable, Hashable, Codable {
        public var taskId: String
        public var department: String
        public var eligible: Int
        public var needed: Int
    }

    public var candidatesHash: String
    public var candidateCount: Int
    public var strata: [Stratum]
    /// Subjects added by step 4 to reach the plan's minimum.
    public var filledToMinimum: Int
    public var tasks: [DrawnTask]
    public var shortfalls: [Shortfall]

    /// True when the draw produced its tasks; false when it was refused for too few inspectors.
    public var succeeded: Bool { shortfalls.isEmpty }
}

/// One 抽查任务: a drawn subject and, for every department of the plan, the inspectors drawn and the pool they
/// were drawn from (published, so the ranking can be recomputed).
public struct DrawnTask: Sendable, Hashable, Codable {
    public var taskId: String
    public var subjectId: String
    public var grade: CreditGrade
    /// Department code → the drawn certificate numbers, in rank order.
    public var inspectors: [String: [String]]
    /// Department code → the eligible certificate numbers, sorted by bytes.
    public var pools: [String: [String]]

    public init(taskId: String, subjectId: String, grade: CreditGrade, inspectors: [String: [String]], pools: [String: [String]]) {
        self.taskId = taskId
        self.subjectId = subjectId
        self.grade = grade
        self.inspectors = inspectors
        self.pools = pools
    }
}
