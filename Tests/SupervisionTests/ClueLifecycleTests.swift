import Foundation
import HubModel
import Supervision
import Testing

/// The clue lifecycle (核查处置) as pure rules: every transition and refusal, due dates in working days across a
/// weekend, a holiday and a 调休 working Saturday, the overdue day, and a year without a calendar.
@Suite("Clue lifecycle")
struct ClueLifecycleTests {
    static let calendar: WorkingDays = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let years = [2025, 2026].map { year in
            let file = "Mappings/calendar/\(year).csv"
            return try! CalendarYear.parse(String(contentsOf: root.appendingPathComponent(file), encoding: .utf8), file: "\(year).csv")
        }
        return WorkingDays(years)
    }()

    static func day(_ text: String) -> CalendarDate { CalendarDate(text)! }
    static let short = ClueDeadlines(verificationDays: 2, disposalDays: 3)
    static let ops = ClueActor.ops(username: "ops1", departments: nil)
    static let scjg = ClueActor.department("HY-SCJG")

    static func run(
        _ state: ClueState,
        _ step: ClueStep,
        _ actor: ClueActor,
        on today: String = "2026-11-02",
        deadlines: ClueDeadlines = .standard
    ) -> ClueLifecycle.Outcome {
        ClueLifecycle.plan(state, step: step, actor: actor, today: day(today), calendar: calendar, deadlines: deadlines)
    }

    static func applied(_ outcome: ClueLifecycle.Outcome, sourceLocation: SourceLocation = #_sourceLocation) -> ClueLifecycle.Plan? {
        guard case .apply(let plan) = outcome else {
            Issue.record("expected a plan, got \(outcome)", sourceLocation: sourceLocation)
            return nil
        }
        return plan
    }

    static func refusal(_ outcome: ClueLifecycle.Outcome) -> String? {
        if case .refused(let r) = outcome { r.code } else { nil }
    }

    static func assigned(_ origin: ClueOrigin = .province, on today: String = "2026-11-02") -> ClueState {
        applied(run(ClueState(clueId: "FX-1", origin: origin), .assign(department: "HY-SCJG"), ops, on: today))!.state
    }

    static func verified(_ origin: ClueOrigin = .province) -> ClueState {
        applied(run(assigned(origin), .verify(ClueVerification(verdict: .truePositive, findings: "现场核实销售处方药未审方")), scjg, on: "2026-11-05"))!.state
    }

    @Test("assigned → verified → disposed (case opened) → closed: one ledger entry and one feedback row per step")
    func wholePath() throws {
        let start = ClueState(clueId: "FX-1", origin: .province)
        let a = try #require(Self.applied(Self.run(start, .assign(department: "HY-SCJG"), Self.ops)))
        #expect(a.state.status == .assigned && a.state.department == "HY-SCJG")
        #expect(a.state.verificationDue == Self.day("2026-11-23") && a.state.overdueFrom == Self.day("2026-11-24"))
        #expect(a.events.map(\.kind) == [.clueAssigned] && a.feedback.map(\.key) == ["FX-1:assigned"])
        #expect(a.events[0].payload["actor"]?.stringValue == "ops:ops1")

        let v = try #require(
            Self.applied(Self.run(a.state, .verify(ClueVerification(verdict: .truePositive, findings: "属实")), Self.scjg, on: "2026-11-05"))
        )
        #expect(v.state.status == .verified && v.state.verifiedOn == Self.day("2026-11-05"))
        // 15 working days from Thu 2026-11-05: Nov 26 (Thu); overdue from Fri Nov 27.
        #expect(v.state.disposalDue == Self.day("2026-11-26") && v.state.overdueFrom == Self.day("2026-11-27"))
        #expect(v.events.map(\.kind) == [.clueVerified] && v.feedback.map(\.step) == ["verified"])

        let d = try #require(Self.applied(Self.run(v.state, .dispose(.caseOpened(caseNumber: "衡市监立〔2026〕9号")), Self.scjg, on: "2026-11-10")))
        #expect(d.state.status == .disposed && d.state.overdueFrom == nil && d.state.disposition == .caseOpened(caseNumber: "衡市监立〔2026〕9号"))
        #expect(d.feedback[0].body["disposition"]?["caseNumber"]?.stringValue == "衡市监立〔2026〕9号")

        let c = try #require(Self.applied(Self.run(d.state, .close(note: "已立案"), Self.scjg, on: "2026-11-11")))
        #expect(c.state.status == .closed && c.state.closedOn == Self.day("2026-11-11"))
        #expect(c.events.map(\.kind) == [.clueClosed] && c.feedback.map(\.key) == ["FX-1:closed"])
        // Every payload and feedback body is a document the province's parser takes (no member twice).
        for plan in [a, v, d, c] {
            for body in plan.events.map(\.payload) + plan.feedback.map(\.body) {
                #expect(throws: Never.self) { try JSONParser().parse(Array(CanonicalJSON.string(body).utf8)) }
            }
        }
    }

    @Test("a city warning follows the same path, each step reported to the province with its origin")
    func cityStepsReachTheProvince() throws {
        let a = try #require(Self.applied(Self.run(ClueState(clueId: "W00000001", origin: .city), .assign(department: "HY-SCJG"), .hub)))
        #expect(a.events.count == 1 && a.feedback.map(\.key) == ["W00000001:assigned"])
        #expect(a.feedback[0].body["origin"]?.stringValue == "city")
        let v = Self.verified(.city)
        let d = try #require(Self.applied(Self.run(v, .dispose(.noProblem), Self.scjg)))
        #expect(d.feedback.map(\.step) == ["disposed"] && d.state.status == .disposed)
    }

    @Test("a false positive closes at once with the implied disposition no_problem")
    func falsePositiveCloses() throws {
        let p = try #require(
            Self.applied(Self.run(Self.assigned(), .verify(ClueVerification(verdict: .falsePositive, findings: "持证经营，误报")), Self.scjg))
        )
        #expect(p.state.status == .closed && p.state.disposition == .noProblem && p.state.overdueFrom == nil)
        #expect(p.events.map(\.kind) == [.clueVerified, .clueClosed])
        #expect(p.events[1].payload["implied"] == .bool(true))
        #expect(p.feedback.map(\.key) == ["FX-1:verified", "FX-1:closed"])
        // Resending the same verification is a duplicate; closing again too.
        if case .duplicate = Self.run(p.state, .verify(ClueVerification(verdict: .falsePositive, findings: "持证经营，误报")), Self.scjg) {
        } else {
            Issue.record("a resent verification is a duplicate")
        }
        #expect(Self.refusal(Self.run(p.state, .verify(ClueVerification(verdict: .truePositive, findings: "x")), Self.scjg)) == "clue_closed")
        #expect(Self.refusal(Self.run(p.state, .dispose(.noProblem), Self.scjg)) == "clue_closed")
    }

    @Test("every disposition kind is kept with its members; reassignment restarts the deadline; resends are duplicates")
    func dispositionsAndReassignment() throws {
        let v = Self.verified()
        for disposition in [
            ClueDisposition.noProblem, .rectificationOrdered(deadline: Self.day("2026-12-31")), .caseOpened(caseNumber: "A-1"),
            .transferred(department: "HY-WJ", reason: "属卫健职责"),
        ] {
            let d = try #require(Self.applied(Self.run(v, .dispose(disposition), Self.scjg, on: "2026-11-06")))
            #expect(d.state.disposition == disposition && ClueDisposition(json: disposition.json) == disposition)
            if case .duplicate = Self.run(d.state, .dispose(disposition), Self.scjg) {} else { Issue.record("a resent disposition is a duplicate") }
        }
        let a = Self.assigned()
        if case .duplicate = Self.run(a, .assign(department: "HY-SCJG"), Self.ops) {} else { Issue.record("the same assignment is a duplicate") }
        let re = try #require(Self.applied(Self.run(a, .assign(department: "HY-WJ"), Self.ops, on: "2026-11-04")))
        #expect(re.state.department == "HY-WJ" && re.state.verificationDue == Self.day("2026-11-25"))
        #expect(re.events[0].payload["reassignedFrom"]?.stringValue == "HY-SCJG")
    }

    @Test("refusals: wrong department, out of order, missing findings, case number, transfer members, closed, scope")
    func refusals() {
        let pending = ClueState(clueId: "FX-1", origin: .province)
        let a = Self.assigned()
        let v = Self.verified()
        let wj = ClueActor.department("HY-WJ")
        let truePositive = ClueVerification(verdict: .truePositive, findings: "属实")
        #expect(Self.refusal(Self.run(a, .verify(truePositive), wj)) == "wrong_department")
        #expect(Self.refusal(Self.run(a, .verify(truePositive), Self.ops)) == nil, "ops answer in the console for the department")
        let wjOps = ClueActor.ops(username: "wj-ops", departments: ["HY-WJ"])
        #expect(Self.refusal(Self.run(a, .verify(truePositive), wjOps)) == "wrong_department", "but only within their scope")
        #expect(Self.refusal(Self.run(pending, .verify(truePositive), Self.scjg)) == "wrong_department")
        #expect(Self.refusal(Self.run(a, .dispose(.noProblem), Self.scjg)) == "step_out_of_order")
        #expect(Self.refusal(Self.run(a, .close(note: ""), Self.scjg)) == "step_out_of_order")
        #expect(Self.refusal(Self.run(v, .close(note: ""), Self.scjg)) == "step_out_of_order")
        #expect(Self.refusal(Self.run(v, .verify(ClueVerification(verdict: .falsePositive, findings: "改口")), Self.scjg)) == "step_out_of_order")
        #expect(Self.refusal(Self.run(v, .assign(department: "HY-WJ"), Self.ops)) == "step_out_of_order")
        #expect(Self.refusal(Self.run(a, .verify(ClueVerification(verdict: .truePositive, findings: "  ")), Self.scjg)) == "findings_required")
        #expect(Self.refusal(Self.run(v, .dispose(.caseOpened(caseNumber: " ")), Self.scjg)) == "case_number_required")
        #expect(Self.refusal(Self.run(v, .dispose(.transferred(department: "", reason: "r")), Self.scjg)) == "transfer_department_required")
        #expect(Self.refusal(Self.run(v, .dispose(.transferred(department: "HY-WJ", reason: "")), Self.scjg)) == "transfer_reason_required")
        #expect(Self.refusal(Self.run(v, .dispose(.transferred(department: "HY-SCJG", reason: "r")), Self.scjg)) == "transfer_to_self")
        #expect(
            Self.refusal(Self.run(v, .dispose(.rectificationOrdered(deadline: Self.day("2026-11-01"))), Self.scjg, on: "2026-11-06"))
                == "deadline_in_past"
        )
        #expect(Self.refusal(Self.run(pending, .assign(department: " "), Self.ops)) == "department_required")
        #expect(Self.refusal(Self.run(pending, .assign(department: "HY-SCJG"), Self.scjg)) == "assignment_by_ops_only")
        let scoped = ClueActor.ops(username: "wj-ops", departments: ["HY-WJ"])
        #expect(Self.refusal(Self.run(pending, .assign(department: "HY-SCJG"), scoped)) == "department_out_of_scope")
        #expect(Self.refusal(Self.run(a, .assign(department: "HY-WJ"), scoped)) == "department_out_of_scope", "nor take another's clue away")
        var closed = v
        closed.status = .closed
        #expect(Self.refusal(Self.run(closed, .assign(department: "HY-WJ"), Self.ops)) == "clue_closed")
        if case .refused(let r) = Self.run(a, .verify(truePositive), wj) {
            #expect(r.kind == .forbidden && !r.error.messageZh.isEmpty && !r.error.messageEn.isEmpty)
        }
    }

    @Test("due dates in working days: over a weekend, over 国庆 onto a 调休 Saturday, and a Friday deadline overdue on Monday")
    func dueDates() throws {
        // Wed 2026-11-11 + 2 working days = Fri Nov 13; overdue from Mon Nov 16, not Saturday.
        let weekend = try #require(
            Self.applied(
                Self.run(ClueState(clueId: "W1", origin: .city), .assign(department: "HY-SCJG"), .hub, on: "2026-11-11", deadlines: Self.short)
            )
        )
        #expect(weekend.state.verificationDue == Self.day("2026-11-13") && weekend.state.overdueFrom == Self.day("2026-11-16"))
        // Wed 2026-09-30 + 2: Oct 1–7 are holidays → Thu Oct 8, Fri Oct 9; overdue from Sat Oct 10 (调休上班).
        let holiday = try #require(
            Self.applied(
                Self.run(ClueState(clueId: "W2", origin: .city), .assign(department: "HY-SCJG"), .hub, on: "2026-09-30", deadlines: Self.short)
            )
        )
        #expect(holiday.state.verificationDue == Self.day("2026-10-09") && holiday.state.overdueFrom == Self.day("2026-10-10"))
        // Fri 2026-10-09 + 1: the 调休 Saturday counts as a working day.
        let saturday = try ClueDeadlines.due(1, after: Self.day("2026-10-09"), calendar: Self.calendar)
        #expect(saturday.due == Self.day("2026-10-10") && saturday.overdueFrom == Self.day("2026-10-12"))
        // Disposal from the verification day: Fri 2026-09-18 + 3 → Sun Sep 20 is 调休上班: Sep 20, 21, 22.
        var a = weekend.state
        a.clueId = "W3"
        let v = try #require(
            Self.applied(
                Self.run(a, .verify(ClueVerification(verdict: .truePositive, findings: "属实")), Self.scjg, on: "2026-09-18", deadlines: Self.short)
            )
        )
        #expect(v.state.disposalDue == Self.day("2026-09-22") && v.state.overdueFrom == Self.day("2026-09-23"))
    }

    @Test("overdue from the first working day after the due date, flagged once per phase")
    func overdue() throws {
        let a = try #require(
            Self.applied(
                Self.run(ClueState(clueId: "W1", origin: .city), .assign(department: "HY-SCJG"), .hub, on: "2026-11-11", deadlines: Self.short)
            )
        ).state
        #expect(!a.isOverdue(on: Self.day("2026-11-13")), "the due day itself is in time")
        #expect(!a.isOverdue(on: Self.day("2026-11-14")) && !a.isOverdue(on: Self.day("2026-11-15")), "the weekend after is not yet overdue")
        #expect(ClueLifecycle.escalation(a, today: Self.day("2026-11-15")) == nil)
        let flagged = try #require(ClueLifecycle.escalation(a, today: Self.day("2026-11-16")))
        #expect(flagged.events.map(\.kind) == [.clueOverdue] && flagged.feedback.isEmpty)
        #expect(flagged.events[0].payload["dueOn"]?.stringValue == "2026-11-13" && flagged.events[0].payload["phase"]?.stringValue == "assigned")
        #expect(ClueLifecycle.escalation(flagged.state, today: Self.day("2026-11-20")) == nil, "flagged once")
        // Verified late: the disposal phase gets its own deadline and its own flag.
        let v = try #require(
            Self.applied(
                Self.run(
                    flagged.state,
                    .verify(ClueVerification(verdict: .truePositive, findings: "属实")),
                    Self.scjg,
                    on: "2026-11-17",
                    deadlines: Self.short
                )
            )
        ).state
        #expect(!v.isOverdue(on: Self.day("2026-11-20")) && v.isOverdue(on: Self.day("2026-11-23")))
        #expect(ClueLifecycle.escalation(v, today: Self.day("2026-11-23"))?.state.escalatedPhase == .verified)
        let d = try #require(Self.applied(Self.run(v, .dispose(.noProblem), Self.scjg, on: "2026-11-24"))).state
        #expect(!d.isOverdue(on: Self.day("2026-12-31")) && ClueLifecycle.escalation(d, today: Self.day("2026-12-31")) == nil)
    }

    @Test("a deadline in a year without a calendar is the operator's error, not a guess")
    func missingYear() {
        let outcome = Self.run(ClueState(clueId: "W1", origin: .city), .assign(department: "HY-SCJG"), Self.ops, on: "2026-12-28")
        guard case .refused(let r) = outcome else {
            Issue.record("expected a refusal")
            return
        }
        #expect(r.code == "calendar_year_missing" && r.kind == .calendarMissing && r.error.messageEn.contains("2027"))
    }
}
