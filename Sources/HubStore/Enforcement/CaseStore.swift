import Foundation
import HubModel
import Logging
import PostgresNIO
import Supervision

/// Writes batches of case stage events and reads a case's timeline.
///
/// A batch is one transaction: the ledger's append lock first (it also serializes case writers), then the batch's
/// cases of the signing department under a row lock with their accepted events, then `CaseRules` (pure) decides
/// every event in order — a later event of the same case sees the earlier ones of the batch — and this writes
/// each accepted event with one ledger entry (`case_event`) and one outbox row for the province, and rewrites
/// the summary row of each case it touched.
public struct CaseStore: Sendable {
    public let db: HubDatabase
    /// Reads stored payloads back into events (the same reader as the push, so the two cannot drift).
    let reader = CaseEventReader()

    public init(db: HubDatabase) { self.db = db }

    /// A case's history while a batch is decided.
    struct Working {
        var id: Int64?
        var events: [CaseEvent] = []
        var flags: Set<CaseFlag> = []
        /// Events accepted in this batch: the event, its flags, its seq, its ledger entry.
        var added: [(event: CaseEvent, flags: Set<CaseFlag>, seq: Int, ledgerSeq: Int64)] = []
    }

    /// Checks and writes one batch signed by `department`; one result per outcome, in order. `now`: the hub's
    /// clock in epoch seconds (dates in the future beyond the skew are refused).
    public func write(
        _ outcomes: [CaseEventReader.Outcome],
        department: String,
        now: Double = Date().timeIntervalSince1970
    ) async throws
        -> [CaseEventResult]
    {
        let logger = db.logger
        let reader = self.reader
        return try await db.client.transaction(logger: logger) { conn in
            var chain = try await LedgerChain(conn, logger: logger)
            let caseNos = Array(Set(outcomes.compactMap { if case .valid(let e) = $0 { e.caseNo } else { nil } }))
            var cases = try await Self.load(department: department, caseNos: caseNos, reader: reader, on: conn, logger: logger)
            var results: [CaseEventResult] = []
            var order: [String] = []
            for (index, outcome) in outcomes.enumerated() {
                guard case .valid(let event) = outcome else {
                    if case .invalid(let errors) = outcome { results.append(CaseEventResult(index: index, status: .rejected, errors: errors)) }
                    continue
                }
                var result = CaseEventResult(index: index, status: .rejected, caseNo: event.caseNo, eventId: event.eventId, stage: event.stage)
                var working = cases[event.caseNo] ?? Working()
                switch CaseRules.evaluate(event, history: working.events, path: "events[\(index)]", now: now) {
                case .rejected(let errors):
                    result.errors = errors
                case .duplicate:
                    result.status = .duplicate
                    result.seq = (working.events.firstIndex { $0.eventId == event.eventId } ?? 0) + 1
                case .accepted(let flags):
                    let seq = working.events.count + 1
                    let body = Self.body(event, department: department, seq: seq, flags: flags)
                    let entry = chain.add(LedgerDraft(kind: .caseEvent, department: department, subject: "case:\(event.caseNo)", payload: body))
                    working.events.append(event)
                    working.flags.formUnion(flags)
                    working.added.append((event, flags, seq, entry.seq))
                    if !order.contains(event.caseNo) { order.append(event.caseNo) }
                    result.status = .accepted
                    result.seq = seq
                    result.ledgerSeq = entry.seq
                    result.flags = flags.sorted { $0.rawValue < $1.rawValue }
                }
                cases[event.caseNo] = working
                results.append(result)
            }
            try await chain.flush(conn, logger: logger)
            var outbound: [OutboxStore.OutboundRow] = []
            for caseNo in order {
                guard let working = cases[caseNo], let summary = CaseSummary(working.events, flags: working.flags) else { continue }
                let id = try await Self.upsert(summary, caseNo: caseNo, department: department, on: conn, logger: logger)
                try await Self.insert(working.added, caseId: id, on: conn, logger: logger)
                for added in working.added {
                    outbound.append(
                        OutboxStore.OutboundRow(
                            key: "\(caseNo):\(added.event.eventId)",
                            operation: "I",
                            body: Self.body(added.event, department: department, seq: added.seq, flags: added.flags),
                            ledgerSeq: added.ledgerSeq
                        )
                    )
                }
            }
            try await OutboxStore.enqueue(
                .caseEvent,
                rows: outbound.sorted { $0.ledgerSeq < $1.ledgerSeq },
                department: department,
                on: conn,
                logger: logger
            )
            return results
        }
    }

