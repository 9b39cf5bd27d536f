import Foundation
import HubModel
import Testing

@testable import Supervision

/// The draw's published algorithm, step by step, against values computed by hand.
@Suite struct DrawAlgorithmTests {
    let seed = DrawSeed(hex: String(repeating: "ab", count: 32))!

    func plan(_ id: String = "P-1", min: Int = 0, max: Int = 1_000_000, ratios: RatioTable = .default, participants: [String] = []) -> RandomCheckPlan
    {
        RandomCheckPlan(
            planId: id,
            name: "plan",
            leadDepartment: "D1",
            participants: participants,
            items: ["D1": ["12345678901234"]],
            ratios: ratios,
            minimumCount: min,
            maximumCount: max,
            periodStart: "2026-12-01",
            periodEnd: "2026-12-31"
        )
    }

    @Test func commitmentIsSHA256OfTheSeedBytes() {
        // SHA-256 of 32 bytes 0xab, computed independently with Python's hashlib.
        #expect(seed.commitment == "9a2db2e23f1504cd056606553ac049c5e718e8f9ce9233876df1a7a1821af885")
        #expect(DrawSeed(hex: seed.hex) == seed)
        #expect(DrawSeed(hex: "00") == nil)
    }

    @Test func quotaIsTheCeilingInBasisPoints() {
        let table = RatioTable(basisPoints: [.a: 100, .b: 250, .c: 1000, .d: 10000, .ungraded: 0])
        #expect(table.quota(for: .a, size: 0) == 0)
        #expect(table.quota(for: .a, size: 1) == 1)
        #expect(table.quota(for: .a, size: 100) == 1)
        #expect(table.quota(for: .a, size: 101) == 2)
        #expect(table.quota(for: .b, size: 40) == 1)
        #expect(table.quota(for: .b, size: 41) == 2)
        #expect(table.quota(for: .d, size: 7) == 7)
        #expect(table.quota(for: .ungraded, size: 1000) == 0)
        #expect(RatioTable.basisPoints(percent: "2.5") == 250)
        #expect(RatioTable.basisPoints(percent: "0.75") == 75)
        #expect(RatioTable.basisPoints(percent: "100") == 10000)
        #expect(RatioTable.basisPoints(percent: "100.01") == nil)
        #expect(RatioTable.basisPoints(percent: "1.234") == nil)
        #expect(table.percentText(for: .b) == "2.5")
    }

    @Test func sameInputSameTasksAndTheRankingIsTheHMACOrder() {
        let candidates = (0..<50).map { RandomDraw.Candidate(id: String(format: "S%03d", $0), grade: .c) }
        let input = RandomDraw.Input(plan: plan(), seed: seed, candidates: candidates, skipped: []) { _, _ in ["X1", "X2", "X3"] }
        let first = RandomDraw.run(input)
        #expect(first == RandomDraw.run(input))
        // C at 10 %: ceil(0.1 × 50) = 5, the five smallest HMACs.
        let expected = candidates.map(\.id).sorted { seed.objectRank(planId: "P-1", subjectId: $0) < seed.objectRank(planId: "P-1", subjectId: $1) }
        #expect(Set(first.tasks.map(\.subjectId)) == Set(expected.prefix(5)))
        #expect(first.tasks.map(\.taskId) == first.tasks.map(\.taskId).sorted())
        for task in first.tasks {
            let team = ["X1", "X2", "X3"].sorted {
                seed.inspectorRank(taskId: task.taskId, certificateNo: $0) < seed.inspectorRank(taskId: task.taskId, certificateNo: $1)
            }
            #expect(task.inspectors["D1"] == Array(team.prefix(2)))
        }
    }

