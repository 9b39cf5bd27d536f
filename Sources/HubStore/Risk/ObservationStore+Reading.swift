import Foundation
import HubModel
import Logging
import PostgresNIO
import Supervision

extension ObservationStore {
    /// Observations matching `filter`, newest first (by row id), at most `limit`.
    public func list(_ filter: ObservationFilter, limit: Int = 100) async throws -> [StoredObservation] {
        var clauses: [String] = []
        var binds = PostgresBindings()
        func bind(_ value: String, as sql: (String) -> String) {
            binds.append(value)
            clauses.append(sql("$\(binds.count)"))
        }
        if let kind = filter.kind { bind(kind.rawValue) { "kind = \($0)" } }
        if let department = filter.department { bind(department) { "department = \($0)" } }
        if let from = filter.from { bind(from.description) { "observed_on >= \($0)::date" } }
        if let to = filter.to { bind(to.description) { "observed_on <= \($0)::date" } }
        if let subject = filter.subject?.trimmingCharacters(in: .whitespaces), !subject.isEmpty {
            let pattern =
                "%"
                + subject.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            binds.append(subject)
            binds.append(pattern)
            clauses.append("(subject_uscc = $\(binds.count - 1) OR subject_name LIKE $\(binds.count))")
        }
        if let before = filter.beforeId { bind(String(before)) { "id < \($0)::bigint" } }
        binds.append(Int64(max(1, min(limit, 1000))))
        let condition = clauses.isEmpty ? "true" : clauses.joined(separator: " AND ")
        return try await rows("\(condition) ORDER BY id DESC LIMIT $\(binds.count)", binds)
    }

    /// One observation by the hub's row id.
    public func observation(id: Int64) async throws -> StoredObservation? {
        var binds = PostgresBindings()
        binds.append(id)
        return try await rows("id = $1", binds).first
    }

    /// One observation by its sender's department and id.
    public func observation(department: String, observationId: String) async throws -> StoredObservation? {
        var binds = PostgresBindings()
        binds.append(department)
        binds.append(observationId)
        return try await rows("department = $1 AND observation_id = $2", binds).first
    }

    /// Rows matching a WHERE/ORDER tail over `binds`.
    func rows(_ clause: String, _ binds: PostgresBindings) async throws -> [StoredObservation] {
        let logger = db.logger
        let sql = """
            SELECT id, department, observation_id, kind, observed_on::text, subject_uscc, subject_name, region_code, body::text,
                   to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), ledger_seq
            FROM observations WHERE \(clause)
            """
        return try await db.client.withConnection { conn in
            var out: [StoredObservation] = []
            for try await (id, department, observationId, kind, day, uscc, name, region, body, received, seq) in try await conn.query(
                PostgresQuery(unsafeSQL: sql, binds: binds),
                logger: logger
            ).decode((Int64, String, String, String, String, String?, String, String?, String, String, Int64).self) {
                guard let kind = ObservationKind(rawValue: kind), let date = CalendarDate(day) else { continue }
                out.append(
                    StoredObservation(
                        id: id,
                        department: department,
                        observationId: observationId,
                        kind: kind,
                        observedOn: date,
                        subject: ObservedSubject(uscc: uscc, name: name),
                        regionCode: region,
                        body: try JSONParser().parse(Array(body.utf8)),
                        receivedAt: received,
                        ledgerSeq: seq
                    )
                )
            }
            return out
        }
    }
}