    /// What the ledger records and the province receives for an accepted event: the event as pushed, with its
    /// department, its place in the case and the hub's flags (canonical JSON).
    static func body(_ event: CaseEvent, department: String, seq: Int, flags: Set<CaseFlag>) -> String {
        guard case .object(var members) = event.json else { return "" }
        members += [
            ("departmentCode", .string(department)), ("stage", .string(event.stage.rawValue)), ("seq", .number(String(seq))),
            ("flags", .array(flags.map(\.rawValue).sorted().map(JSONValue.string))),
        ]
        return CanonicalJSON.string(.object(members))
    }

    /// The batch's existing cases, locked, with their events in order.
    static func load(
        department: String,
        caseNos: [String],
        reader: CaseEventReader,
        on conn: PostgresConnection,
        logger: Logger
    ) async throws
        -> [String: Working]
    {
        var cases: [String: Working] = [:]
        guard !caseNos.isEmpty else { return cases }
        var byId: [Int64: String] = [:]
        for try await (id, caseNo, flags) in try await conn.query(
            "SELECT id, case_no, flags FROM cases WHERE department_code = \(department) AND case_no = ANY(\(caseNos)) FOR UPDATE",
            logger: logger
        ).decode((Int64, String, [String]).self) {
            cases[caseNo] = Working(id: id, flags: Set(flags.compactMap(CaseFlag.init(rawValue:))))
            byId[id] = caseNo
        }
        guard !byId.isEmpty else { return cases }
        for stored in try await events(where: "case_id = ANY($1)", Array(byId.keys), reader: reader, on: conn, logger: logger) {
            cases[byId[stored.caseId]!]!.events.append(stored.event.event)
        }
        return cases
    }

