import Foundation
import HubModel
import Testing

@testable import Supervision

/// A plan's draw from what the store read, and the plan document the API and the store share.
@Suite struct PlanDrawTests {
    let seed = DrawSeed(hex: String(repeating: "cd", count: 32))!

    func plan(ratios: RatioTable = RatioTable(basisPoints: [.a: 10000, .b: 10000, .c: 10000, .d: 10000, .ungraded: 10000])) -> RandomCheckPlan {
        RandomCheckPlan(
            planId: "P-1",
            name: "plan",
            leadDepartment: "D1",
            participants: ["D2"],
            items: ["D1": ["12345678901234"], "D2": ["22345678901234"]],
            filter: SubjectFilter(regionCode: "430400"),
            ratios: ratios,
            inspectorsPerTask: 2,
            periodStart: "2026-12-01",
            periodEnd: "2026-12-31"
        )
    }

    func readings(inspectorsPerDepartment: Int = 3) -> PlanDraw.Readings {
        let subjects = [
            InspectionSubject(id: "S1", name: "s1", regionCode: "430405", credit: .a),
            InspectionSubject(id: "S2", name: "s2", regionCode: "430405", credit: .d),
            InspectionSubject(id: "S3", name: "s3", regionCode: "430500", credit: .d),
        ]
        let inspectors = ["D1", "D2"].flatMap { department in
            (0..<inspectorsPerDepartment).map {
                Inspector(departmentCode: department, certificateNo: "\(department)-\($0)", name: "i", regionCode: "430400")
            }
        }
        return PlanDraw.Readings(subjects: subjects, drawsThisYear: ["S1": 1], inspectors: inspectors, conflicts: [], lastTeams: [:])
    }

    @Test func theFilterFreezesTheCandidatesAndTheCapSkips() throws {
        guard case .drawn(let published, _) = PlanDraw.run(plan: plan(), seed: seed, caps: .default, readings: readings()) else {
            Issue.record("refused")
            return
        }
        #expect(published.candidates.map(\.id) == ["S1", "S2"])
        #expect(published.skipped == ["S1"])
        #expect(published.tasks.map(\.taskId) == ["P-1-S2"])
        #expect(published.tasks[0].inspectors.keys.sorted() == ["D1", "D2"])
        #expect(DrawVerification.problems(published).isEmpty)
        // The published form survives its JSON encoding unchanged.
        let decoded = try JSONDecoder().decode(PublishedDraw.self, from: JSONEncoder().encode(published))
        #expect(decoded == published)
    }

    @Test func aShortPoolRefusesTheWholeDraw() {
        guard case .refused(let shortfalls) = PlanDraw.run(plan: plan(), seed: seed, caps: .default, readings: readings(inspectorsPerDepartment: 1))
        else {
            Issue.record("drawn")
            return
        }
        #expect(Set(shortfalls.map(\.department)) == ["D1", "D2"])
    }

    @Test func thePlanDocumentReadsBackToTheSamePlan() {
        let original = plan()
        let read = RandomCheckPlan.read(original.json, defaultRatios: .default)
        #expect(read.errors.isEmpty)
        #expect(read.plan == original)
    }

    @Test func missingRatiosTakeTheDefaultsAndUnknownMembersAreRefused() throws {
        let value = try JSONParser().parse(
            Array(
                #"{"planId":"P","name":"n","leadDepartment":"D1","items":{"D1":["12345678901234"]},"ratios":{"A":50,"X":1},"periodStart":"2026-12-01","periodEnd":"2026-12-31","colour":"red"}"#
                    .utf8
            )
        )
        let read = RandomCheckPlan.read(value, defaultRatios: .default)
        #expect(read.plan == nil)
        #expect(Set(read.errors.map(\.path)) == ["colour", "ratios.X"])
        let fine = try JSONParser().parse(
            Array(
                #"{"planId":"P","name":"n","leadDepartment":"D1","items":{"D1":["12345678901234"]},"ratios":{"A":50},"periodStart":"2026-12-01","periodEnd":"2026-12-31"}"#
                    .utf8
            )
        )
        let plan = try #require(RandomCheckPlan.read(fine, defaultRatios: .default).plan)
        #expect(plan.ratios.basisPoints(for: .a) == 50)
        #expect(plan.ratios.basisPoints(for: .d) == 3000)
    }

    @Test func onlyProposalsWithANewTaskAreMade() {
        let day = { (text: String) in CalendarDate(text)! }
        let visits = [
            VisitMerging.Visit(
                taskId: "A-S1",
                planId: "A",
                department: "D1",
                subjectId: "S1",
                periodStart: day("2026-12-01"),
                periodEnd: day("2026-12-20")
            ),
            VisitMerging.Visit(
                taskId: "B-S1",
                planId: "B",
                department: "D2",
                subjectId: "S1",
                periodStart: day("2026-12-10"),
                periodEnd: day("2026-12-31")
            ),
            VisitMerging.Visit(
                taskId: "A-S2",
                planId: "A",
                department: "D1",
                subjectId: "S2",
                periodStart: day("2026-12-01"),
                periodEnd: day("2026-12-20")
            ),
            VisitMerging.Visit(
                taskId: "C-S2",
                planId: "C",
                department: "D3",
                subjectId: "S2",
                periodStart: day("2026-12-01"),
                periodEnd: day("2026-12-20")
            ),
        ]
        let proposals = PlanDraw.mergeProposals(visits, newTasks: ["B-S1"])
        #expect(proposals.map(\.taskIds) == [["A-S1", "B-S1"]])
        #expect(proposals.first?.windowStart == day("2026-12-10"))
    }
}
