import Foundation
import HubClient
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import NIOCore
import Testing

/// The deadlines dashboard over rows as the hub writes them: a penalty reported after its 7 working days is a late
/// publication, one whose due date falls in a year without a calendar waits, a withdrawal is listed, a general
/// case undecided past 90 days and one decided after its limit are both past their limit; the export carries
/// every line; a user scoped to another department sees none of it.
@Suite("Deadlines dashboard")
struct DeadlineDashboardTests {
    @Test("late and pending publications, withdrawals, cases past their limit; per department; CSV and XLSX; scoped users")
    func dashboard() async throws {
        let t = try await TestHub.make()
        let console = ConsoleTests()
        try await t.serve { client, hub in
            try await console.users(hub)
            try await hub.opsUsers.add(
                username: "erin",
                displayName: "erin",
                password: "correct horse battery",
                roles: [.auditor],
                departments: ["HY-WJ"]
            )
            let item = t.penaltyItem
            func penalty(_ localId: String, decided: String, submitted: String) -> String {
                SampleRecords.penalty(
                    localId: localId,
                    catalogCode: item.catalogCode,
                    implementationCode: item.code,
                    agencyCode: item.agencyCode,
                    filedAt: "\(decided)T08:00:00+08:00",
                    decidedAt: "\(decided)T15:00:00+08:00",
                    closedAt: "\(decided)T18:00:00+08:00",
                    submittedAt: submitted
                )
            }
            let records = [
                // Decided in March, reported now: its 7 working days ran out long ago.
                penalty("CF-LATE", decided: "2026-03-02", submitted: "2026-12-01T10:00:00+08:00"),
                // Decided on 2026-12-28: its due date falls in 2027, which has no calendar here.
                penalty("CF-PEND", decided: "2026-12-28", submitted: "2026-12-29T10:00:00+08:00"),
            ]
            let pushed = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch(records), as: t.scjg)
            #expect(pushed.json["results"]?.array.map { $0["status"]?.string } == ["accepted", "accepted"])
            // No calendar was loaded when they came in: both wait. Loading 2026 settles the first; the second's
            // due date falls in 2027 and keeps waiting, now naming 2027.
            #expect(try await count(hub.db, "SELECT count(*)::int FROM publications WHERE due_pending LIKE '%2026%'") == 2)
            let url = TestCluster.projectRoot.appendingPathComponent("Mappings/calendar/2026.csv")
            let loaded = try await CalendarStore(db: hub.db).install(
                try CalendarYear.parse(try String(contentsOf: url, encoding: .utf8), file: "2026.csv"),
                by: "test"
            )
            #expect(loaded.recount.publications == 1)
            #expect(
                try await count(hub.db, "SELECT count(*)::int FROM publications WHERE due_date = '2026-03-11'") == 1,
                "7 working days after 2026-03-02"
            )
            #expect(try await count(hub.db, "SELECT count(*)::int FROM publications WHERE due_pending LIKE '%2027%'") == 1)
            let withdrawn = try await client.signed(
                .post,
                "/api/v1/publications/withdrawals",
                body: #"{"localId":"CF-LATE","reason":"credit_repair","date":"2026-12-02"}"#,
                as: t.scjg
            )
            #expect(withdrawn.status == .created)
            let overdue = [CaseTests.event("AJ-OPEN", "E1", "filing", #""date":"2026-06-01T09:00:00+08:00","procedure":"02""#)]
            let lateDecision = Array(CaseTests.fullCase("AJ-LATE", filed: "2026-01-05", decided: "2026-05-06").prefix(7))
            let cases = try await client.signed(.post, "/api/v1/cases/events", body: CaseTests.body(overdue + lateDecision), as: t.scjg)
            #expect(CaseTests.statuses(cases.json).allSatisfy { $0 == "accepted" }, "\(cases.json)")

            let carol = try await console.signIn(client, "carol")
            let (status, page) = try await console.get(client, "/console/deadlines", carol)
            #expect(status == .ok)
            #expect(page.contains("id=\"total-late\">1<") && page.contains("id=\"total-pending\">1<") && page.contains("id=\"total-cases\">2<"))
            #expect(page.contains("AJ-OPEN") && page.contains("超期未决") && page.contains("AJ-LATE") && page.contains("超期决定"))
            #expect(page.contains("信用修复"), "the withdrawal with its reason in Chinese")
            #expect(page.contains("2027"), "the pending publication says which year's calendar is missing")

            let csv = try await client.execute(uri: "/console/deadlines/export.csv", method: .get, headers: [.cookie: carol.cookie])
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = String(buffer: csv.body).split(whereSeparator: \.isNewline)
            #expect(lines.count == 1 + 5, "header, late, pending, withdrawn, two cases: \(lines)")
            let xlsx = try await client.execute(uri: "/console/deadlines/export.xlsx", method: .get, headers: [.cookie: carol.cookie])
            #expect(xlsx.status == .ok && Array(xlsx.body.readableBytesView.prefix(2)) == Array("PK".utf8))

            let erin = try await console.signIn(client, "erin")
            let (_, scoped) = try await console.get(client, "/console/deadlines", erin)
            #expect(!scoped.contains("AJ-OPEN") && scoped.contains("id=\"total-cases\">0<"), "another department's cases are not shown")
        }
    }
}