    /// Stored events matching `condition` (with `$1` bound to `ids`), ordered by case and seq.
    static func events(
        where condition: String,
        _ ids: [Int64],
        reader: CaseEventReader,
        on conn: PostgresConnection,
        logger: Logger
    ) async throws
        -> [(caseId: Int64, event: StoredCaseEvent)]
    {
        var bindings = PostgresBindings()
        bindings.append(ids)
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT c.case_no, e.case_id, e.seq, e.event_id, e.stage, e.payload::text, e.flags, e.ledger_seq
                FROM case_events e JOIN cases c ON c.id = e.case_id
                WHERE e.\(condition) ORDER BY e.case_id, e.seq
                """,
            binds: bindings
        )
        var out: [(Int64, StoredCaseEvent)] = []
        for try await (caseNo, caseId, seq, eventId, stageName, payload, flags, ledgerSeq) in try await conn.query(query, logger: logger).decode(
            (String, Int64, Int32, String, String, String, [String], Int64).self
        ) {
            var errors: [FieldError] = []
            guard let stage = CaseStage(rawValue: stageName),
                let data = reader.readStage(stage, try JSONParser().parse(Array(payload.utf8)), path: stageName, errors: &errors)
            else { throw UnreadableEvent(caseId: caseId, seq: Int(seq), errors: errors) }
            let event = CaseEvent(caseNo: caseNo, eventId: eventId, data: data)
            out.append(
                (caseId, StoredCaseEvent(seq: Int(seq), event: event, flags: flags.compactMap(CaseFlag.init(rawValue:)), ledgerSeq: ledgerSeq))
            )
        }
        return out
    }

    /// A stored event the reader no longer takes: the store's bug (or a changed reader), never a client's input.
    struct UnreadableEvent: Error {
        var caseId: Int64
        var seq: Int
        var errors: [FieldError]
    }

    /// Writes a case's summary row and returns its id.
    static func upsert(_ s: CaseSummary, caseNo: String, department: String, on conn: PostgresConnection, logger: Logger) async throws -> Int64 {
        let flags = s.flags.map(\.rawValue).sorted()
        let rows = try await conn.query(
            """
            INSERT INTO cases (department_code, case_no, procedure, major, stage, flags, opened_at, decided_at, closed_at)
            VALUES (\(department), \(caseNo), \(s.procedure.rawValue), \(s.major), \(s.stage.rawValue), \(flags),
                    \(s.openedAt.text)::timestamptz, \(s.decidedAt?.text)::timestamptz, \(s.closedAt?.text)::timestamptz)
            ON CONFLICT (department_code, case_no) DO UPDATE SET
                stage = EXCLUDED.stage, flags = EXCLUDED.flags, decided_at = EXCLUDED.decided_at, closed_at = EXCLUDED.closed_at,
                updated_at = now()
            RETURNING id
            """,
            logger: logger
        )
        for try await id in rows.decode(Int64.self) { return id }
        throw UnreadableEvent(caseId: 0, seq: 0, errors: [])
    }

    /// Inserts a case's events accepted in this batch, in one statement.
    static func insert(
        _ added: [(event: CaseEvent, flags: Set<CaseFlag>, seq: Int, ledgerSeq: Int64)],
        caseId: Int64,
        on conn: PostgresConnection,
        logger: Logger
    ) async throws {
        guard !added.isEmpty else { return }
        let seqs = added.map { Int32($0.seq) }
        let ids = added.map(\.event.eventId)
        let stages = added.map(\.event.stage.rawValue)
        let payloads = added.map { CanonicalJSON.string($0.event.stageJSON) }
        let flags = added.map { CanonicalJSON.string(.array($0.flags.map(\.rawValue).sorted().map(JSONValue.string))) }
        let times = added.map(\.event.date.text)
        let ledger = added.map(\.ledgerSeq)
        try await conn.query(
            """
            INSERT INTO case_events (case_id, seq, event_id, stage, payload, flags, occurred_at, ledger_seq)
            SELECT \(caseId), u.seq, u.id, u.stage, u.payload::jsonb, ARRAY(SELECT jsonb_array_elements_text(u.flags::jsonb)),
                   u.time::timestamptz, u.ledger
            FROM unnest(\(seqs)::int[], \(ids)::text[], \(stages)::text[], \(payloads)::text[], \(flags)::text[], \(times)::text[],
                        \(ledger)::bigint[]) AS u(seq, id, stage, payload, flags, time, ledger)
            """,
            logger: logger
        )
    }

    /// A case of `department` with its events, or nil when the department has no such case.
    public func find(department: String, caseNo: String) async throws -> StoredCase? {
        let logger = db.logger
        let reader = self.reader
        return try await db.client.withConnection { conn in
            var id: Int64?
            for try await found in try await conn.query(
                "SELECT id FROM cases WHERE department_code = \(department) AND case_no = \(caseNo)",
                logger: logger
            ).decode(Int64.self) {
                id = found
            }
            guard let id else { return nil }
            let stored = try await Self.events(where: "case_id = ANY($1)", [id], reader: reader, on: conn, logger: logger).map(\.event)
            let flags = Set(stored.flatMap(\.flags))
            guard let summary = CaseSummary(stored.map(\.event), flags: flags) else { return nil }
            return StoredCase(department: department, caseNo: caseNo, summary: summary, events: stored)
        }
    }
}
