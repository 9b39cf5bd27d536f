// A generated month of five departments' 双随机 plans over one subject library: how many visits the merge
// proposals (进一次门、查多项事) would save if ops accepted all of them.
//
//   swift run -c release JointMonth [--subjects 50000] [--seed 2026]
//
// Pure: the Supervision target's draw and merging, no database. Deterministic for a given --seed.
import Crypto
import Foundation
import HubModel
import Supervision

var subjectCount = 50_000
var seedBase = 2026
var args = CommandLine.arguments.dropFirst().makeIterator()
while let a = args.next() {
    switch a {
    case "--subjects": subjectCount = Int(args.next() ?? "") ?? subjectCount
    case "--seed": seedBase = Int(args.next() ?? "") ?? seedBase
    default:
        print("unknown option \(a)")
        exit(2)
    }
}

/// SplitMix64: the same library and plans for the same --seed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

var random = SplitMix(state: UInt64(seedBase))
let counties = ["430405", "430406", "430407", "430408", "430412", "430421", "430422", "430423", "430424", "430426", "430481", "430482"]
let industries = ["F52", "H62", "C14", "Q84", "R87"]  // retail, catering, food manufacture, health, culture
let grades: [CreditGrade] = [.a, .a, .a, .a, .b, .b, .b, .c, .c, .d, .ungraded]
let subjects: [InspectionSubject] = (0..<subjectCount).map { i in
    InspectionSubject(
        id: USCC.withCheckCharacter("91430400" + String(format: "MA%07d", i))!,
        name: "市场主体\(i)",
        regionCode: counties[Int(random.next() % UInt64(counties.count))],
        industryCode: industries[Int(random.next() % UInt64(industries.count))],
        credit: grades[Int(random.next() % UInt64(grades.count))]
    )
}

/// Five departments, each with plans in December over the industries it supervises.
let departments: [(code: String, name: String, industries: [String], periods: [(String, String)])] = [
    ("HY-SCJG", "市场监管局", ["F52", "H62", "C14"], [("2026-12-01", "2026-12-20"), ("2026-12-10", "2026-12-31")]),
    ("HY-WJ", "卫健委", ["Q84", "H62"], [("2026-12-05", "2026-12-25")]),
    ("HY-YJ", "药监局", ["F52", "Q84"], [("2026-12-01", "2026-12-31")]),
    ("HY-WL", "文旅局", ["R87", "H62"], [("2026-12-15", "2026-12-31")]),
    ("HY-STHJ", "生态环境局", ["C14"], [("2026-12-01", "2026-12-15")]),
]

var visits: [VisitMerging.Visit] = []
var drawnPerDepartment: [String: Int] = [:]
var drawsThisYear: [String: Int] = [:]
let caps = FrequencyCaps.default
for (d, department) in departments.enumerated() {
    for (p, period) in department.periods.enumerated() {
        let planId = "\(department.code)-2026-12-\(p + 1)"
        let plan = RandomCheckPlan(
            planId: planId,
            name: planId,
            leadDepartment: department.code,
            items: [department.code: ["12345678901234"]],
            filter: SubjectFilter(regionCode: "430400", industryPrefixes: department.industries),
            periodStart: period.0,
            periodEnd: period.1
        )
        let candidates = subjects.filter(plan.filter.admits).map { RandomDraw.Candidate(id: $0.id, grade: $0.credit) }
        let skipped = Set(candidates.filter { caps.isCapped($0.grade, drawsThisYear: drawsThisYear[$0.id] ?? 0) }.map(\.id))
        let seed = DrawSeed(bytes: Array(SHA256.hash(data: Array("\(seedBase)-\(d)-\(p)".utf8))))!
        let outcome = RandomDraw.run(.init(plan: plan, seed: seed, candidates: candidates, skipped: skipped) { _, _ in ["X1", "X2"] })
        for task in outcome.tasks {
            drawsThisYear[task.subjectId, default: 0] += 1
            visits.append(
                .init(
                    taskId: task.taskId,
                    planId: planId,
                    department: department.code,
                    subjectId: task.subjectId,
                    periodStart: CalendarDate(period.0)!,
                    periodEnd: CalendarDate(period.1)!
                )
            )
        }
        drawnPerDepartment[department.code, default: 0] += outcome.tasks.count
        print("\(planId): \(candidates.count) candidates, \(outcome.tasks.count) drawn, \(skipped.count) skipped for their cap")
    }
}
let start = ContinuousClock.now
let proposals = VisitMerging.proposals(visits)
let elapsed = ContinuousClock.now - start
let counts = VisitMerging.visitCounts(tasks: visits.count, accepted: proposals)
let subjectsVisited = Set(visits.map(\.subjectId)).count
print("")
print("| subjects | plans | tasks (visits before) | merge proposals | visits after accepting all | saved | distinct subjects |")
print("| --- | --- | --- | --- | --- | --- | --- |")
print(
    "| \(subjectCount) | \(departments.reduce(0) { $0 + $1.periods.count }) | \(counts.before) | \(proposals.count) | \(counts.after) | \(counts.before - counts.after) (\(String(format: "%.1f", 100 * Double(counts.before - counts.after) / Double(max(counts.before, 1)))) %) | \(subjectsVisited) |"
)
print("merging took \(elapsed)")
