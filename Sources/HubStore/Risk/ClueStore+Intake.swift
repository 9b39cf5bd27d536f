import Foundation
import HubModel
import Logging
import PostgresNIO
import Supervision

/// How clues come in: the province's feed (`ProvinceFeedStore.store(clues:)` calls `receive` in the page's
/// transaction) and the city's own warnings (`raise`, which the observation ingest calls).
extension ClueStore {
    /// The model's spelling in the clues table: a `RiskModelID` raw value when the province's name is one of the
    /// five (raw value or Chinese label), the province's own string otherwise.
    static func modelKey(_ name: String) -> String {
        (RiskModelID(rawValue: name) ?? RiskModelID.allCases.first { $0.label == name })?.rawValue ?? name
    }

    /// The 6-digit registration region of a USCC (its characters 3–8), when it has that shape.
    static func region(ofUSCC uscc: String?) -> String? {
        guard let uscc, uscc.count == 18 else { return nil }
        let digits = uscc.dropFirst(2).prefix(6)
        return digits.allSatisfy(\.isNumber) ? String(digits) : nil
    }

    /// Keeps provincial clues in the caller's transaction: a clue already kept is left alone (a page read again
    /// after a crash), a new one gets a `clue_received` ledger entry and is assigned to the first department it
    /// names when the hub knows it (a `clue_assigned` entry and the province's `assigned` feedback). When the
    /// deadline cannot be counted (no calendar for the year), the clue stays pending with the reason in
    /// `due_pending`, for ops to assign once the year is loaded. Returns the ids newly kept.
    @discardableResult
    public func receive(_ clues: [ProvinceFeedStore.Clue], now: Date = Date(), on conn: PostgresConnection) async throws -> [String] {
        let logger = db.logger
        var kept: [String] = []
        for c in clues {
            // The body is the province's clue as `RiskClue` wrote it (canonical JSON).
            let body = try? JSONParser().parse(Array(c.body.utf8))
            let subjectName = body?["subject"]?["name"]?.stringValue ?? ""
            let summary = body?["summary"]?.stringValue ?? ""
            let evidence = CanonicalJSON.string(
                .object([("summary", .string(summary)), ("evidence", .string(body?["evidence"]?.stringValue ?? ""))])
            )
            var inserted = false
            for try await _ in try await conn.query(
                """
                INSERT INTO clues (clue_id, origin, model, subject_uscc, subject_name, region_code, named_departments, summary, evidence,
                                   issued_at, received_on)
                VALUES (\(c.clueId), 'province', \(Self.modelKey(c.model)), \(c.subjectUSCC.isEmpty ? nil : c.subjectUSCC), \(subjectName),
                        \(Self.region(ofUSCC: c.subjectUSCC)), \(c.departments), \(summary), \(evidence)::jsonb, \(body?["issuedAt"]?.stringValue),
                        \(Self.day(now).description)::date)
                ON CONFLICT (clue_id) DO NOTHING RETURNING id
                """,
                logger: logger
            ).decode(Int64.self) { inserted = true }
            guard inserted else { continue }
            kept.append(c.clueId)
            let payload: JSONValue = .object([
                ("clueId", .string(c.clueId)), ("step", .string("received")), ("origin", .string("province")),
                ("model", .string(Self.modelKey(c.model))), ("departments", .array(c.departments.map(JSONValue.string))),
                ("subject", .object([("uscc", .string(c.subjectUSCC)), ("name", .string(subjectName))])), ("summary", .string(summary)),
            ])
            try await received(c.clueId, department: c.departments.first ?? "", payload: payload, now: now, on: conn)
            if let lead = c.departments.first { try await autoAssign(c.clueId, to: lead, now: now, on: conn) }
        }
        return kept
    }

