import Foundation
import HubModel
import PostgresNIO
import Supervision

extension CaseStore {
    /// A case past its statutory limit, as the deadlines dashboard lists it.
    public struct CasePastLimit: Sendable, Hashable {
        public var department: String
        public var caseNo: String
        /// `over_limit` (decided late) or `overdue` (still open past its limit).
        public var status: StatutoryLimits.Status
        public var stage: CaseStage
        public var openedOn: CalendarDate
        public var dueOn: CalendarDate?
        public var decidedOn: CalendarDate?
    }

    /// Cases decided after their limit or open past it, oldest first. Candidates are read by a cheap condition
    /// (flagged, or general procedure, undecided and filed over 90 days ago — an extension only lengthens the
    /// limit); `StatutoryLimits.check` decides over their events, so extensions count exactly as at the door.
    public func pastLimit(departments: [String]?, now: Date = Date()) async throws -> [CasePastLimit] {
        let logger = db.logger
        let reader = self.reader
        let today = StatutoryLimits.day(epochSeconds: now.timeIntervalSince1970)
        return try await db.client.withConnection { conn in
            var candidates: [Int64: (String, String)] = [:]
            for try await (id, department, caseNo) in try await conn.query(
                """
                SELECT id, department_code, case_no FROM cases
                WHERE (\(departments)::text[] IS NULL OR department_code = ANY(\(departments)))
                  AND ('over_limit' = ANY(flags)
                       OR (procedure = '02' AND decided_at IS NULL AND opened_at < now() - make_interval(days => \(StatutoryLimits.generalProcedureDays)::int)))
                """,
                logger: logger
            ).decode((Int64, String, String).self) {
                candidates[id] = (department, caseNo)
            }
            guard !candidates.isEmpty else { return [] }
            let stored = try await Self.events(where: "case_id = ANY($1)", Array(candidates.keys), reader: reader, on: conn, logger: logger)
            var found: [CasePastLimit] = []
            for (caseId, rows) in Dictionary(grouping: stored, by: \.caseId) {
                let events = rows.sorted { $0.event.seq < $1.event.seq }.map(\.event.event)
                let check = StatutoryLimits.check(events, today: today)
                guard check.status == .overLimit || check.status == .overdue, let (department, caseNo) = candidates[caseId],
                    let summary = CaseSummary(events, flags: [])
                else { continue }
                found.append(
                    CasePastLimit(
                        department: department,
                        caseNo: caseNo,
                        status: check.status,
                        stage: summary.stage,
                        openedOn: CalendarDate(dayNumber: StatutoryLimits.day(summary.openedAt)),
                        dueOn: check.dueOn,
                        decidedOn: summary.decidedAt.map { CalendarDate(dayNumber: StatutoryLimits.day($0)) }
                    )
                )
            }
            return found.sorted { ($0.openedOn.dayNumber, $0.caseNo) < ($1.openedOn.dayNumber, $1.caseNo) }
        }
    }
}
