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
        let logger = db.logger
        var facts = RiskFacts(complaintWindowDays: complaintWindowDays)
        let day = observation.observedOn.description
        let firstDay = complaintWindowDays - 1
        if let uscc = observation.subject.uscc {
            for try await (kind, number, from, until, revoked) in try await conn.query(
                """
                SELECT kind, number, valid_from::text, valid_until::text, revoked FROM licences
                WHERE subject_uscc = \(uscc) ORDER BY kind, number
                """,
                logger: logger
            ).decode((String, String, String, String?, Bool).self) {
                guard let kind = LicenceKind(rawValue: kind), let from = CalendarDate(from) else { continue }
                facts.licences.append(
                    LicenceFact(kind: kind, number: number, validFrom: from, validUntil: until.flatMap(CalendarDate.init), revoked: revoked)
                )
            }
        }
        let complaints: PostgresQuery =
            if let uscc = observation.subject.uscc {
                """
                SELECT department || '/' || observation_id FROM observations
                WHERE kind = 'complaint' AND subject_uscc = \(uscc)
                  AND observed_on BETWEEN \(day)::date - \(firstDay)::int AND \(day)::date
                ORDER BY observed_on, id
                """
            } else {
                """
                SELECT department || '/' || observation_id FROM observations
                WHERE kind = 'complaint' AND subject_name = \(observation.subject.name)
                  AND observed_on BETWEEN \(day)::date - \(firstDay)::int AND \(day)::date
                ORDER BY observed_on, id
                """
            }
        for try await id in try await conn.query(complaints, logger: logger).decode(String.self) {
            facts.recentComplaintIds.append(id)
        }
        facts.recentComplaints = facts.recentComplaintIds.count
        return facts
    }

    /// `facts(for:on:)` over a pooled connection of its own (outside a batch: the console, tests).
    public func facts(for observation: Observation) async throws -> RiskFacts {
        try await db.client.withConnection { conn in try await facts(for: observation, on: conn) }
    }
}
