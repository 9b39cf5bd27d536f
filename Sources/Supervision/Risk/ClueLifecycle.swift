import Foundation
import HubModel

/// The one lifecycle of clues (核查处置), as a pure function of (clue state, step, actor, today, calendar).
///
/// 待分派 pending → 已分派 assigned (to one department; verification due `verificationDays` working days later) →
/// 已核查 verified (true or false positive, with findings; disposal due `disposalDays` working days later) →
/// 已处置 disposed (no problem, rectification ordered by a date, case opened with its number, transferred) →
/// 已办结 closed.
///
/// **A false positive closes at once**: its verification is the conclusion, so the step records the verification and
/// the closure together (disposition `no_problem` implied, two ledger entries, two feedback rows for the province) —
/// a department never "disposes of" nothing. A true positive must be disposed of and then closed by the department.
///
/// Reassignment: ops may assign an assigned clue to another department until it is verified (the deadline starts
/// again). Every step but assignment is the assigned department's alone. A step already taken with the same content
/// answers `duplicate` (a department may resend after a lost answer), with no ledger entry and no feedback.
public enum ClueLifecycle {
    /// A ledger entry the store writes for the step: its kind and canonical payload.
    public struct Event: Sendable, Hashable {
        public var kind: LedgerKind
        public var payload: JSONValue
    }

    /// A row for the province (`clue_feedback`): the step it reports and its body. The outbox key is
    /// `clueId:step`, so each step reaches the province once, however often delivery is retried.
    public struct Feedback: Sendable, Hashable {
        public var step: String
        public var body: JSONValue
        public var key: String
    }

    /// What the store writes: the new state, the ledger entries and the feedback rows for the province.
    public struct Plan: Sendable, Hashable {
        public var state: ClueState
        public var events: [Event]
        public var feedback: [Feedback]
    }

    public enum Outcome: Sendable, Hashable {
        case apply(Plan)
        /// The step was already taken with the same content: nothing to write.
        case duplicate(ClueState)
        case refused(ClueRefusal)
    }

    /// Decides one step. `today` is the day of the act in Asia/Shanghai; due dates are counted from it.
    public static func plan(
        _ state: ClueState,
        step: ClueStep,
        actor: ClueActor,
        today: CalendarDate,
        calendar: WorkingDays,
        deadlines: ClueDeadlines = .standard
    ) -> Outcome {
        do {
            return try decide(state, step: step, actor: actor, today: today, calendar: calendar, deadlines: deadlines)
        } catch {
            return .refused(error)
        }
    }

