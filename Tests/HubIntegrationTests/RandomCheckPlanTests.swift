import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import NIOCore
import Supervision
import Testing

/// 双随机一公开 end to end on a live server: a plan proposed, approved by a second person (seed committed),
/// drawn once, published and recomputed from what the public endpoint returned; the departments' task feeds;
/// results reported against the drawn team; frequency caps across plans; joint plans and merged visits.
@Suite("Random-check plans")
struct RandomCheckPlanTests {
    static let scjgItem = "43012100010000"
    static let wjItem = "43012100020000"

    func users(_ hub: HubContext) async throws {
        for (name, roles) in [("alice", [OpsUser.Role.reviewer]), ("bob", [.approver]), ("dave", [.reviewer, .approver])] {
            try await hub.opsUsers.add(username: name, displayName: name, password: "correct horse battery", roles: Set(roles))
        }
    }

    func login(_ client: any TestClientProtocol, _ user: String) async throws -> HTTPFields {
        try await opsLogin(client, user)
    }

    func post(_ client: any TestClientProtocol, _ path: String, _ headers: HTTPFields, _ body: String = "{}") async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    func plan(
        _ id: String,
        lead: String = "HY-SCJG",
        participants: [String] = [],
        ratios: String = "",
        perTask: Int = 2,
        start: String = "2026-12-01",
        end: String = "2026-12-31"
    ) -> String {
        var items = ["\"\(lead)\":[\"\(lead == "HY-SCJG" ? Self.scjgItem : Self.wjItem)\"]"]
        for p in participants { items.append("\"\(p)\":[\"\(p == "HY-SCJG" ? Self.scjgItem : Self.wjItem)\"]") }
        let participantList = participants.map { "\"\($0)\"" }.joined(separator: ",")
        return """
            {"planId":"\(id)","name":"抽查计划 \(id)","leadDepartment":"\(lead)","participants":[\(participantList)],\
            "items":{\(items.joined(separator: ","))},"filter":{"regionCode":"430400"},\(ratios.isEmpty ? "" : "\"ratios\":\(ratios),")\
            "inspectorsPerTask":\(perTask),"periodStart":"\(start)","periodEnd":"\(end)"}
            """
    }

    /// Proposed by dave, approved by bob, drawn by dave; the draw's answer.
    func proposeApproveDraw(_ client: any TestClientProtocol, _ body: String, planId: String) async throws -> TestResponse {
        let dave = try await login(client, "dave")
        let bob = try await login(client, "bob")
        let proposed = try await post(client, "/api/v1/ops/random-checks/plans", dave, body)
        #expect(proposed.status == .created, "\(proposed.json)")
        let approved = try await post(client, "/api/v1/ops/random-checks/plans/\(planId)/approve", bob)
        #expect(approved.status == .ok, "\(approved.json)")
        return try await post(client, "/api/v1/ops/random-checks/plans/\(planId)/draw", dave)
    }

    /// A 双随机 inspection record reporting a task, with the given inspectors.
    func result(_ t: TestHub, localId: String, planId: String, taskId: String, certificates: [String]) -> String {
        let record = SampleRecords.inspection(
            localId: localId,
            catalogCode: t.inspectionItem.catalogCode,
            implementationCode: t.inspectionItem.code,
            agencyCode: t.inspectionItem.agencyCode
        )
        let team = certificates.enumerated().map { "{\"name\":\"检查员\($0.offset)\",\"certificateNo\":\"\($0.element)\"}" }.joined(separator: ",")
        return
            record
            .replacingOccurrences(
                of: "{\"name\":\"检查员1\",\"certificateNo\":\"4304002026010\"},{\"name\":\"检查员2\",\"certificateNo\":\"4304002026011\"}",
                with: team
            )
            .replacingOccurrences(
                of: "\"operation\":\"upsert\",",
                with: "\"operation\":\"upsert\",\"planId\":\"\(planId)\",\"taskId\":\"\(taskId)\","
            )
    }

    func draw(of response: TestResponse) throws -> PublishedDraw {
        let value = try #require(response.json["draw"])
        return try JSONDecoder().decode(PublishedDraw.self, from: Data(CanonicalJSON.encode(value)))
    }

