import HubModel
import Testing

@testable import Ingest

/// A record reporting a random-check task, against the task's plan, departments and drawn teams.
@Suite struct TaskResultCheckTests {
    let teams = ["P-1-S1": TaskTeams(planId: "P-1", departments: ["D1", "D2"], inspectors: ["D1": ["C1", "C2", "C9"], "D2": ["W1", "W2"]])]

    func record(planId: String? = "P-1", taskId: String? = "P-1-S1", inspectors: [String] = ["C1", "C2"]) -> CanonicalRecord {
        var members: [(String, JSONValue)] = [("localId", .string("R-1")), ("kind", .string("inspection"))]
        if let planId { members.append(("planId", .string(planId))) }
        if let taskId { members.append(("taskId", .string(taskId))) }
        let team: [JSONValue] = inspectors.map { .object([("name", .string("n")), ("certificateNo", .string($0))]) }
        members.append(("inspection", .object([("date", .string("2026-11-20T09:30:00+08:00")), ("inspectors", .array(team))])))
        return CanonicalRecord(tree: .object(members))
    }

    func codes(_ r: CanonicalRecord, department: String = "D1") -> [String] {
        TaskResultCheck.problems(r, department: department, teams: teams, path: "records[0]").map(\.code)
    }

    @Test func theDrawnTeamOrASubstituteReports() {
        #expect(codes(record()).isEmpty)
        #expect(codes(record(inspectors: ["C9", "C2"])).isEmpty)
        #expect(codes(record(inspectors: ["W1", "W2"]), department: "D2").isEmpty)
        #expect(codes(record(taskId: nil)).isEmpty)
        #expect(TaskResultCheck.checkedAt(record()) == "2026-11-20T09:30:00+08:00")
    }

    @Test func everyMismatchHasItsCodeAndPath() {
        #expect(codes(record(taskId: "P-1-S2")) == ["unknown_task"])
        #expect(codes(record(planId: "P-2")) == ["task_plan_mismatch"])
        #expect(codes(record(planId: nil)) == ["task_plan_mismatch"])
        #expect(codes(record(), department: "D3") == ["task_not_of_department"])
        let stranger = TaskResultCheck.problems(record(inspectors: ["C1", "W1"]), department: "D1", teams: teams, path: "records[0]")
        #expect(stranger.map(\.code) == ["inspector_not_drawn"])
        #expect(stranger.first?.path == "records[0].inspection.inspectors[1].certificateNo")
    }
}
