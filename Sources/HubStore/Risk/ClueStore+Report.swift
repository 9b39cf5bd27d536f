import Foundation
import HubModel
import PostgresNIO
import Supervision

extension ClueStore {
    /// The clues received from `from` to `to` (inclusive, Asia/Shanghai dates) as the warning report counts them
    /// (`WarningReport` is a pure function of these): model, origin, region, industry, day received, verdict,
    /// disposition, closed, and overdue as of `now`'s day. `departments`: an ops user's scope (nil: all).
    public func reported(from: CalendarDate, to: CalendarDate, departments: [String]? = nil, now: Date = Date()) async throws -> [ReportedClue] {
        var binds = PostgresBindings()
        binds.append(Self.day(now).description)
        let condition = Self.condition(Filter(receivedFrom: from, receivedTo: to, departments: departments), binds: &binds)
        let sql = """
            SELECT c.model, c.origin = 'city', coalesce(c.region_code, ''), coalesce(c.industry, ''), to_char(c.received_on, 'YYYY-MM-DD'),
                   c.verdict, c.disposition, c.status = 'closed', \(Self.overdueSQL)
            FROM clues c WHERE $1::date IS NOT NULL AND \(condition) ORDER BY c.received_on, c.id
            """
        var out: [ReportedClue] = []
        for try await (model, city, region, industry, received, verdict, disposition, closed, overdue) in try await db.client.query(
            PostgresQuery(unsafeSQL: sql, binds: binds),
            logger: db.logger
        ).decode((String, Bool, String, String, String, String?, String?, Bool, Bool).self) {
            guard let raisedOn = CalendarDate(received) else { continue }
            out.append(
                ReportedClue(
                    model: model,
                    fromCity: city,
                    regionCode: region,
                    industryCode: industry,
                    raisedOn: raisedOn,
                    verdict: verdict.flatMap(ClueVerdict.init(rawValue:)),
                    disposition: disposition.flatMap(ClueDisposition.Kind.init(rawValue:)),
                    closed: closed,
                    overdue: overdue
                )
            )
        }
        return out
    }
}
