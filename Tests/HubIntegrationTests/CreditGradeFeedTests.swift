import Exchange
import Foundation
import HubModel
import HubServer
import HubStore
import ProvinceSimulator
import Testing

/// The province's credit-grade feed into the 检查对象名录库, over real HTTP (the simulator) and PostgreSQL.
@Suite("Credit grades from the province", .serialized)
struct CreditGradeFeedTests {
    /// Library rows as the libraries' push writes them (that API is another part of the hub; here the rows are
    /// written directly so that this test depends only on the feed).
    static func addSubjects(_ hub: HubContext, _ rows: [(id: String, grade: String, date: String?)]) async throws {
        try await hub.db.client.withTransaction(logger: hub.logger) { conn in
            for row in rows {
                try await conn.query(
                    """
                    INSERT INTO rc_subjects (subject_id, id_type, name, region_code, credit_grade, credit_date, credit_source, source_department, ledger_seq)
                    VALUES (\(row.id), 'USCC', \("主体 " + row.id), '430405', \(row.grade), \(row.date)::date,
                            \(row.date == nil ? nil : "HY-SCJG"), 'HY-SCJG', 0)
                    """,
                    logger: hub.logger
                )
            }
        }
    }

    static func grade(_ hub: HubContext, _ id: String) async throws -> String {
        var out = ""
        for try await (grade, date, source) in try await hub.db.client.query(
            "SELECT credit_grade::text, coalesce(to_char(credit_date, 'YYYY-MM-DD'), ''), coalesce(credit_source, '') FROM rc_subjects WHERE subject_id = \(id)",
            logger: hub.logger
        ).decode((String, String, String).self) { out = "\(grade) \(date) \(source)" }
        return out
    }

    static func entry(_ id: String, _ grade: String, _ date: String) -> JSONValue {
        .object([("subjectId", .string(id)), ("grade", .string(grade)), ("date", .string(date))])
    }

    @Test("grades change library subjects with one ledger entry each; unknown subjects and bad rows are counted and skipped; the cursor resumes")
    func gradesReachTheLibrary() async throws {
        let t = try await TestHub.make()
        let platform = try ProvincialPlatform(catalogCSV: nil)
        let hub = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
        let (s1, s2, s3, s4) = ("91430405MA4L000011", "91430405MA4L000022", "91430405MA4L000033", "91430405MA4L000044")
        await platform.publish(creditGrades: [
            Self.entry(s1, "D", "2026-11-01"),
            Self.entry(s2, "B", "2026-11-01"),
            Self.entry("91430405MA4L999999", "C", "2026-11-01"),  // not in the library
            Self.entry(s3, "E", "2026-11-01"),  // no such grade
            Self.entry(s3, "A", "2026-13-01"),  // no such date
            .object([("grade", .string("A"))]),  // no subject
            Self.entry(s3, "A", "2026-10-01"),  // the same grade and date as held: no change
            Self.entry(s4, "C", "2026-09-01"),  // older than what is held: no change
            Self.entry(s2, "C", "2026-11-15"),  // a later grade for s2 in the same pull: the newest wins
        ])
        try await TestProvince.serve(platform) { url in
            try await hub.db.withRunning { _ in
                try await Self.addSubjects(hub, [(s1, "N", nil), (s2, "A", "2026-06-01"), (s3, "A", "2026-10-01"), (s4, "B", "2026-10-01")])
                let settings = TestProvince.settings(url: url, timeout: ProvincePullTests.pullTimeout)
                let service = ProvincePullService(hub: hub, client: ProvinceClient(configuration: settings.province!))
                let tally = try await service.creditGrades()
                #expect(tally == .init(changed: 2, unchanged: 2, unknownSubjects: 1, refused: 3))
                #expect(try await Self.grade(hub, s1) == "D 2026-11-01 province")
                #expect(try await Self.grade(hub, s2) == "C 2026-11-15 province")
                #expect(try await Self.grade(hub, s3) == "A 2026-10-01 HY-SCJG")
                #expect(try await Self.grade(hub, s4) == "B 2026-10-01 HY-SCJG")
                #expect(try await count(hub.db, "SELECT count(*) FROM rc_subjects WHERE subject_id = '91430405MA4L999999'") == 0)
                // One ledger entry per changed subject, and the row points at it.
                #expect(try await count(hub.db, "SELECT count(*) FROM ledger WHERE kind = 'random_check_library'") == 2)
                #expect(
                    try await count(
                        hub.db,
                        """
                        SELECT count(*) FROM rc_subjects s JOIN ledger l ON l.seq = s.ledger_seq
                        WHERE l.kind = 'random_check_library' AND l.subject = 'subject:' || s.subject_id AND s.credit_source = 'province'
                        """
                    ) == 2
                )
                #expect(try await hub.checkpoints.cursor(ProvincePullService.creditGradeFeed) == "9")

                // Nothing new: nothing written. Then a new grade: only it is read.
                #expect(try await service.creditGrades() == .init())
                await platform.publish(creditGrades: [Self.entry(s3, "D", "2026-12-01")])
                await service.pullOnce()
                #expect(try await ProvincePullTests.lastError(hub, ProvincePullService.creditGradeFeed).isEmpty)
                #expect(try await Self.grade(hub, s3) == "D 2026-12-01 province")
                #expect(try await count(hub.db, "SELECT count(*) FROM ledger WHERE kind = 'random_check_library'") == 3)
                #expect(try await hub.checkpoints.cursor(ProvincePullService.creditGradeFeed) == "10")
            }
        }
    }
}