    @Test func skippedSubjectsAreReplacedByTheNextInRank() {
        let candidates = (0..<20).map { RandomDraw.Candidate(id: "S\($0)", grade: .d) }
        let ratios = RatioTable(basisPoints: [.d: 1000])
        let all = RandomDraw.run(.init(plan: plan(ratios: ratios), seed: seed, candidates: candidates, skipped: []) { _, _ in ["X1", "X2"] })
        let first = all.tasks[0].subjectId
        let again = RandomDraw.run(.init(plan: plan(ratios: ratios), seed: seed, candidates: candidates, skipped: [first]) { _, _ in ["X1", "X2"] })
        #expect(all.tasks.count == 2 && again.tasks.count == 2)
        #expect(!again.tasks.contains { $0.subjectId == first })
        #expect(again.strata.first { $0.grade == .d }?.size == 20)
    }

    @Test func maximumCutsLowRiskStrataFirstAndMinimumFillsByRank() {
        var candidates = (0..<10).map { RandomDraw.Candidate(id: "D\($0)", grade: .d) }
        candidates += (0..<100).map { RandomDraw.Candidate(id: "A\($0)", grade: .a) }
        let ratios = RatioTable(basisPoints: [.d: 5000, .a: 1000])
        let capped = RandomDraw.run(
            .init(plan: plan(max: 6, ratios: ratios), seed: seed, candidates: candidates, skipped: []) { _, _ in ["X1", "X2"] }
        )
        #expect(capped.tasks.count == 6)
        #expect(capped.tasks.filter { $0.grade == .d }.count == 5)
        let filled = RandomDraw.run(
            .init(plan: plan(min: 30, ratios: RatioTable(basisPoints: [:])), seed: seed, candidates: candidates, skipped: []) { _, _ in ["X1", "X2"] }
        )
        #expect(filled.tasks.count == 30 && filled.filledToMinimum == 30)
    }

    @Test func aPoolTooSmallRefusesTheWholeDraw() {
        let candidates = (0..<10).map { RandomDraw.Candidate(id: "S\($0)", grade: .d) }
        let outcome = RandomDraw.run(
            .init(plan: plan(participants: ["D2"]), seed: seed, candidates: candidates, skipped: []) { department, _ in
                department == "D2" ? ["Y1"] : ["X1", "X2"]
            }
        )
        #expect(!outcome.succeeded)
        #expect(outcome.tasks.isEmpty)
        #expect(outcome.shortfalls.allSatisfy { $0.department == "D2" && $0.eligible == 1 && $0.needed == 2 })
    }

    @Test func aPublishedDrawVerifiesAndATamperedOneDoesNot() {
        let candidates = (0..<40).map { RandomDraw.Candidate(id: "S\($0)", grade: CreditGrade.allCases[$0 % 5]) }
        let p = plan(participants: ["D2"])
        let outcome = RandomDraw.run(.init(plan: p, seed: seed, candidates: candidates, skipped: ["S3"]) { d, s in [d + "a", d + "b", d + "c", s] })
        let published = PublishedDraw(plan: p, seed: seed, candidates: candidates, skipped: ["S3"], outcome: outcome)
        #expect(DrawVerification.problems(published).isEmpty)
        var tampered = published
        tampered.tasks[0].inspectors["D1"] = tampered.tasks[0].pools["D1"].map { Array($0.suffix(2)) }
        if tampered != published { #expect(!DrawVerification.problems(tampered).isEmpty) }
        var otherSeed = published
        otherSeed.seed = DrawSeed.random().hex
        #expect(!DrawVerification.problems(otherSeed).isEmpty)
    }
}

/// The draw's own HMAC (keyed states copied per message) against swift-crypto's `HMAC<SHA256>`.
@Suite struct RankerTests {
    @Test func theRankIsTheHMACItself() {
        let seed = DrawSeed.random()
        let ranker = seed.ranker(prefix: "object|P-1|")
        for id in ["", "91430405MA4L000001", "雁城", String(repeating: "x", count: 200)] {
            let rank = ranker.rank(id)
            let hex = seed.objectRank(planId: "P-1", subjectId: id)
            let words = [rank.a, rank.b, rank.c, rank.d].map { word in
                (0..<8).reversed().map { String(format: "%02x", (word >> (8 * UInt64($0))) & 0xFF) }.joined()
            }
            #expect(words.joined() == hex)
        }
    }
}
