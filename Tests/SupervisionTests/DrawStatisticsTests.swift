import Crypto
import Foundation
import HubModel
import Testing

@testable import Supervision

/// What the issue asks a draw to show over many draws: fairness, exact ratios, avoidance, frequency caps.
/// Seeds are derived from a counter (SHA-256 of it), so every run checks the same draws and a failure reproduces.
@Suite struct DrawStatisticsTests {
    static func seed(_ i: Int, _ salt: String = "") -> DrawSeed {
        DrawSeed(bytes: Array(SHA256.hash(data: Array("seed-\(salt)-\(i)".utf8))))!
    }

    static func plan(_ id: String, ratios: RatioTable, perTask: Int = 2, department: String = "D1") -> RandomCheckPlan {
        RandomCheckPlan(
            planId: id,
            name: id,
            leadDepartment: department,
            items: [department: ["12345678901234"]],
            ratios: ratios,
            inspectorsPerTask: perTask,
            periodStart: "2026-01-01",
            periodEnd: "2026-12-31"
        )
    }

    /// 2,000 draws of 10 from 100: every subject is expected 200 times. Pearson's χ² over the 100 counts has 99
    /// degrees of freedom; p > 0.01 holds when χ² < 134.642 (the 0.99 quantile of χ²(99)).
    @Test func everySubjectIsDrawnAsOftenAsChanceSays() async {
        let candidates = (0..<100).map { RandomDraw.Candidate(id: String(format: "91430400MA%08d", $0), grade: .c) }
        var counts: [String: Int] = [:]
        for i in 0..<2000 {
            // Thousands of synchronous draws: give the two-thread cooperative pool back between them, so other
            // suites running in parallel (deadline and timeout tests) are not starved.
            await Task.yield()
            let outcome = RandomDraw.run(
                .init(plan: Self.plan("P-\(i)", ratios: RatioTable(basisPoints: [.c: 1000])), seed: Self.seed(i), candidates: candidates, skipped: [])
                { _, _ in
                    ["X1", "X2"]
                }
            )
            #expect(outcome.tasks.count == 10)
            for task in outcome.tasks { counts[task.subjectId, default: 0] += 1 }
        }
        let expected = 2000.0 * 10 / 100
        let chiSquare = candidates.reduce(0.0) { sum, c in
            let observed = Double(counts[c.id] ?? 0)
            return sum + (observed - expected) * (observed - expected) / expected
        }
        #expect(chiSquare < 134.642, "χ² = \(chiSquare)")
        // And not suspiciously even either (p < 0.99 ⇔ χ² > 69.230): a draw that rotated through subjects would be.
        #expect(chiSquare > 69.230, "χ² = \(chiSquare)")
    }

    /// 1,000 generated plans with random strata sizes and ratios: each stratum draws exactly ceil(ratio × size).
    @Test func theRatioOfEveryCreditGradeIsMetExactly() async {
        var generator = SplitMix(seed: 12)
        for i in 0..<1000 {
            await Task.yield()
            var candidates: [RandomDraw.Candidate] = []
            var sizes: [CreditGrade: Int] = [:]
            var bp: [CreditGrade: Int] = [:]
            for grade in CreditGrade.allCases {
                let size = Int(generator.next() % 120)
                sizes[grade] = size
                bp[grade] = Int(generator.next() % 10001)
                candidates += (0..<size).map { RandomDraw.Candidate(id: "\(grade.rawValue)-\(i)-\($0)", grade: grade) }
            }
            let table = RatioTable(basisPoints: bp)
            let outcome = RandomDraw.run(
                .init(plan: Self.plan("R-\(i)", ratios: table), seed: Self.seed(i, "ratio"), candidates: candidates, skipped: []) { _, _ in
                    ["X1", "X2"]
                }
            )
            for grade in CreditGrade.allCases {
                let size = sizes[grade]!
                let exact = (bp[grade]! * size + 9999) / 10000
                #expect(exact == Int((Double(bp[grade]!) / 10000 * Double(size)).rounded(.up)) || bp[grade]! * size % 10000 == 0)
                #expect(outcome.tasks.filter { $0.grade == grade }.count == exact, "plan \(i) grade \(grade.rawValue)")
            }
        }
    }

