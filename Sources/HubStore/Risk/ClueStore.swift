import Foundation
import HubModel
import Logging
import PostgresNIO
import Supervision

/// Clues followed to closure (核查处置): the province's clues and the city's own warnings in one lifecycle.
///
/// Every act is one transaction: the ledger's append lock first (it also serializes clue writers), then the clue's
/// row under a lock, then `ClueLifecycle` (pure) decides, and this writes the new state, a `clue_steps` row and a
/// ledger entry (`clue_*`) per event, and a `clue_feedback` outbox row per step the province must know (assigned,
/// verified, disposed, closed; for the city's own warnings also `received`, with the reasons), keyed
/// `clueId:step` so it arrives once.
public struct ClueStore: Sendable {
    public let db: HubDatabase
    /// The default department of each model's city warnings (`Mappings/risk/assignment.csv`).
    public let assignment: ClueAssignmentMap
    public let deadlines: ClueDeadlines

    public init(db: HubDatabase, assignment: ClueAssignmentMap = ClueAssignmentMap(), deadlines: ClueDeadlines = .standard) {
        self.db = db
        self.assignment = assignment
        self.deadlines = deadlines
    }

    /// The day of `now` in Asia/Shanghai (DOMAIN §8).
    public static func day(_ now: Date) -> CalendarDate { CalendarDate(dayNumber: StatutoryLimits.day(epochSeconds: now.timeIntervalSince1970)) }

    /// What an act did: applied (with the ledger entries it wrote) or found already done.
    public enum ActResult: Sendable {
        case applied(StoredClue, ledgerSeqs: [Int64])
        case duplicate(StoredClue)

        public var clue: StoredClue {
            switch self {
            case .applied(let c, _), .duplicate(let c): c
            }
        }
    }

    /// Takes one step on a clue for `actor`. Refusals are `StoreRefusal`s: an unknown clue or one the actor cannot
    /// see (404), another department's clue (403), a step out of order or a closed clue (409), a missing finding or
    /// case number (400), a deadline in a year without a calendar (409, the operator loads it).
    public func act(_ clueId: String, step: ClueStep, actor: ClueActor, now: Date = Date()) async throws -> ActResult {
        let logger = db.logger
        let deadlines = self.deadlines
        let today = Self.day(now)
        return try await db.client.transaction(logger: logger) { conn in
            var chain = try await LedgerChain(conn, logger: logger)
            guard let stored = try await Self.load(clueId, forUpdate: true, on: conn, logger: logger), Self.visible(stored, to: actor) else {
                throw Self.notFound
            }
            if case .assign(let department) = step, !(try await Self.departmentExists(department, on: conn, logger: logger)) {
                throw StoreRefusal(
                    .invalid,
                    path: "department",
                    code: "unknown_department",
                    zh: "没有代码为“\(department)”的部门",
                    en: "no department has the code \(department)"
                )
            }
            let calendar = try await CalendarStore.workingDays(on: conn, logger: logger)
            switch ClueLifecycle.plan(stored.state, step: step, actor: actor, today: today, calendar: calendar, deadlines: deadlines) {
            case .refused(let refusal):
                throw StoreRefusal(Self.kind(refusal.kind), [refusal.error])
            case .duplicate:
                return .duplicate(stored)
            case .apply(let plan):
                let seqs = try await Self.write(plan, clue: stored, actor: actor, today: today, chain: &chain, on: conn, logger: logger)
                var after = stored
                after.state = plan.state
                after.duePending = nil
                return .applied(after, ledgerSeqs: seqs)
            }
        }
    }

    /// The overdue pass (`ClueOverdueService`, `hub clues overdue`): flags, once per phase, every open clue past
    /// the first working day after its due date, with a `clue_overdue` ledger entry and step. Returns the flagged ids.
    @discardableResult
    public func markOverdue(now: Date = Date()) async throws -> [String] {
        let logger = db.logger
        let today = Self.day(now)
        return try await db.client.transaction(logger: logger) { conn in
            var chain = try await LedgerChain(conn, logger: logger)
            var flagged: [String] = []
            for stored in try await Self.rows(
                where: """
                    status IN ('assigned', 'verified') AND overdue_from <= $1::date AND escalated_phase IS DISTINCT FROM status
                    ORDER BY id FOR UPDATE SKIP LOCKED
                    """,
                [today.description],
                on: conn,
                logger: logger
            ) {
                guard let plan = ClueLifecycle.escalation(stored.state, today: today) else { continue }
                _ = try await Self.write(plan, clue: stored, actor: .hub, today: today, chain: &chain, on: conn, logger: logger)
                flagged.append(stored.clueId)
            }
            return flagged
        }
    }

    // MARK: - Writing