    static func decide(
        _ state: ClueState,
        step: ClueStep,
        actor: ClueActor,
        today: CalendarDate,
        calendar: WorkingDays,
        deadlines: ClueDeadlines
    ) throws(ClueRefusal) -> Outcome {
        var next = state
        switch step {
        case .assign(let department):
            let target = department.trimmed
            guard !target.isEmpty else {
                throw ClueRefusal.required("department", code: "department_required", zh: "需要指定承办部门", en: "a department is required")
            }
            switch actor {
            case .department:
                throw ClueRefusal(.forbidden, path: "clueId", code: "assignment_by_ops_only", zh: "线索只能由运维分派", en: "only ops assign clues")
            case .ops(_, let scope?):
                guard scope.contains(target), state.department.map({ scope.contains($0) }) ?? true else {
                    throw ClueRefusal(
                        .forbidden,
                        path: "department",
                        code: "department_out_of_scope",
                        zh: "您的账号不能代表该部门分派",
                        en: "your account does not act for this department"
                    )
                }
            case .ops, .hub: break
            }
            if state.status == .closed { throw ClueRefusal.closed }
            if state.status == .assigned, state.department == target { return .duplicate(state) }
            guard state.status == .pending || state.status == .assigned else {
                throw ClueRefusal.outOfOrder("assignment", status: state.status, needs: "再分派（已核查的线索不能改派）")
            }
            let due = try dueDates(deadlines.verificationDays, after: today, calendar: calendar)
            next.status = .assigned
            next.department = target
            next.assignedOn = today
            next.verificationDue = due.due
            next.overdueFrom = due.overdueFrom
            // A reassigned clue's new deadline may be flagged again.
            next.escalatedPhase = nil
            // `department` is among every step's common members (the new one's).
            var members: [(String, JSONValue)] = [("verificationDue", .string(due.due.description))]
            if let previous = state.department, state.status == .assigned { members.append(("reassignedFrom", .string(previous))) }
            return .apply(plan(state, next, kind: .clueAssigned, step: step, actor: actor, today: today, members: members))

        case .verify(let verification):
            try actsAsAssigned(state, actor)
            if let recorded = state.verification {
                if recorded == verification { return .duplicate(state) }
                if state.status == .closed { throw ClueRefusal.closed }
                throw ClueRefusal.outOfOrder("verification", status: state.status, needs: "再次核查")
            }
            if state.status == .closed { throw ClueRefusal.closed }
            guard state.status == .assigned else { throw ClueRefusal.outOfOrder("verification", status: state.status, needs: "核查（尚未分派）") }
            guard !verification.findings.trimmed.isEmpty else {
                throw ClueRefusal.required("findings", code: "findings_required", zh: "需要填写核查情况", en: "the findings are required")
            }
            next.verification = verification
            next.verifiedOn = today
            let members: [(String, JSONValue)] = [("verification", verification.json)]
            if verification.verdict == .falsePositive {
                next.status = .closed
                next.disposition = .noProblem
                next.closedOn = today
                next.overdueFrom = nil
                var verified = state
                verified.status = .verified
                verified.verification = verification
                verified.verifiedOn = today
                let first = plan(state, verified, kind: .clueVerified, step: step, actor: actor, today: today, members: members)
                let second = plan(
                    verified,
                    next,
                    kind: .clueClosed,
                    step: .close(note: "误报，核查后办结"),
                    actor: actor,
                    today: today,
                    members: [("disposition", ClueDisposition.noProblem.json), ("implied", .bool(true))]
                )
                return .apply(Plan(state: next, events: first.events + second.events, feedback: first.feedback + second.feedback))
            }
            let due = try dueDates(deadlines.disposalDays, after: today, calendar: calendar)
            next.status = .verified
            next.disposalDue = due.due
            next.overdueFrom = due.overdueFrom
            return .apply(
                plan(
                    state,
                    next,
                    kind: .clueVerified,
                    step: step,
                    actor: actor,
                    today: today,
                    members: members + [("disposalDue", .string(due.due.description))]
                )
            )

        case .dispose(let disposition):
            try actsAsAssigned(state, actor)
            if let recorded = state.disposition, state.verification?.verdict == .truePositive {
                if recorded == disposition { return .duplicate(state) }
                if state.status == .closed { throw ClueRefusal.closed }
                throw ClueRefusal.outOfOrder("disposition", status: state.status, needs: "再次处置")
            }
            if state.status == .closed { throw ClueRefusal.closed }
            guard state.status == .verified else { throw ClueRefusal.outOfOrder("disposition", status: state.status, needs: "处置（须先核查）") }
            try check(disposition, state: state, today: today)
            next.status = .disposed
            next.disposition = disposition
            next.disposedOn = today
            next.overdueFrom = nil
            return .apply(
                plan(state, next, kind: .clueDisposed, step: step, actor: actor, today: today, members: [("disposition", disposition.json)])
            )

        case .close(let note):
            try actsAsAssigned(state, actor)
            if state.status == .closed { return .duplicate(state) }
            guard state.status == .disposed else { throw ClueRefusal.outOfOrder("closure", status: state.status, needs: "办结（须先处置）") }
            next.status = .closed
            next.closedOn = today
            next.overdueFrom = nil
            return .apply(plan(state, next, kind: .clueClosed, step: step, actor: actor, today: today, members: [("note", .string(note))]))
        }
    }

