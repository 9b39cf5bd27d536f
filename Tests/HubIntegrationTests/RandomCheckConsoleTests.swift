import Foundation
import HubServer
import HubStore
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing

/// The 双随机 pages of the console and their CSV exports, over rows as the random-check store writes them: the
/// commitment shown before the draw and the seed only after it, overdue tasks flagged, merge proposals with the
/// visits they save, the libraries searchable.
@Suite("Random checks in the console")
struct RandomCheckConsoleTests {
    static let rows: [PostgresQuery] = [
        """
        INSERT INTO rc_subjects (subject_id, id_type, name, region_code, industry_code, credit_grade, source_department, ledger_seq)
        VALUES ('91430405MA4L000001', '001', '雁城大药房', '430405', 'F5251', 'C', 'HY-SCJG', 0),
               ('91430405MA4L000002', '001', '石鼓餐饮店', '430407', 'H6210', 'A', 'HY-SCJG', 0)
        """,
        "INSERT INTO rc_inspectors (certificate_no, department_code, name, region_code, status, ledger_seq) VALUES ('43040001', 'HY-SCJG', '王执法', '430400', 'active', 0)",
        """
        INSERT INTO rc_plans (plan_id, name, lead_department, participants, body, status, period_start, period_end, proposed_by,
                              approved_by, commitment, ledger_seq)
        VALUES ('HY-2026-001', '药品零售抽查', 'HY-SCJG', '{}', '{}', 'approved', '2026-01-01', '2026-01-31', 'alice', 'bob',
                'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00', 0),
               ('HY-2026-002', '餐饮联合抽查', 'HY-SCJG', '{HY-WJ}', '{}', 'drawn', '2026-01-01', '2026-01-31', 'alice', 'bob',
                'abc', 0)
        """,
        "UPDATE rc_plans SET draw = '{\"seed\":\"5eed5eed\"}', candidates_hash = 'feed', drawn_at = now() WHERE plan_id = 'HY-2026-002'",
        """
        INSERT INTO rc_tasks (task_id, plan_id, subject_id, credit_grade, departments, drawn_on, period_end, status)
        VALUES ('HY-2026-002-91430405MA4L000001', 'HY-2026-002', '91430405MA4L000001', 'C', '{HY-SCJG,HY-WJ}', '2026-01-02', '2026-01-31', 'open'),
               ('HY-2026-002-91430405MA4L000002', 'HY-2026-002', '91430405MA4L000002', 'A', '{HY-SCJG,HY-WJ}', '2026-01-02', '2026-01-31', 'done')
        """,
        "INSERT INTO rc_task_inspectors (task_id, department_code, certificate_no) VALUES ('HY-2026-002-91430405MA4L000001', 'HY-SCJG', '43040001')",
        """
        INSERT INTO rc_task_results (task_id, department_code, local_id, checked_on, publish_due, ledger_seq)
        VALUES ('HY-2026-002-91430405MA4L000002', 'HY-SCJG', 'SCJG-JC-1', '2026-01-05', '2026-02-09', 0)
        """,
        """
        INSERT INTO rc_merge_proposals (subject_id, task_ids, departments, window_start, window_end, status, decided_by)
        VALUES ('91430405MA4L000001', '{HY-2026-002-91430405MA4L000001,HY-WL-9-91430405MA4L000001}', '{HY-SCJG,HY-WL}', '2026-01-10',
                '2026-01-31', 'accepted', 'bob')
        """,
    ]

    @Test("plans, a drawn plan's seed and tasks, merges, libraries and the CSV exports")
    func pages() async throws {
        let t = try await TestHub.make()
        let console = ConsoleTests()
        try await t.serve { client, hub in
            try await console.users(hub)
            for sql in Self.rows { try await hub.db.client.query(sql, logger: hub.logger) }
            let s = try await console.signIn(client, "carol")

            let (status, list) = try await console.get(client, "/console/random-checks", s)
            #expect(status == .ok)
            #expect(list.contains("HY-2026-001") && list.contains("已审批（待摇号）") && list.contains("已摇号"))
            #expect(list.contains("id=\"overdue-total\">逾期任务 1 个"), "the open task of a plan that ended is overdue")

            let (_, approved) = try await console.get(client, "/console/random-checks/plans/HY-2026-001", s)
            #expect(approved.contains("c0ffee00c0ffee00"))
            #expect(approved.contains("摇号后公开"), "no seed before the draw")

            let (_, drawn) = try await console.get(client, "/console/random-checks/plans/HY-2026-002", s)
            #expect(drawn.contains("<code id=\"seed\">5eed5eed</code>"))
            #expect(drawn.contains("雁城大药房") && drawn.contains("HY-SCJG: 43040001") && drawn.contains("逾期"))
            #expect(drawn.contains("SCJG-JC-1（检查 2026-01-05，公示期限 2026-02-09）"))

            let (_, merges) = try await console.get(client, "/console/random-checks/merges", s)
            #expect(merges.contains("id=\"visits-saved\">1<") && merges.contains("已合并"))

            let (_, subjects) = try await console.get(client, "/console/random-checks/libraries?kind=subjects&q=%E9%9B%81%E5%9F%8E", s)
            #expect(subjects.contains("雁城大药房") && !subjects.contains("石鼓餐饮店"))
            let (_, inspectors) = try await console.get(client, "/console/random-checks/libraries?kind=inspectors", s)
            #expect(inspectors.contains("王执法"))

            let csv = try await client.execute(
                uri: "/console/random-checks/exports/tasks.csv?plan=HY-2026-002",
                method: .get,
                headers: [.cookie: s.cookie]
            )
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition]?.contains("random-check-tasks-HY-2026-002.csv") == true)
            let lines = String(buffer: csv.body).split(separator: "\r\n")
            #expect(lines.count == 3)
            #expect(lines[0].hasPrefix("\u{FEFF}任务编号,计划编号"))
            #expect(lines.contains { $0.contains("HY-2026-002-91430405MA4L000001") && $0.contains(",是,") })
            let plans = try await client.execute(uri: "/console/random-checks/exports/plans.csv", method: .get, headers: [.cookie: s.cookie])
            #expect(String(buffer: plans.body).split(separator: "\r\n").count == 3)
            let xlsx = try await client.execute(uri: "/console/random-checks/exports/tasks.xlsx", method: .get, headers: [.cookie: s.cookie])
            #expect(xlsx.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let workbook = Array(xlsx.body.readableBytesView)
            #expect(workbook.starts(with: [0x50, 0x4B, 0x03, 0x04]), "a ZIP archive")
            #expect(String(decoding: workbook, as: UTF8.self).contains("雁城大药房"))
            let wrong = try await client.execute(uri: "/console/random-checks/exports/tasks.pdf", method: .get, headers: [.cookie: s.cookie])
            #expect(wrong.status == .notFound)
        }
    }
}