    /// Writes a plan: ledger entries (flushed here), steps, the row, and the province's feedback rows.
    static func write(
        _ plan: ClueLifecycle.Plan,
        clue: StoredClue,
        actor: ClueActor,
        today: CalendarDate,
        chain: inout LedgerChain,
        on conn: PostgresConnection,
        logger: Logger
    ) async throws -> [Int64] {
        var seqs: [Int64] = []
        for event in plan.events {
            let entry = chain.add(
                kind: event.kind,
                department: plan.state.department ?? "",
                subject: "clue:\(clue.clueId)",
                payload: CanonicalJSON.string(event.payload)
            )
            seqs.append(entry.seq)
        }
        try await chain.flush(conn, logger: logger)
        for (event, seq) in zip(plan.events, seqs) {
            try await step(
                clue.clueId,
                name: event.payload["step"]?.stringValue ?? "overdue",
                actor: actor.name,
                payload: event.payload,
                on: today,
                ledgerSeq: seq,
                conn: conn,
                logger: logger
            )
        }
        try await update(
            plan.state,
            escalated: plan.state.escalatedPhase != nil && plan.state.escalatedPhase != clue.state.escalatedPhase,
            on: conn,
            logger: logger
        )
        if let department = plan.state.department {
            for (feedback, seq) in zip(plan.feedback, seqs) {
                try await OutboxStore.enqueue(
                    .clueFeedback,
                    key: feedback.key,
                    department: department,
                    operation: "I",
                    body: CanonicalJSON.string(feedback.body),
                    ledgerSeq: seq,
                    on: conn,
                    logger: logger
                )
            }
        }
        return seqs
    }

    /// Appends a step row (the clue's timeline; append-only like the ledger).
    static func step(
        _ clueId: String,
        name: String,
        actor: String,
        payload: JSONValue,
        on day: CalendarDate,
        ledgerSeq: Int64,
        conn: PostgresConnection,
        logger: Logger
    ) async throws {
        try await conn.query(
            """
            INSERT INTO clue_steps (clue_id, seq, step, actor, payload, occurred_on, ledger_seq)
            SELECT \(clueId), coalesce(max(seq), 0) + 1, \(name), \(actor), \(CanonicalJSON.string(payload))::jsonb, \(day.description)::date, \(ledgerSeq)
            FROM clue_steps WHERE clue_id = \(clueId)
            """,
            logger: logger
        )
    }

    /// Writes a state back to its row.
    static func update(_ s: ClueState, escalated: Bool, on conn: PostgresConnection, logger: Logger) async throws {
        let detail = s.disposition.map { CanonicalJSON.string($0.json) }
        try await conn.query(
            """
            UPDATE clues SET status = \(s.status.rawValue), department = \(s.department), verdict = \(s.verification?.verdict.rawValue),
                findings = \(s.verification?.findings), disposition = \(s.disposition?.kind.rawValue), disposition_detail = \(detail)::jsonb,
                assigned_on = \(s.assignedOn?.description)::date, verification_due = \(s.verificationDue?.description)::date,
                verified_on = \(s.verifiedOn?.description)::date, disposal_due = \(s.disposalDue?.description)::date,
                disposed_on = \(s.disposedOn?.description)::date, closed_on = \(s.closedOn?.description)::date,
                overdue_from = \(s.overdueFrom?.description)::date, escalated_phase = \(s.escalatedPhase?.rawValue),
                escalated_at = CASE WHEN \(escalated) THEN now() ELSE escalated_at END, due_pending = NULL, updated_at = now()
            WHERE clue_id = \(s.clueId)
            """,
            logger: logger
        )
    }

    // MARK: - Reading rows

    static let notFound = StoreRefusal(
        .notFound,
        path: "clueId",
        code: "clue_not_found",
        zh: "没有该线索，或线索与本部门无关",
        en: "no such clue, or it does not concern this department"
    )

    static func kind(_ kind: ClueRefusal.Kind) -> StoreRefusal.Kind {
        switch kind {
        case .invalid: .invalid
        case .forbidden: .forbidden
        case .conflict, .calendarMissing: .conflict
        }
    }

    /// Whether `actor` may see the clue at all: a department sees what it was assigned or named in; ops scoped to
    /// departments see those departments' clues and the pending ones.
    static func visible(_ clue: StoredClue, to actor: ClueActor) -> Bool {
        switch actor {
        case .hub, .ops(_, nil): true
        case .ops(_, let scope?):
            (clue.state.department.map { scope.contains($0) } ?? true) || clue.namedDepartments.contains { scope.contains($0) }
        case .department(let code): clue.state.department == code || clue.namedDepartments.contains(code)
        }
    }

    static func departmentExists(_ code: String, on conn: PostgresConnection, logger: Logger) async throws -> Bool {
        for try await _ in try await conn.query("SELECT 1 FROM departments WHERE code = \(code)", logger: logger).decode(Int.self) { return true }
        return false
    }

    static func load(_ clueId: String, forUpdate: Bool, on conn: PostgresConnection, logger: Logger) async throws -> StoredClue? {
        try await rows(where: "clue_id = $1" + (forUpdate ? " FOR UPDATE" : ""), [clueId], on: conn, logger: logger).first
    }

    /// Rows matching `condition` (`$1` bound to the first of `binds`, and so on), as `StoredClue`s.
    static func rows(where condition: String, _ binds: [String], on conn: PostgresConnection, logger: Logger) async throws -> [StoredClue] {
        var bindings = PostgresBindings()
        for b in binds { bindings.append(b) }
        var out: [StoredClue] = []
        for try await text in try await conn.query(
            PostgresQuery(unsafeSQL: "SELECT to_jsonb(c)::text FROM clues c WHERE " + condition, binds: bindings),
            logger: logger
        ).decode(String.self) {
            guard let clue = StoredClue(row: try JSONParser().parse(Array(text.utf8))) else { throw UnreadableClue(row: text) }
            out.append(clue)
        }
        return out
    }

    /// A row the reader does not take: the store's bug, never a client's input.
    struct UnreadableClue: Error { var row: String }
}
