/// A plan's draw from what the store read, decided here so the store only reads and applies: the filter admits
/// the candidates, the frequency caps name the skipped, the libraries make the pools, `RandomDraw.run` draws,
/// and the result is the published draw — or the shortfalls that refuse it.
public enum PlanDraw {
    /// What the store read for one draw (the subjects already narrowed by SQL; the filter is applied again here).
    public struct Readings: Sendable {
        public var subjects: [InspectionSubject]
        /// Subject id → how often it was drawn this calendar year (Asia/Shanghai), by any plan of any department.
        public var drawsThisYear: [String: Int]
        public var inspectors: [Inspector]
        public var conflicts: [InterestConflict]
        /// `InspectorPool.lastTeamKey` → the certificate numbers of that department's latest earlier task on the subject.
        public var lastTeams: [String: Set<String>]

        public init(
            subjects: [InspectionSubject],
            drawsThisYear: [String: Int],
            inspectors: [Inspector],
            conflicts: [InterestConflict],
            lastTeams: [String: Set<String>]
        ) {
            self.subjects = subjects
            self.drawsThisYear = drawsThisYear
            self.inspectors = inspectors
            self.conflicts = conflicts
            self.lastTeams = lastTeams
        }
    }

    public enum Result: Sendable {
        case drawn(PublishedDraw, DrawOutcome)
        /// Some task's pool is smaller than the plan's inspectors per task: nothing is drawn.
        case refused([DrawOutcome.Shortfall])
    }

    public static func run(plan: RandomCheckPlan, seed: DrawSeed, caps: FrequencyCaps, readings: Readings) -> Result {
        let admitted = readings.subjects.filter(plan.filter.admits)
        let candidates = admitted.map { RandomDraw.Candidate(id: $0.id, grade: $0.credit) }
        let skipped = Set(admitted.filter { caps.isCapped($0.credit, drawsThisYear: readings.drawsThisYear[$0.id] ?? 0) }.map(\.id))
        let pool = InspectorPool(
            inspectors: readings.inspectors,
            conflicts: readings.conflicts,
            lastTeams: readings.lastTeams,
            specialty: plan.inspectorSpecialty
        )
        let byId = Dictionary(admitted.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let outcome = RandomDraw.run(
            .init(plan: plan, seed: seed, candidates: candidates, skipped: skipped) { department, subjectId in
                byId[subjectId].map { pool.eligible(department: department, subject: $0) } ?? []
            }
        )
        guard outcome.succeeded else { return .refused(outcome.shortfalls) }
        return .drawn(PublishedDraw(plan: plan, seed: seed, candidates: candidates, skipped: skipped, outcome: outcome), outcome)
    }
}

extension PlanDraw {
    /// The merge proposals a draw makes: `VisitMerging.proposals` over the new tasks and the open tasks of other
    /// plans on the same subjects, keeping those that include a new task (the others were proposed before).
    public static func mergeProposals(_ visits: [VisitMerging.Visit], newTasks: Set<String>) -> [VisitMerging.Proposal] {
        VisitMerging.proposals(visits).filter { $0.taskIds.contains(where: newTasks.contains) }
    }
}
