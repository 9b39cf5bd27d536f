import HubModel
import Logging
import PostgresNIO
import Supervision

extension ObservationStore {
    /// The facts the risk models read about an observation's subject, on `conn` (inside the batch's transaction,
    /// from `afterInsert`, the batch's own rows are included):
    /// - every licence or filing on file for the subject's USCC, in any state (`LicenceFact.inForce(on:)` decides);
    ///   none when the subject has no USCC;
    /// - the complaints against the subject — the same USCC, or the same name when the observation has no USCC —
    ///   observed in the `complaintWindowDays` days up to and including the observation's date (with 90: from
    ///   89 days before it), from any department, this one included when it is a complaint. Ids are
    ///   `{department}/{observationId}`, oldest first.
    public func facts(for observation: Observation, on conn: PostgresConnection) async throws -> RiskFacts {
        try await facts(for: [observation], on: conn)[0]
    }

    /// `facts(for:on:)` over a pooled connection of its own (outside a batch: the console, tests).
    public func facts(for observation: Observation) async throws -> RiskFacts {
        try await db.client.withConnection { conn in try await facts(for: observation, on: conn) }
    }
}

extension ObservationStore {
    /// The facts of many observations in two queries (licences of every USCC named, complaints in each
    /// observation's window), in the observations' order: the ingest hook evaluates a batch of 5,000 with these
    /// instead of 10,000 round trips, the evaluation pass reads a page at a time the same way, and the one-observation
    /// form above is this with one.
    public func facts(for observations: [Observation], on conn: PostgresConnection) async throws -> [RiskFacts] {
        let logger = db.logger
        var licences: [String: [LicenceFact]] = [:]
        let usccs = Array(Set(observations.compactMap(\.subject.uscc)))
        if !usccs.isEmpty {
            for try await (uscc, kind, number, from, until, revoked) in try await conn.query(
                """
                SELECT subject_uscc, kind, number, valid_from::text, valid_until::text, revoked FROM licences
                WHERE subject_uscc = ANY(\(usccs)::text[]) ORDER BY subject_uscc, kind, number
                """,
                logger: logger
            ).decode((String, String, String, String, String?, Bool).self) {
                guard let kind = LicenceKind(rawValue: kind), let from = CalendarDate(from) else { continue }
                licences[uscc, default: []].append(
                    LicenceFact(kind: kind, number: number, validFrom: from, validUntil: until.flatMap(CalendarDate.init), revoked: revoked)
                )
            }
        }
        var complaints: [Int: [String]] = [:]
        if !observations.isEmpty {
            let keys = observations.map { $0.subject.uscc ?? "" }
            let names = observations.map(\.subject.name)
            let days = observations.map(\.observedOn.description)
            let firstDay = complaintWindowDays - 1
            // One join per way of naming the subject, so each uses its index (USCC, or name without a USCC).
            for try await (index, ids) in try await conn.query(
                """
                WITH q AS (SELECT * FROM unnest(\(keys)::text[], \(names)::text[], \(days)::text[]::date[]) WITH ORDINALITY AS q(uscc, name, day, i))
                SELECT q.i::int, array_agg(o.department || '/' || o.observation_id ORDER BY o.observed_on, o.id)
                FROM q JOIN observations o ON o.kind = 'complaint' AND o.subject_uscc = q.uscc
                     AND o.observed_on BETWEEN q.day - \(firstDay)::int AND q.day
                WHERE q.uscc <> '' GROUP BY q.i
                UNION ALL
                SELECT q.i::int, array_agg(o.department || '/' || o.observation_id ORDER BY o.observed_on, o.id)
                FROM q JOIN observations o ON o.kind = 'complaint' AND o.subject_name = q.name
                     AND o.observed_on BETWEEN q.day - \(firstDay)::int AND q.day
                WHERE q.uscc = '' GROUP BY q.i
                """,
                logger: logger
            ).decode((Int, [String]).self) {
                complaints[index - 1] = ids
            }
        }
        return observations.enumerated().map { index, observation in
            let ids = complaints[index] ?? []
            return RiskFacts(
                licences: observation.subject.uscc.flatMap { licences[$0] } ?? [],
                recentComplaints: ids.count,
                recentComplaintIds: ids,
                complaintWindowDays: complaintWindowDays
            )
        }
    }
}