    /// 10,000 tasks, 5 % of inspector–subject pairs in conflict: no conflicted inspector is ever drawn, and every
    /// task has its full team; with a pool too small the draw says so and draws nothing.
    @Test func conflictsAreAvoidedAndTeamsAreFull() {
        var generator = SplitMix(seed: 5)
        let inspectors = (0..<30).map { Inspector(departmentCode: "D1", certificateNo: "ZF\($0)", name: "检查员\($0)", regionCode: "430400") }
        let subjects = (0..<10_000).map { InspectionSubject(id: "S\($0)", name: "对象\($0)", regionCode: "430405", credit: .d) }
        var conflicts: [InterestConflict] = []
        for subject in subjects {
            for inspector in inspectors where generator.next() % 100 < 5 {
                conflicts.append(InterestConflict(certificateNo: inspector.certificateNo, subjectId: subject.id, reason: "亲属"))
            }
        }
        let conflicted = Set(conflicts.map { $0.certificateNo + "|" + $0.subjectId })
        let byId = Dictionary(uniqueKeysWithValues: subjects.map { ($0.id, $0) })
        let pool = InspectorPool(inspectors: inspectors, conflicts: conflicts, lastTeams: [:], specialty: nil)
        let outcome = RandomDraw.run(
            .init(
                plan: Self.plan("A-1", ratios: RatioTable(basisPoints: [.d: 10000]), perTask: 3),
                seed: Self.seed(1, "avoid"),
                candidates: subjects.map { .init(id: $0.id, grade: $0.credit) },
                skipped: []
            ) { department, subjectId in pool.eligible(department: department, subject: byId[subjectId]!) }
        )
        #expect(outcome.tasks.count == 10_000)
        #expect(Double(conflicts.count) / Double(subjects.count * inspectors.count) > 0.04)
        var drawnConflicts = 0
        for task in outcome.tasks {
            let team = task.inspectors["D1"] ?? []
            #expect(team.count == 3)
            #expect(Set(team).count == 3)
            drawnConflicts += team.filter { conflicted.contains($0 + "|" + task.subjectId) }.count
        }
        #expect(drawnConflicts == 0)

        // Two inspectors left, one of them in conflict with S0: the draw refuses and names the task.
        let small = InspectorPool(
            inspectors: Array(inspectors.prefix(2)),
            conflicts: [InterestConflict(certificateNo: "ZF0", subjectId: "S0", reason: "股东")],
            lastTeams: [:],
            specialty: nil
        )
        let refused = RandomDraw.run(
            .init(
                plan: Self.plan("A-2", ratios: RatioTable(basisPoints: [.d: 10000])),
                seed: Self.seed(2, "avoid"),
                candidates: [.init(id: "S0", grade: .d), .init(id: "S1", grade: .d)],
                skipped: []
            ) {
                department,
                subjectId in small.eligible(department: department, subject: byId[subjectId]!)
            }
        )
        #expect(refused.tasks.isEmpty)
        #expect(refused.shortfalls.map(\.taskId) == ["A-2-S0"])
    }

    /// Last time's team is not sent again, and inspectors outside the subject's region or without the specialty
    /// are not drawn.
    @Test func poolsExcludeLastTeamOtherRegionsAndOtherSpecialties() {
        let inspectors = [
            Inspector(departmentCode: "D1", certificateNo: "A", name: "a", regionCode: "430400", specialties: ["药品"]),
            Inspector(departmentCode: "D1", certificateNo: "B", name: "b", regionCode: "430405", specialties: ["药品"]),
            Inspector(departmentCode: "D1", certificateNo: "C", name: "c", regionCode: "430406", specialties: ["药品"]),
            Inspector(departmentCode: "D1", certificateNo: "D", name: "d", regionCode: "430405", specialties: ["食品"]),
            Inspector(departmentCode: "D1", certificateNo: "E", name: "e", regionCode: "430405", specialties: ["药品"], status: .suspended),
            Inspector(departmentCode: "D1", certificateNo: "F", name: "f", regionCode: "430405", specialties: ["药品"]),
        ]
        let subject = InspectionSubject(id: "S", name: "s", regionCode: "430405")
        let pool = InspectorPool(inspectors: inspectors, conflicts: [], lastTeams: ["D1|S": ["F"]], specialty: "药品")
        #expect(pool.eligible(department: "D1", subject: subject).sorted() == ["A", "B"])
        #expect(pool.eligible(department: "D2", subject: subject).isEmpty)
    }

    /// Three departments' plans in one year over the same 200 grade-A subjects (cap: once a year): no subject is
    /// drawn twice, and each plan's skipped list is exactly the subjects drawn before it.
    @Test func frequencyCapsHoldAcrossPlansOfSeveralDepartments() {
        let caps = FrequencyCaps.default
        let candidates = (0..<200).map { RandomDraw.Candidate(id: "S\($0)", grade: .a) }
        var drawsThisYear: [String: Int] = [:]
        for (i, department) in ["SCJG", "WJ", "YJ", "SCJG", "STHJ"].enumerated() {
            let skipped = Set(candidates.filter { caps.isCapped($0.grade, drawsThisYear: drawsThisYear[$0.id] ?? 0) }.map(\.id))
            #expect(skipped == Set(drawsThisYear.keys))
            let outcome = RandomDraw.run(
                .init(
                    plan: Self.plan("F-\(i)", ratios: RatioTable(basisPoints: [.a: 2000]), department: department),
                    seed: Self.seed(i, "cap"),
                    candidates: candidates,
                    skipped: skipped
                ) { _, _ in
                    ["X1", "X2"]
                }
            )
            #expect(outcome.tasks.count == 40)
            for task in outcome.tasks {
                #expect(!skipped.contains(task.subjectId))
                drawsThisYear[task.subjectId, default: 0] += 1
            }
        }
        #expect(drawsThisYear.values.allSatisfy { $0 == 1 })
        #expect(drawsThisYear.count == 200)
        // Grades without a cap are drawn again.
        #expect(!caps.isCapped(.d, drawsThisYear: 5))
    }
}

/// A small deterministic generator (SplitMix64), so generated plans are the same on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