    /// Raises the city's own warnings as clues, in the caller's transaction (after the caller's own ledger entries
    /// are flushed: this appends to the ledger itself). Deduplicated by model + reporting department +
    /// observation id: a warning already raised is not raised again. A new clue gets a `clue_received` entry and is
    /// assigned by `Mappings/risk/assignment.csv` when its department is known to the hub (else it waits, pending,
    /// for ops). Returns one clue id per warning, in order: the new clue's, or the one raised before for it.
    public func raise(_ warnings: [RiskWarning], regionCode: String?, on conn: PostgresConnection, now: Date = Date()) async throws -> [String] {
        let logger = db.logger
        var ids: [String] = []
        for w in warnings {
            let region = regionCode ?? Self.region(ofUSCC: w.subject.uscc)
            let evidence = CanonicalJSON.string(Self.evidence(w))
            let summary = w.reasons.map(\.description).joined(separator: "；")
            var raised: String?
            for try await id in try await conn.query(
                """
                INSERT INTO clues (clue_id, origin, model, model_version, subject_uscc, subject_name, region_code, named_departments,
                                   summary, evidence, observation_department, observation_id, score, threshold, received_on)
                VALUES ('W' || lpad(nextval('clue_city_numbers')::text, 8, '0'), 'city', \(w.model.rawValue), \(w.modelVersion), \(w.subject.uscc),
                        \(w.subject.name), \(region), '{}'::text[], \(summary), \(evidence)::jsonb, \(w.department),
                        \(w.observationId), \(w.score), \(w.threshold), \(Self.day(now).description)::date)
                ON CONFLICT (model, observation_department, observation_id) WHERE origin = 'city' DO NOTHING
                RETURNING clue_id
                """,
                logger: logger
            ).decode(String.self) { raised = id }
            guard let id = raised else {
                for try await existing in try await conn.query(
                    """
                    SELECT clue_id FROM clues WHERE origin = 'city' AND model = \(w.model.rawValue)
                      AND observation_department = \(w.department) AND observation_id = \(w.observationId)
                    """,
                    logger: logger
                ).decode(String.self) { ids.append(existing) }
                continue
            }
            ids.append(id)
            let payload: JSONValue = .object([
                ("clueId", .string(id)), ("step", .string("received")), ("origin", .string("city")), ("model", .string(w.model.rawValue)),
                ("modelVersion", .string(w.modelVersion)), ("observationId", .string(w.observationId)),
                ("subject", .object([("uscc", .text(w.subject.uscc)), ("name", .string(w.subject.name))])),
                ("score", .number(String(w.score))), ("rules", .array(w.reasons.map { .string($0.ruleId) })),
            ])
            let seq = try await received(id, department: w.department, payload: payload, now: now, on: conn)
            // The province learns of the city's warning with its reasons before any step of it.
            var raisedBody = payload
            if case .object(var members) = payload {
                members += [("summary", .string(summary)), ("evidence", Self.evidence(w))]
                raisedBody = .object(members)
            }
            try await OutboxStore.enqueue(
                .clueFeedback,
                key: id + ":received",
                department: w.department,
                operation: "I",
                body: CanonicalJSON.string(raisedBody),
                ledgerSeq: seq,
                on: conn,
                logger: logger
            )
            if let department = assignment.department(for: w.model) { try await autoAssign(id, to: department, now: now, on: conn) }
        }
        return ids
    }

    /// The same as `raise(_:regionCode:on:)` in a transaction of its own.
    public func raise(_ warnings: [RiskWarning], regionCode: String?, now: Date = Date()) async throws -> [String] {
        try await db.client.transaction(logger: db.logger) { conn in try await raise(warnings, regionCode: regionCode, on: conn, now: now) }
    }

    /// A warning's reasons as kept in `clues.evidence`: every rule that fired with its matched text and facts.
    static func evidence(_ w: RiskWarning) -> JSONValue {
        .object([
            ("modelVersion", .string(w.modelVersion)), ("score", .number(String(w.score))), ("threshold", .number(String(w.threshold))),
            (
                "reasons",
                .array(
                    w.reasons.map { r in
                        .object([
                            ("ruleId", .string(r.ruleId)), ("description", .string(r.description)), ("weight", .number(String(r.weight))),
                            (
                                "matches",
                                .array(
                                    r.matches.map { m in
                                        .object([
                                            ("field", .string(m.field)), ("offset", .number(String(m.offset))), ("length", .number(String(m.length))),
                                            ("text", .string(m.text)),
                                        ])
                                    }
                                )
                            ),
                            ("facts", .array(r.facts.map(JSONValue.string))),
                        ])
                    }
                )
            ),
        ])
    }

    /// The `clue_received` ledger entry and first step of a new clue.
    @discardableResult
    func received(_ clueId: String, department: String, payload: JSONValue, now: Date, on conn: PostgresConnection) async throws -> Int64 {
        let logger = db.logger
        var chain = try await LedgerChain(conn, logger: logger)
        let entry = chain.add(kind: .clueReceived, department: department, subject: "clue:\(clueId)", payload: CanonicalJSON.string(payload))
        try await chain.flush(conn, logger: logger)
        try await Self.step(
            clueId,
            name: "received",
            actor: ClueActor.hub.name,
            payload: payload,
            on: Self.day(now),
            ledgerSeq: entry.seq,
            conn: conn,
            logger: logger
        )
        try await conn.query("UPDATE clues SET ledger_seq = \(entry.seq) WHERE clue_id = \(clueId)", logger: logger)
        return entry.seq
    }

    /// Assigns a new clue by the hub (the province's lead department, the city's default map) when the department
    /// is known; a deadline that cannot be counted leaves it pending with the reason.
    func autoAssign(_ clueId: String, to department: String, now: Date, on conn: PostgresConnection) async throws {
        let logger = db.logger
        guard try await Self.departmentExists(department, on: conn, logger: logger),
            let stored = try await Self.load(clueId, forUpdate: true, on: conn, logger: logger)
        else { return }
        let today = Self.day(now)
        let calendar = try await CalendarStore.workingDays(on: conn, logger: logger)
        switch ClueLifecycle.plan(
            stored.state,
            step: .assign(department: department),
            actor: .hub,
            today: today,
            calendar: calendar,
            deadlines: deadlines
        ) {
        case .apply(let plan):
            var chain = try await LedgerChain(conn, logger: logger)
            _ = try await Self.write(plan, clue: stored, actor: .hub, today: today, chain: &chain, on: conn, logger: logger)
        case .refused(let refusal):
            try await conn.query(
                "UPDATE clues SET due_pending = \(refusal.error.messageZh + " / " + refusal.error.messageEn) WHERE clue_id = \(clueId)",
                logger: logger
            )
        case .duplicate:
            break
        }
    }
}
