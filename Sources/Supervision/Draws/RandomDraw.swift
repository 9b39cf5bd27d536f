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
        let grades = ids.map { gradeOf[$0]! }
        var hasher = SHA256()
        for (index, id) in ids.enumerated() {
            if index > 0 { hasher.update(data: [0x0A]) }
            var id = id
            id.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        }
        let hash = Hex.encode(hasher.finalize())

        // Step 2: every candidate's rank, computed once. Candidates are handled by their index in `ids`, so a tie
        // on the rank (a hash collision) falls back to the index, which is the byte order of the ids.
        let objects = input.seed.ranker(prefix: "object|" + plan.planId + "|")
        let ranks = ids.map(objects.rank)
        let ranked = Array(ids.indices).sorted { ranks[$0] != ranks[$1] ? ranks[$0] < ranks[$1] : $0 < $1 }
        let skipped = ids.indices.map { input.skipped.isEmpty ? false : input.skipped.contains(ids[$0]) }

        // Step 3: strata in draw order, each walked in rank order.
        var byGrade: [CreditGrade: [Int]] = [:]
        for index in ranked { byGrade[grades[index], default: []].append(index) }
        var taken = [Bool](repeating: false, count: ids.count)
        var takenCount = 0
        var strata: [DrawOutcome.Stratum] = []
        for grade in CreditGrade.drawOrder {
            let members = byGrade[grade] ?? []
            let quota = plan.ratios.quota(for: grade, size: members.count)
            var drawn = 0
            for index in members where drawn < quota && takenCount < plan.maximumCount {
                if skipped[index] { continue }
                taken[index] = true
                takenCount += 1
                drawn += 1
            }
            strata.append(.init(grade: grade, size: members.count, quota: quota, drawn: drawn))
        }
        // Step 4: up to the minimum from all strata together, in rank order.
        var filledToMinimum = 0
        for index in ranked where takenCount < plan.minimumCount {
            if taken[index] || skipped[index] { continue }
            taken[index] = true
            takenCount += 1
            filledToMinimum += 1
        }
        // Task ids share the prefix `planId-`, so their byte order is the ids' byte order: `ids` is already sorted.
        let drawnIds = ids.indices.filter { taken[$0] }.map { ids[$0] }

        // Steps 5 and 6: tasks in task-id order, each department's team from its pool in rank order.
        var tasks: [DrawnTask] = []
        var shortfalls: [DrawOutcome.Shortfall] = []
        for subjectId in drawnIds {
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
                let poolRanks = pool.map(inspectors.rank)
                let order = Array(pool.indices).sorted { poolRanks[$0] != poolRanks[$1] ? poolRanks[$0] < poolRanks[$1] : $0 < $1 }
                teams[department] = order.prefix(plan.inspectorsPerTask).map { pool[$0] }
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

    static func sortedByBytes(_ ids: [String]) -> [String] {
        guard ids.count > 64 else { return ids.sorted(by: precedesByBytes) }
        // The bytes copied once into one buffer and an index array sorted with memcmp: no reference counting per
        // comparison, which made sorting a million ids the largest cost of a draw.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 20)
        var spans: [(start: Int, count: Int)] = []
        spans.reserveCapacity(ids.count)
        for id in ids {
            spans.append((bytes.count, id.utf8.count))
            bytes.append(contentsOf: id.utf8)
        }
        var order = Array(ids.indices)
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            spans.withUnsafeBufferPointer { spans in
                order.sort { a, b in
                    let x = spans[a]
                    let y = spans[b]
                    let common = min(x.count, y.count)
                    let c = common > 0 ? memcmp(base + x.start, base + y.start, common) : 0
                    return c != 0 ? c < 0 : x.count < y.count
                }
            }
        }
        return order.map { ids[$0] }
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
        // Pools usually arrive sorted (the store reads them in order): checking is linear, sorting is not.
        if zip(ids, ids.dropFirst()).allSatisfy({ precedesByBytes($0, $1) }) { return ids }
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
