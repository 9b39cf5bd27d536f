import HubModel
import Logging
import PostgresNIO

/// The working-day calendar as loaded by ops (`calendar_years`): the years the hub may count deadlines in.
public struct CalendarStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// Installs a year (replacing a reload of the same year) with an `ops_action` ledger entry naming who loaded it
    /// and the text's hash, and counts the pending deadlines again (`recountPending`), in one transaction. Returns
    /// whether it replaced an earlier load and what the recount settled.
    @discardableResult
    public func install(_ year: CalendarYear, by user: String) async throws -> (replaced: Bool, recount: Recount) {
        try await db.client.withTransaction(logger: db.logger) { conn in
            let body = year.csv
            let payload = CanonicalJSON.string(
                .object([
                    ("action", .string("calendar_load")), ("by", .string(user)), ("year", .number(String(year.year))),
                    ("notice", .string(year.notice)), ("source", .string(year.source)),
                    ("holidays", .number(String(year.holidays.count))), ("workdays", .number(String(year.workdays.count))),
                    ("sha256", .string(sha256(Array(body.utf8)).hex)),
                ])
            )
            let entries = try await LedgerStore.append(
                [LedgerDraft(kind: .opsAction, department: "", subject: "\(OpsAction.calendarLoaded.rawValue):\(year.year)", payload: payload)],
                conn,
                logger: db.logger
            )
            var replaced = false
            for try await existed in try await conn.query(
                """
                INSERT INTO calendar_years (year, notice, source, body, loaded_by, ledger_seq)
                VALUES (\(year.year), \(year.notice), \(year.source), \(body), \(user), \(entries[0].seq))
                ON CONFLICT (year) DO UPDATE SET notice = excluded.notice, source = excluded.source, body = excluded.body,
                    loaded_by = excluded.loaded_by, loaded_at = now(), ledger_seq = excluded.ledger_seq
                RETURNING (xmax <> 0)
                """,
                logger: db.logger
            ).decode(Bool.self) { replaced = existed }
            return (replaced, try await Self.recountPending(on: conn, logger: db.logger))
        }
    }

    /// One loaded year, read back through the same parser (what is stored is always a valid file).
    public func year(_ year: Int) async throws -> CalendarYear? {
        for try await body in try await db.client.query("SELECT body FROM calendar_years WHERE year = \(year)", logger: db.logger).decode(String.self)
        {
            return try CalendarYear.parse(body, file: "calendar_years[\(year)]")
        }
        return nil
    }

    /// Every loaded year: what deadlines are counted with.
    public func workingDays() async throws -> WorkingDays {
        try await db.client.withConnection { conn in try await Self.workingDays(on: conn, logger: db.logger) }
    }

    /// Every loaded year, read on the caller's connection (a writer counting deadlines in its transaction).
    static func workingDays(on conn: PostgresConnection, logger: Logger) async throws -> WorkingDays {
        var years: [CalendarYear] = []
        for try await (year, body) in try await conn.query("SELECT year, body FROM calendar_years ORDER BY year", logger: logger)
            .decode((Int, String).self)
        {
            years.append(try CalendarYear.parse(body, file: "calendar_years[\(year)]"))
        }
        return WorkingDays(years)
    }
}