    @Test("propose → approve by another person → draw once → the public draw recomputes; the seed is never shown before")
    func lifecycle() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await users(hub)
            let libraries = RandomCheckLibraries(db: hub.db)
            try await libraries.item("HY-SCJG", Self.scjgItem)
            for n in 0..<40 { try await libraries.subject(String(format: "9143040000000%05d", n), grade: ["A", "B", "C", "D", "N"][n % 5]) }
            try await libraries.subject("914305000000000001", grade: "D", region: "430500")  // outside the filter's city
            for n in 0..<6 { try await libraries.inspector("SC-\(n)", department: "HY-SCJG") }
            try await libraries.conflict("SC-0", subject: "914304000000000003", department: "HY-SCJG")

            let alice = try await login(client, "alice")
            let bob = try await login(client, "bob")
            let dave = try await login(client, "dave")

            // Refusals with field paths: the plan's own rules, an item off the list, an unknown department.
            let bad = try await post(
                client,
                "/api/v1/ops/random-checks/plans",
                alice,
                plan("P-BAD", perTask: 1, start: "2026-12-31", end: "2026-12-01")
            )
            #expect(bad.status == .badRequest)
            let paths = bad.json["errors"]?.array.compactMap { $0["path"]?.string } ?? []
            #expect(paths.contains("inspectorsPerTask") && paths.contains("periodEnd"))
            let unknownDepartment = try await post(client, "/api/v1/ops/random-checks/plans", alice, plan("P-UNK", participants: ["HY-NOPE"]))
            #expect(unknownDepartment.status == .conflict)
            #expect(
                unknownDepartment.json["errors"]?.array.contains {
                    $0["code"]?.string == "unknown_department" && $0["path"]?.string == "participants[0]"
                } == true
            )
            let offList = try await post(client, "/api/v1/ops/random-checks/plans", alice, plan("P-OFF", participants: ["HY-WJ"]))
            #expect(offList.status == .conflict)
            #expect(
                offList.json["errors"]?.array.contains { $0["code"]?.string == "item_not_listed" && $0["path"]?.string == "items.HY-WJ[0]" } == true
            )

            let proposed = try await post(client, "/api/v1/ops/random-checks/plans", dave, plan("HY-2026-001"))
            #expect(proposed.status == .created)
            #expect(proposed.json["plan"]?["ratios"]?["D"]?.int == 3000)  // from Mappings/random-checks/ratios.csv
            let again = try await post(client, "/api/v1/ops/random-checks/plans", alice, plan("HY-2026-001"))
            #expect(again.status == .conflict)
            #expect(again.json["errors"]?[0]["code"]?.string == "plan_exists")

            // Four eyes: the proposer cannot approve, a reviewer without the approver role cannot either.
            let own = try await post(client, "/api/v1/ops/random-checks/plans/HY-2026-001/approve", dave)
            #expect(own.status == .forbidden)
            #expect(own.json["errors"]?[0]["code"]?.string == "own_plan")
            let reviewer = try await post(client, "/api/v1/ops/random-checks/plans/HY-2026-001/approve", alice)
            #expect(reviewer.json["errors"]?[0]["code"]?.string == "role_required")
            let early = try await post(client, "/api/v1/ops/random-checks/plans/HY-2026-001/draw", dave)
            #expect(early.status == .conflict)

            let approved = try await post(client, "/api/v1/ops/random-checks/plans/HY-2026-001/approve", bob)
            #expect(approved.json["status"]?.string == "approved")
            let commitment = try #require(approved.json["commitment"]?.string)

            // Before the draw the public endpoint shows the commitment and nothing of the seed.
            var seedHex = ""
            for try await hex in try await hub.db.client.query(
                "SELECT encode(seed, 'hex') FROM rc_plans WHERE plan_id = 'HY-2026-001'",
                logger: hub.db.logger
            )
            .decode(String.self) {
                seedHex = hex
            }
            #expect(seedHex.count == 64)
            let before = try await client.execute(uri: "/api/v1/random-checks/plans/HY-2026-001", method: .get)
            #expect(before.status == .ok)
            #expect(before.json["commitment"]?.string == commitment)
            #expect(before.json["draw"] == .null)
            #expect(!String(buffer: before.body).lowercased().contains(seedHex))
            let opsList = try await client.execute(uri: "/api/v1/ops/random-checks/plans", method: .get, headers: alice)
            #expect(!String(buffer: opsList.body).lowercased().contains(seedHex))
            let console = ConsoleTests()
            let session = try await console.signIn(client, "bob")
            let (listStatus, listPage) = try await console.get(client, "/console/random-checks", session)
            #expect(listStatus == .ok)
            #expect(listPage.contains("HY-2026-001") && !listPage.lowercased().contains(seedHex))
            let (_, detailBefore) = try await console.get(client, "/console/random-checks/plans/HY-2026-001", session)
            #expect(detailBefore.contains(commitment) && !detailBefore.lowercased().contains(seedHex))

            let drawn = try await post(client, "/api/v1/ops/random-checks/plans/HY-2026-001/draw", dave)
            #expect(drawn.status == .ok, "\(drawn.json)")
            let twice = try await post(client, "/api/v1/ops/random-checks/plans/HY-2026-001/draw", dave)
            #expect(twice.status == .conflict)

            let after = try await client.execute(uri: "/api/v1/random-checks/plans/HY-2026-001", method: .get)
            let published = try draw(of: after)
            #expect(published.seed == seedHex)
            let (_, detailAfter) = try await console.get(client, "/console/random-checks/plans/HY-2026-001", session)
            #expect(detailAfter.contains(seedHex) && detailAfter.contains(published.tasks[0].taskId))
            #expect(published.commitment == commitment)
            #expect(DrawVerification.problems(published).isEmpty)
            #expect(!published.candidates.contains { $0.id == "914305000000000001" })
            #expect(published.candidates.count == 40)
            // D 30 % of 8 = 3, C 10 % = 1, B 2 % = 1, A 1 % = 1, N 3 % = 1.
            #expect(published.tasks.count == 7)
            #expect(published.tasks.allSatisfy { $0.inspectors["HY-SCJG"]?.count == 2 })
            #expect(published.tasks.first { $0.subjectId == "914304000000000003" }.map { !($0.pools["HY-SCJG"] ?? []).contains("SC-0") } ?? true)
            var tampered = published
            tampered.tasks[0].inspectors["HY-SCJG"] = tampered.tasks[0].pools["HY-SCJG"]!.reversed().prefix(2).map { $0 }
            if tampered.tasks[0].inspectors != published.tasks[0].inspectors { #expect(!DrawVerification.problems(tampered).isEmpty) }

            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'random_check_plan'") == 2)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'random_check_draw' AND subject = 'HY-2026-001'") == 1)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'rc_plan'") == 1)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'rc_draw'") == 1)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'rc_task'") == 7)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM rc_task_inspectors") == 14)

            // The department's feed, two at a time with the cursor; another department sees none of it.
            var seen: [String] = []
            var cursor = 0
            for _ in 0..<5 {
                let page = try await client.signed(.get, "/api/v1/random-checks/tasks?after=\(cursor)&limit=2", as: t.scjg)
                #expect(page.status == .ok)
                let tasks = page.json["tasks"]?.array ?? []
                seen += tasks.compactMap { $0["taskId"]?.string }
                cursor = page.json["next"]?.int ?? cursor
                if tasks.isEmpty { break }
                #expect(tasks.allSatisfy { $0["items"]?[0].string == Self.scjgItem && $0["inspectors"]?.array.count == 2 })
                #expect(tasks.allSatisfy { $0["overdue"] == .bool(false) && $0["status"]?.string == "open" })
            }
            #expect(Set(seen) == Set(published.tasks.map(\.taskId)))
            #expect(seen.count == 7)
            let other = try await client.signed(.get, "/api/v1/random-checks/tasks", as: t.wj)
            #expect(other.json["tasks"]?.array.isEmpty == true)
            let badCursor = try await client.signed(.get, "/api/v1/random-checks/tasks?after=x", as: t.scjg)
            #expect(badCursor.status == .badRequest)

            // Results: the drawn team is accepted; a stranger is rejected until recorded as a substitute.
            let task = published.tasks[0]
            let team = task.inspectors["HY-SCJG"]!
            // The 2026 calendar loaded: the result is due for publication 20 working days after the check.
            let year = try CalendarYear.parse(
                try String(
                    contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                        "../../Mappings/calendar/2026.csv"
                    ),
                    encoding: .utf8
                ),
                file: "2026.csv"
            )
            try await CalendarStore(db: hub.db).install(year, by: "test")
            let ok = try await client.signed(
                .post,
                "/api/v1/records",
                body: SampleRecords.batch([result(t, localId: "RC-1", planId: "HY-2026-001", taskId: task.taskId, certificates: team)]),
                as: t.scjg
            )
            #expect(ok.json["results"]?[0]["status"]?.string == "accepted", "\(ok.json)")
            // Checked on Friday 2026-11-20; twenty working days later (no holiday between) is Friday 2026-12-18.
            #expect(
                try await count(
                    hub.db,
                    "SELECT count(*)::int FROM rc_task_results WHERE task_id = '\(task.taskId)' AND checked_on = '2026-11-20' AND publish_due = '2026-12-18'"
                ) == 1
            )
            #expect(try await count(hub.db, "SELECT count(*)::int FROM rc_tasks WHERE task_id = '\(task.taskId)' AND status = 'done'") == 1)

            let second = published.tasks[1]
            let secondTeam = second.inspectors["HY-SCJG"]!
            let outsider = try #require(second.pools["HY-SCJG"]?.first { !secondTeam.contains($0) })
            let record = result(t, localId: "RC-2", planId: "HY-2026-001", taskId: second.taskId, certificates: [secondTeam[0], outsider])
            let refused = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([record]), as: t.scjg)
            #expect(refused.json["results"]?[0]["status"]?.string == "rejected")
            #expect(refused.json["results"]?[0]["errors"]?[0]["code"]?.string == "inspector_not_drawn")
            #expect(refused.json["results"]?[0]["errors"]?[0]["path"]?.string == "records[0].inspection.inspectors[1].certificateNo")
            let wrongPlan = try await client.signed(
                .post,
                "/api/v1/records",
                body: SampleRecords.batch([result(t, localId: "RC-3", planId: "HY-2026-XXX", taskId: second.taskId, certificates: secondTeam)]),
                as: t.scjg
            )
            #expect(wrongPlan.json["results"]?[0]["errors"]?[0]["code"]?.string == "task_plan_mismatch")
            let unknown = try await client.signed(
                .post,
                "/api/v1/records",
                body: SampleRecords.batch([result(t, localId: "RC-4", planId: "HY-2026-001", taskId: "HY-2026-001-NOPE", certificates: secondTeam)]),
                as: t.scjg
            )
            #expect(unknown.json["results"]?[0]["errors"]?[0]["code"]?.string == "unknown_task")

            let substitution = try await post(
                client,
                "/api/v1/ops/random-checks/tasks/\(second.taskId)/substitutions",
                alice,
                "{\"department\":\"HY-SCJG\",\"replaces\":\"\(secondTeam[1])\",\"certificateNo\":\"\(outsider)\",\"reason\":\"原抽中人员病假\"}"
            )
            #expect(substitution.status == .created, "\(substitution.json)")
            let accepted = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([record]), as: t.scjg)
            #expect(accepted.json["results"]?[0]["status"]?.string == "accepted", "\(accepted.json)")
            let feed = try await client.signed(.get, "/api/v1/random-checks/tasks?limit=500", as: t.scjg)
            let shown = feed.json["tasks"]?.array.first { $0["taskId"]?.string == second.taskId }
            #expect(
                shown?["inspectors"]?.array.contains { $0["certificateNo"]?.string == outsider && $0["substitutesFor"]?.string == secondTeam[1] }
                    == true
            )
            #expect(shown?["status"]?.string == "done")
        }
    }

    @Test("a draw short of inspectors is refused with its shortfalls, writes nothing and leaves the plan approved")
    func shortfall() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await users(hub)
            let libraries = RandomCheckLibraries(db: hub.db)
            try await libraries.item("HY-SCJG", Self.scjgItem)
            for n in 0..<5 { try await libraries.subject(String(format: "9143040000000%05d", n), grade: "D") }
            try await libraries.inspector("SC-1", department: "HY-SCJG")
            try await libraries.inspector("SC-2", department: "HY-SCJG")
            try await libraries.inspector("SC-3", department: "HY-SCJG", status: "suspended")
            let refused = try await proposeApproveDraw(client, plan("HY-SHORT", perTask: 3), planId: "HY-SHORT")
            #expect(refused.status == .conflict)
            let errors = refused.json["errors"]?.array ?? []
            #expect(!errors.isEmpty && errors.allSatisfy { $0["code"]?.string == "too_few_inspectors" })
            #expect(errors.first?["path"]?.string?.hasPrefix("tasks.HY-SHORT-") == true)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM rc_tasks") == 0)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM rc_task_inspectors") == 0)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind IN ('rc_draw', 'rc_task')") == 0)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind LIKE 'random_check_%'") == 2)  // proposed, approved
            #expect(try await count(hub.db, "SELECT count(*)::int FROM rc_plans WHERE status = 'approved' AND draw IS NULL") == 1)
        }
    }

    @Test("a grade-A subject drawn by one department's plan is skipped by another department's plan the same year")
    func frequencyCapAcrossPlans() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await users(hub)
            let libraries = RandomCheckLibraries(db: hub.db)
            try await libraries.item("HY-SCJG", Self.scjgItem)
            try await libraries.item("HY-WJ", Self.wjItem)
            try await libraries.subject("914304000000000001", grade: "A")
            for n in 0..<3 {
                try await libraries.inspector("SC-\(n)", department: "HY-SCJG")
                try await libraries.inspector("WJ-\(n)", department: "HY-WJ")
            }
            let all = "{\"A\":10000}"
            let first = try await proposeApproveDraw(client, plan("SC-CAP", ratios: all), planId: "SC-CAP")
            #expect(first.json["draw"]?["tasks"]?.array.count == 1, "\(first.json)")
            let second = try await proposeApproveDraw(client, plan("WJ-CAP", lead: "HY-WJ", ratios: all), planId: "WJ-CAP")
            #expect(second.status == .ok, "\(second.json)")
            let published = try draw(of: second)
            #expect(published.skipped == ["914304000000000001"])
            #expect(published.tasks.isEmpty)
            #expect(DrawVerification.problems(published).isEmpty)
        }
    }

    @Test("a joint plan draws each department's team and its task is in both feeds; overlapping plans get a merge proposal")
    func jointAndMerge() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            try await users(hub)
            let libraries = RandomCheckLibraries(db: hub.db)
            try await libraries.item("HY-SCJG", Self.scjgItem)
            try await libraries.item("HY-WJ", Self.wjItem)
            try await libraries.subject("914304000000000001", grade: "D")
            try await libraries.subject("914304000000000002", grade: "D")
            for n in 0..<4 {
                try await libraries.inspector("SC-\(n)", department: "HY-SCJG")
                try await libraries.inspector("WJ-\(n)", department: "HY-WJ")
            }
            let all = "{\"D\":10000}"
            let joint = try await proposeApproveDraw(client, plan("JOINT-1", participants: ["HY-WJ"], ratios: all), planId: "JOINT-1")
            let published = try draw(of: joint)
            #expect(published.tasks.count == 2)
            #expect(published.tasks.allSatisfy { $0.inspectors["HY-SCJG"]?.count == 2 && $0.inspectors["HY-WJ"]?.count == 2 })
            #expect(DrawVerification.problems(published).isEmpty)
            for credentials in [t.scjg, t.wj] {
                let feed = try await client.signed(.get, "/api/v1/random-checks/tasks", as: credentials)
                let tasks = feed.json["tasks"]?.array ?? []
                #expect(tasks.count == 2)
                let own = credentials.keyId == t.scjg.keyId ? Self.scjgItem : Self.wjItem
                #expect(tasks.allSatisfy { $0["items"]?.array == [.string(own)] && $0["inspectors"]?.array.count == 2 })
            }
            // A joint task is done once every department reported: HY-WJ's result (written here as its report would
            // leave it) and HY-SCJG's record with its drawn team.
            let (first, second) = (published.tasks[0], published.tasks[1])
            try await hub.db.client.query(
                """
                INSERT INTO rc_task_results (task_id, department_code, local_id, checked_on, ledger_seq)
                VALUES (\(first.taskId), 'HY-WJ', 'WJ-1', '2026-11-20', 0)
                """,
                logger: hub.db.logger
            )
            for (index, task) in [first, second].enumerated() {
                let record = result(t, localId: "J-\(index)", planId: "JOINT-1", taskId: task.taskId, certificates: task.inspectors["HY-SCJG"]!)
                let pushed = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([record]), as: t.scjg)
                #expect(pushed.json["results"]?[0]["status"]?.string == "accepted", "\(pushed.json)")
                let wrongTeam = result(t, localId: "J-W\(index)", planId: "JOINT-1", taskId: task.taskId, certificates: task.inspectors["HY-WJ"]!)
                let refused = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([wrongTeam]), as: t.scjg)
                #expect(refused.json["results"]?[0]["errors"]?[0]["code"]?.string == "inspector_not_drawn")
            }
            #expect(try await count(hub.db, "SELECT count(*)::int FROM rc_tasks WHERE task_id = '\(first.taskId)' AND status = 'done'") == 1)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM rc_tasks WHERE task_id = '\(second.taskId)' AND status = 'open'") == 1)

            // A joint task needs no merging; two department plans on the same subjects in overlapping periods do.
            #expect(try await count(hub.db, "SELECT count(*)::int FROM rc_merge_proposals") == 0)

            try await hub.db.client.query("UPDATE rc_tasks SET status = 'done'", logger: hub.db.logger)
            _ = try await proposeApproveDraw(client, plan("SC-M", ratios: all, start: "2026-12-01", end: "2026-12-20"), planId: "SC-M")
            _ = try await proposeApproveDraw(client, plan("WJ-M", lead: "HY-WJ", ratios: all, start: "2026-12-10", end: "2026-12-31"), planId: "WJ-M")
            let bob = try await login(client, "bob")
            let merges = try await client.execute(uri: "/api/v1/ops/random-checks/merges?status=proposed", method: .get, headers: bob)
            let list = merges.json["merges"]?.array ?? []
            #expect(list.count == 2)
            #expect(list.allSatisfy { $0["windowStart"]?.string == "2026-12-10" && $0["windowEnd"]?.string == "2026-12-20" })
            #expect(list.allSatisfy { $0["departments"]?.array == [.string("HY-SCJG"), .string("HY-WJ")] })
            let id = try #require(list.first?["id"]?.int)
            // Accepted in the console by an approver (a CSRF-checked form), declined through the API.
            let console = ConsoleTests()
            let session = try await console.signIn(client, "bob")
            let (_, before) = try await console.get(client, "/console/random-checks/merges", session)
            #expect(before.contains("merge-accept"))
            let accepted = try await console.post(client, "/console/random-checks/merges/\(id)", session, "decision=accept")
            #expect(accepted.status == .seeOther)
            let (_, after) = try await console.get(client, "/console/random-checks/merges", session)
            #expect(after.contains("已合并"))
            let alice = try await console.signIn(client, "alice")
            let (_, forReviewer) = try await console.get(client, "/console/random-checks/merges", alice)
            #expect(!forReviewer.contains("merge-accept"))
            let refused = try await console.post(client, "/console/random-checks/merges/\(list[1]["id"]?.int ?? 0)", alice, "decision=accept")
            #expect(refused.status == .forbidden)
            let declined = try await post(client, "/api/v1/ops/random-checks/merges/\(list[1]["id"]?.int ?? 0)/decline", bob)
            #expect(declined.json["status"]?.string == "declined")
            let again = try await post(client, "/api/v1/ops/random-checks/merges/\(id)/decline", bob)
            #expect(again.status == .conflict)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM rc_tasks WHERE merged_into = \(id)") == 2)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'random_check_merge'") == 2)
            let report = try await client.execute(uri: "/api/v1/ops/random-checks/reports/visits", method: .get, headers: bob)
            let month = report.json["months"]?[0]
            #expect(month?["tasks"]?.int == 6)
            #expect(month?["visitsBefore"]?.int == 6)
            #expect(month?["visitsAfter"]?.int == 5)
        }
    }
}
