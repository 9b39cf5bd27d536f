import HubModel
import Logging
import PostgresNIO
import Supervision

/// Called inside a batch's transaction after its observations are written and before the commit, with the ones
/// accepted in this batch (in batch order): the risk models evaluate them there and raise their warnings in the
/// same transaction, so an observation is never recorded without its evaluation (nor a warning without its
/// observation).
public typealias ObservationHook = @Sendable (PostgresConnection, [Observation]) async throws -> Void

/// Writes batches of observations (advertisements, listings, complaints, licence facts) and reads them back.
///
/// A batch is one transaction: the ledger's append lock first (it also serializes observation writers, so the
/// duplicate check below stays true until commit), then the stored rows with the batch's ids, then each row in
/// order — accepted (one ledger entry `observation`), duplicate (same id, same canonical body: nothing written) or
/// rejected (`observation_id_reused`: same id, other body) — then the inserts, the licence register for licence
/// facts, and `afterInsert`. A later row of the batch with an earlier row's id is judged against that row.
public struct ObservationStore: Sendable {
    public let db: HubDatabase
    /// Runs before the commit with the accepted observations (default: nothing).
    public var afterInsert: ObservationHook
    /// The window of `RiskFacts.recentComplaints`, in days up to and including the observation's date.
    public var complaintWindowDays = 90

    public init(db: HubDatabase, afterInsert: @escaping ObservationHook = { _, _ in }) {
        self.db = db
        self.afterInsert = afterInsert
    }

    /// Checks and writes one batch signed by `department`; one result per outcome, in order. The department of
    /// every observation is the signer's, whatever the reader filled in.
    public func store(_ outcomes: [ObservationReader.Outcome], department: String) async throws -> [ObservationResult] {
        let logger = db.logger
        let hook = afterInsert
        return try await db.client.transaction(logger: logger) { conn in
            var chain = try await LedgerChain(conn, logger: logger)
            let ids = Array(Set(outcomes.compactMap { if case .valid(let o) = $0 { o.observationId } else { nil } }))
            var known = try await Self.storedBodies(department: department, ids: ids, on: conn, logger: logger)
            var results: [ObservationResult] = []
            var accepted: [(Observation, body: String, ledgerSeq: Int64)] = []
            for (index, outcome) in outcomes.enumerated() {
                guard case .valid(var observation) = outcome else {
                    if case .invalid(let errors) = outcome { results.append(ObservationResult(index: index, status: .rejected, errors: errors)) }
                    continue
                }
                observation.department = department
                var result = ObservationResult(index: index, status: .rejected, observationId: observation.observationId, kind: observation.kind)
                let body = Self.body(observation)
                if let stored = known[observation.observationId] {
                    if stored == body {
                        result.status = .duplicate
                    } else {
                        result.errors = [Self.reused(index)]
                    }
                } else if let problem = Self.storeRule(observation, index: index) {
                    result.errors = [problem]
                } else {
                    let entry = chain.add(
                        LedgerDraft(kind: .observation, department: department, subject: "observation:\(observation.observationId)", payload: body)
                    )
                    known[observation.observationId] = body
                    accepted.append((observation, body, entry.seq))
                    result.status = .accepted
                    result.ledgerSeq = entry.seq
                }
                results.append(result)
            }
            try await chain.flush(conn, logger: logger)
            try await Self.insert(accepted, department: department, on: conn, logger: logger)
            try await Self.register(accepted, department: department, on: conn, logger: logger)
            if !accepted.isEmpty { try await hook(conn, accepted.map(\.0)) }
            return results
        }
    }

    /// What the table and the ledger hold for an observation: its canonical JSON (`Observation.json`).
    static func body(_ observation: Observation) -> String { CanonicalJSON.string(observation.json) }

    static func reused(_ index: Int) -> FieldError {
        FieldError(
            path: "observations[\(index)].observationId",
            code: "observation_id_reused",
            zh: "该观测编号已用于内容不同的观测；更正请使用新的编号",
            en: "this observationId was already used for an observation with other content; send a correction under a new id"
        )
    }

    /// What the store needs beyond the reader: a licence fact is kept per USCC, so it must name one; and the
    /// values the tables constrain are checked here too, so that a row the reader let through is refused with its
    /// path rather than failing the batch in the database (never a 5xx for a client's value).
    static func storeRule(_ observation: Observation, index: Int) -> FieldError? {
        let at = "observations[\(index)]"
        if observation.observationId.isEmpty || observation.observationId.unicodeScalars.count > 64 {
            return FieldError(path: "\(at).observationId", code: "too_long", zh: "观测编号为 1 至 64 个字符", en: "an observationId has 1 to 64 characters")
        }
        if let region = observation.regionCode, region.utf8.count != 6 || !region.utf8.allSatisfy({ (48...57).contains($0) }) {
            return FieldError(path: "\(at).regionCode", code: "invalid_region_code", zh: "行政区划代码应为 6 位数字", en: "a region code has 6 digits")
        }
        if let uscc = observation.subject.uscc, uscc.utf8.count != 18 {
            return FieldError(path: "\(at).subject.uscc", code: "invalid_length", zh: "统一社会信用代码应为18位", en: "a USCC has 18 characters")
        }
        guard case .licence(let fact) = observation.detail else { return nil }
        if observation.subject.uscc == nil {
            return FieldError(
                path: "\(at).subject.uscc",
                code: "required",
                zh: "许可备案观测必须填写主体统一社会信用代码",
                en: "a licence observation names its subject's USCC"
            )
        }
        if fact.number.isEmpty || fact.number.unicodeScalars.count > 100 {
            return FieldError(path: "\(at).licence.number", code: "too_long", zh: "许可证号为 1 至 100 个字符", en: "a licence number has 1 to 100 characters")
        }
        return nil
    }