    /// The overdue pass for one clue: flagged once per phase (`clue_overdue`, shown to ops) from the first working
    /// day after its due date; nil when it is not overdue or was flagged already for this phase.
    public static func escalation(_ state: ClueState, today: CalendarDate) -> Plan? {
        guard state.isOverdue(on: today), state.escalatedPhase != state.status else { return nil }
        var next = state
        next.escalatedPhase = state.status
        let due = state.status == .assigned ? state.verificationDue : state.disposalDue
        let payload = JSONValue.object([
            ("clueId", .string(state.clueId)), ("origin", .string(state.origin.rawValue)), ("department", .text(state.department)),
            ("phase", .string(state.status.rawValue)), ("dueOn", .text(due?.description)),
            ("overdueFrom", .text(state.overdueFrom?.description)), ("flaggedOn", .string(today.description)),
        ])
        return Plan(state: next, events: [Event(kind: .clueOverdue, payload: payload)], feedback: [])
    }

    // MARK: - Parts

    /// The assigned department answers through its system; ops staff answer in the console on its behalf (a
    /// department without a system, an officer reporting by phone) when their scope covers it. The step's actor
    /// is recorded either way.
    static func actsAsAssigned(_ state: ClueState, _ actor: ClueActor) throws(ClueRefusal) {
        guard let assigned = state.department else { throw ClueRefusal.wrongDepartment(nil) }
        switch actor {
        case .department(let code) where code == assigned: return
        case .ops(_, nil): return
        case .ops(_, let scope?) where scope.contains(assigned): return
        default: throw ClueRefusal.wrongDepartment(assigned)
        }
    }

    static func check(_ disposition: ClueDisposition, state: ClueState, today: CalendarDate) throws(ClueRefusal) {
        switch disposition {
        case .noProblem: break
        case .rectificationOrdered(let deadline):
            guard deadline >= today else {
                throw ClueRefusal.required(
                    "disposition.deadline",
                    code: "deadline_in_past",
                    zh: "整改期限不能早于今天",
                    en: "the rectification deadline is before today"
                )
            }
        case .caseOpened(let number):
            guard !number.trimmed.isEmpty else {
                throw ClueRefusal.required(
                    "disposition.caseNumber",
                    code: "case_number_required",
                    zh: "立案查处需要案件编号",
                    en: "a case opened needs its case number"
                )
            }
        case .transferred(let department, let reason):
            guard !department.trimmed.isEmpty else {
                throw ClueRefusal.required(
                    "disposition.department",
                    code: "transfer_department_required",
                    zh: "移送需要接收部门",
                    en: "a transfer needs the receiving department"
                )
            }
            guard department != state.department else {
                throw ClueRefusal.required(
                    "disposition.department",
                    code: "transfer_to_self",
                    zh: "不能移送给本部门",
                    en: "a clue cannot be transferred to its own department"
                )
            }
            guard !reason.trimmed.isEmpty else {
                throw ClueRefusal.required("disposition.reason", code: "transfer_reason_required", zh: "移送需要说明理由", en: "a transfer needs a reason")
            }
        }
    }

    static func dueDates(
        _ days: Int,
        after today: CalendarDate,
        calendar: WorkingDays
    ) throws(ClueRefusal) -> (due: CalendarDate, overdueFrom: CalendarDate) {
        do {
            return try ClueDeadlines.due(days, after: today, calendar: calendar)
        } catch {
            throw ClueRefusal.calendar(error)
        }
    }

    /// One step's ledger entry and its feedback row for the province. The province follows its own clues and the
    /// city's warnings alike (the plan's 核查处置 is reported upwards for both), so both origins send every step;
    /// the body names the origin.
    static func plan(
        _ before: ClueState,
        _ after: ClueState,
        kind: LedgerKind,
        step: ClueStep,
        actor: ClueActor,
        today: CalendarDate,
        members: [(String, JSONValue)]
    ) -> Plan {
        let common: [(String, JSONValue)] = [
            ("clueId", .string(after.clueId)), ("step", .string(step.name)), ("status", .string(after.status.rawValue)),
            ("department", .text(after.department)), ("on", .string(today.description)),
        ]
        let payload = JSONValue.object(common + [("origin", .string(after.origin.rawValue)), ("actor", .string(actor.name))] + members)
        var feedback: [Feedback] = []
        feedback.append(
            Feedback(
                step: step.name,
                body: .object(common + [("origin", .string(after.origin.rawValue))] + members),
                key: after.clueId + ":" + step.name
            )
        )
        return Plan(state: after, events: [Event(kind: kind, payload: payload)], feedback: feedback)
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