    /// The canonical bodies already stored for `ids` of `department`, by id.
    static func storedBodies(department: String, ids: [String], on conn: PostgresConnection, logger: Logger) async throws -> [String: String] {
        var out: [String: String] = [:]
        guard !ids.isEmpty else { return out }
        for try await (id, text) in try await conn.query(
            "SELECT observation_id, body::text FROM observations WHERE department = \(department) AND observation_id = ANY(\(ids))",
            logger: logger
        ).decode((String, String).self) {
            // jsonb orders and spaces members its own way: bring it back to the canonical form to compare.
            out[id] = CanonicalJSON.string(try JSONParser().parse(Array(text.utf8)))
        }
        return out
    }

    /// Inserts the accepted observations in one statement.
    static func insert(
        _ accepted: [(Observation, body: String, ledgerSeq: Int64)],
        department: String,
        on conn: PostgresConnection,
        logger: Logger
    ) async throws {
        guard !accepted.isEmpty else { return }
        let ids = accepted.map(\.0.observationId)
        let kinds = accepted.map(\.0.kind.rawValue)
        let dates = accepted.map(\.0.observedOn.description)
        let usccs = accepted.map { $0.0.subject.uscc ?? "" }
        let names = accepted.map(\.0.subject.name)
        let regions = accepted.map { $0.0.regionCode ?? "" }
        let bodies = accepted.map(\.body)
        let seqs = accepted.map(\.ledgerSeq)
        try await conn.query(
            """
            INSERT INTO observations (department, observation_id, kind, observed_on, subject_uscc, subject_name, region_code, body, ledger_seq)
            SELECT \(department), u.id, u.kind, u.day::date, NULLIF(u.uscc, ''), u.name, NULLIF(u.region, ''), u.body::jsonb, u.seq
            FROM unnest(\(ids)::text[], \(kinds)::text[], \(dates)::text[], \(usccs)::text[], \(names)::text[], \(regions)::text[],
                        \(bodies)::text[], \(seqs)::bigint[]) AS u(id, kind, day, uscc, name, region, body, seq)
            """,
            logger: logger
        )
    }

    /// Keeps the licence register current from the batch's licence facts: one row per USCC + kind + number, the
    /// latest observation by date winning (a late resend of an older fact does not undo a revocation); within a
    /// batch, the last row of a key.
    static func register(
        _ accepted: [(Observation, body: String, ledgerSeq: Int64)],
        department: String,
        on conn: PostgresConnection,
        logger: Logger
    ) async throws {
        var latest: [String: (Observation, LicenceFact, Int64)] = [:]
        var order: [String] = []
        for (observation, _, seq) in accepted {
            guard case .licence(let fact) = observation.detail, let uscc = observation.subject.uscc else { continue }
            let key = "\(uscc)|\(fact.kind.rawValue)|\(fact.number)"
            if let kept = latest[key], kept.0.observedOn > observation.observedOn { continue }
            if latest[key] == nil { order.append(key) }
            latest[key] = (observation, fact, seq)
        }
        guard !order.isEmpty else { return }
        let rows = order.compactMap { latest[$0] }
        let usccs = rows.map { $0.0.subject.uscc ?? "" }
        let kinds = rows.map(\.1.kind.rawValue)
        let numbers = rows.map(\.1.number)
        let names = rows.map(\.0.subject.name)
        let froms = rows.map(\.1.validFrom.description)
        let untils = rows.map { $0.1.validUntil?.description ?? "" }
        let revoked = rows.map(\.1.revoked)
        let ids = rows.map(\.0.observationId)
        let dates = rows.map(\.0.observedOn.description)
        let seqs = rows.map(\.2)
        try await conn.query(
            """
            INSERT INTO licences (subject_uscc, kind, number, subject_name, valid_from, valid_until, revoked, department, observation_id,
                                  observed_on, ledger_seq)
            SELECT u.uscc, u.kind, u.number, u.name, u.valid_from::date, NULLIF(u.valid_until, '')::date, u.revoked, \(department), u.id,
                   u.day::date, u.seq
            FROM unnest(\(usccs)::text[], \(kinds)::text[], \(numbers)::text[], \(names)::text[], \(froms)::text[], \(untils)::text[],
                        \(revoked)::bool[], \(ids)::text[], \(dates)::text[], \(seqs)::bigint[])
                 AS u(uscc, kind, number, name, valid_from, valid_until, revoked, id, day, seq)
            ON CONFLICT (subject_uscc, kind, number) DO UPDATE SET
                subject_name = EXCLUDED.subject_name, valid_from = EXCLUDED.valid_from, valid_until = EXCLUDED.valid_until,
                revoked = EXCLUDED.revoked, department = EXCLUDED.department, observation_id = EXCLUDED.observation_id,
                observed_on = EXCLUDED.observed_on, ledger_seq = EXCLUDED.ledger_seq, updated_at = now()
            WHERE licences.observed_on <= EXCLUDED.observed_on
            """,
            logger: logger
        )
    }
}
