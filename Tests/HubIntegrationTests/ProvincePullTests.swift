import Exchange
import Foundation
import HubClient
import HubModel
import HubServer
import HubStore
import Hummingbird
import HummingbirdTesting
import ProvinceSimulator
import Testing

/// What the province sends down (catalog changes, joint tasks, risk clues) and department systems the hub
/// pulls from, against the simulator over real HTTP.
@Suite("Provincial feeds and department pulls", .serialized)
struct ProvincePullTests {
    /// These tests pull once and expect the pull to succeed: a request timeout of the delivery tests' 300 ms
    /// failed the catalog pull under the full suite's load on two cores (`deadlineExceeded`), not the feature.
    static let pullTimeout: Duration = .seconds(15)

    /// The last error a feed's checkpoint recorded, for the message of a failed expectation.
    static func lastError(_ hub: HubContext, _ feed: String) async throws -> String {
        var out = ""
        for try await error in try await hub.db.client.query(
            "SELECT coalesce(last_error, '') FROM sync_checkpoints WHERE name = \(feed)",
            logger: hub.logger
        ).decode(String.self) { out = error }
        return out
    }

    @Test("a catalog item retired in the province becomes a new catalog version and sends its mappings back to review")
    func retiredItemReachesTheHub() async throws {
        let t = try await TestHub.make()
        let platform = try ProvincialPlatform(catalogCSV: TestProvince.catalogCSV)
        // 药监 knows its items' codes (profile HY-YJ): registering it confirms those mappings.
        let profile = try #require(t.hub.profiles["HY-YJ"])
        let item = try #require(profile.items.first)
        let hub = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
        try await TestProvince.serve(platform) { url in
            let change = try #require(await platform.retire(code: item.catalogCode, effectiveFrom: "2026-12-01"))
            #expect(change.seq == 1)
            try await hub.db.withRunning { _ async throws in
                _ = try await hub.addDepartment(code: "HY-YJ", name: "衡阳市药品监督管理局")
                try await hub.syncProfiles()
                let confirmed = try await count(
                    hub.db,
                    "SELECT count(*) FROM item_mappings WHERE catalog_code = '\(item.catalogCode)' AND status = 'confirmed'"
                )
                #expect(confirmed >= 1)
                let service = ProvincePullService(
                    hub: hub,
                    client: ProvinceClient(configuration: TestProvince.settings(url: url, timeout: Self.pullTimeout).province!)
                )
                await service.pullOnce()
                let pullError = try await Self.lastError(hub, ProvincePullService.catalogFeed)
                #expect(pullError.isEmpty, "the catalog pull failed: \(pullError)")
                #expect(try await count(hub.db, "SELECT count(*) FROM catalog_items WHERE code = '\(item.catalogCode)'") == 2)
                #expect(
                    try await count(
                        hub.db,
                        "SELECT count(*) FROM catalog_current WHERE code = '\(item.catalogCode)' AND status = 'retired' AND effective_from = '2026-12-01 00:00:00+08'"
                    ) == 1
                )
                #expect(
                    try await count(
                        hub.db,
                        "SELECT count(*) FROM item_mappings WHERE catalog_code = '\(item.catalogCode)' AND status = 'needs_review'"
                    ) == confirmed
                )
                #expect(
                    try await count(
                        hub.db,
                        "SELECT count(*) FROM review_items WHERE local_code = '\(item.localCode)' AND status = 'open' AND reason = 'catalog_changed'"
                    ) == 1
                )
                #expect(try await hub.checkpoints.cursor(ProvincePullService.catalogFeed) == "1")
                // A second round reads nothing new and writes no version.
                await service.pullOnce()
                #expect(try await count(hub.db, "SELECT count(*) FROM catalog_items WHERE code = '\(item.catalogCode)'") == 2)
                #expect(
                    try await count(hub.db, "SELECT count(*) FROM ledger WHERE kind = 'catalog' AND subject = 'catalog:\(item.catalogCode)'") == 2,
                    "the first import and the retirement are ledger entries"
                )
            }
        }
    }

    @Test("joint tasks and risk clues reach the departments they name; feedback goes back up once")
    func tasksAndClues() async throws {
        let t = try await TestHub.make()
        let platform = try ProvincialPlatform(catalogCSV: nil)
        await platform.dispatch(
            task: JointTask(
                seq: 0,
                taskId: "LH-2026-001",
                title: "药品零售企业跨部门联合抽查",
                leadDepartment: "HY-SCJG",
                departments: ["HY-WJ"],
                objects: [("91330105MA2KER1H4N", "衡阳市某大药房有限公司")],
                items: [t.inspectionItem.catalogCode],
                deadline: "2026-12-31",
                dispatchedAt: "2026-11-26T09:00:00+08:00"
            )
        )
        await platform.issue(
            clue: RiskClue(
                seq: 0,
                clueId: "FX-0001",
                model: "非法销售处方药品",
                departments: ["HY-WJ"],
                subjectUSCC: "91330105MA2KER1H4N",
                subjectName: "衡阳市某大药房有限公司",
                summary: "网店销售处方药未核验处方",
                evidence: "商品页：无需处方，下单即发",
                issuedAt: "2026-11-26T09:00:00+08:00"
            )
        )
        try await TestProvince.serve(platform) { url in
            let hub = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            let service = ProvincePullService(
                hub: hub,
                client: ProvinceClient(configuration: TestProvince.settings(url: url, timeout: Self.pullTimeout).province!)
            )
            try await hub.db.withRunning { _ async throws in
                await service.pullOnce()
                await service.pullOnce()
                try await t.serve { client, _ async throws in
                    let scjgTasks = try await client.signed(.get, "/api/v1/tasks", as: t.scjg).json["tasks"]!.array
                    let wjTasks = try await client.signed(.get, "/api/v1/tasks", as: t.wj).json["tasks"]!.array
                    #expect(scjgTasks.count == 1 && wjTasks.count == 1, "lead and participant both see the task, once")
                    #expect(wjTasks.first?["objects"]?[0]["uscc"]?.string == "91330105MA2KER1H4N")
                    #expect(try await client.signed(.get, "/api/v1/clues", as: t.scjg).json["clues"]!.array.isEmpty, "the clue does not name 市场监管")
                    let clues = try await client.signed(.get, "/api/v1/clues", as: t.wj).json["clues"]!.array
                    #expect(clues.first?["model"]?.string == "非法销售处方药品")
                    let feedback = try await client.signed(
                        .post,
                        "/api/v1/tasks/LH-2026-001/feedback",
                        body: #"{"result":"已完成检查","detail":"未发现问题"}"#,
                        as: t.wj
                    )
                    #expect(feedback.status == .ok)
                    let unknown = try await client.signed(.post, "/api/v1/tasks/NOPE/feedback", body: #"{"result":"x"}"#, as: t.wj)
                    #expect(unknown.status == .notFound)
                    #expect(unknown.json["errors"]?[0]["code"]?.string == "task_not_found")
                }
                await service.pullOnce()
                await service.pullOnce()
            }
            #expect(await platform.feedbackCount == 1, "forwarded once")
        }
    }

    @Test("a department system that cannot push is pulled page by page through the same ingest path, and resumes from its cursor")
    func departmentPull() async throws {
        let t = try await TestHub.make()
        let platform = try ProvincialPlatform(catalogCSV: nil)
        let records = (0..<5).map { i in
            try! JSONParser().parse(
                Array(
                    SampleRecords.inspection(
                        localId: "PULL-\(i)",
                        catalogCode: t.inspectionItem.catalogCode,
                        implementationCode: t.inspectionItem.code,
                        agencyCode: t.inspectionItem.agencyCode
                    ).utf8
                )
            )
        }
        await platform.addDepartmentRecords(records, department: "HY-SCJG")
        try await TestProvince.serve(platform) { url in
            for format in ["xml", "json"] {
                let hub = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
                let target = DepartmentPullService.Target(
                    department: "HY-SCJG",
                    checkpoint: "pull:HY-SCJG:\(format)",
                    source: .init(url: "\(url)/dept/HY-SCJG/records", format: format, token: "dept-token", pageSize: 2),
                    interval: .seconds(60)
                )
                try await hub.db.withRunning { db async throws in
                    let service = DepartmentPullService(hub: hub)
                    let first = await service.pull(target)
                    #expect(first == 5, "three pages of 2, 2 and 1")
                    let cursor = try await hub.checkpoints.cursor(target.checkpoint)
                    #expect(cursor == "5", "the department system's last sequence")
                    #expect(await service.pull(target) == 0, "nothing new since the cursor")
                }
            }
            let (taken, duplicates) = try await t.withDatabase { db async throws in
                (
                    try await count(db, "SELECT count(*) FROM records WHERE local_id LIKE 'PULL-%'"),
                    try await count(db, "SELECT coalesce(sum(duplicate), 0)::int FROM intake_tally")
                )
            }
            // Pulled twice (XML, then JSON under another checkpoint): taken once, answered duplicate the second time.
            #expect(taken == 5)
            #expect(duplicates == 5)
            // A wrong token is a recorded pull error, not a crash.
            let bad = DepartmentPullService.Target(
                department: "HY-SCJG",
                checkpoint: "pull:HY-SCJG:bad",
                source: .init(url: "\(url)/dept/HY-SCJG/records", token: "wrong"),
                interval: .seconds(60)
            )
            let hub = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            try await hub.db.withRunning { _ async throws in
                #expect(await DepartmentPullService(hub: hub).pull(bad) == 0)
                let status = try await hub.checkpoints.all().first { $0.name == "pull:HY-SCJG:bad" }
                #expect(status?.lastError?.contains("401") == true)
            }
        }
    }

    @Test("pulled records obey the agency rule: a pulled system cannot file for another department's agency")
    func pulledForeignAgency() async throws {
        let t = try await TestHub.make()
        let platform = try ProvincialPlatform(catalogCSV: nil)
        // 卫健委's pulled system returns records naming 市场监管局 (HY-SCJG's agency).
        let records = (0..<3).map { i in
            try! JSONParser().parse(
                Array(
                    SampleRecords.inspection(
                        localId: "PULLX-\(i)",
                        catalogCode: t.inspectionItem.catalogCode,
                        implementationCode: t.inspectionItem.code,
                        agencyCode: t.inspectionItem.agencyCode
                    ).utf8
                )
            )
        }
        await platform.addDepartmentRecords(records, department: "HY-WJ")
        try await TestProvince.serve(platform) { url in
            let hub = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            let target = DepartmentPullService.Target(
                department: "HY-WJ",
                checkpoint: "pull:HY-WJ:0",
                source: .init(url: "\(url)/dept/HY-WJ/records", format: "json", token: "dept-token", pageSize: 10),
                interval: .seconds(60)
            )
            try await hub.db.withRunning { db async throws in
                _ = await DepartmentPullService(hub: hub).pull(target)
                #expect(try await count(db, "SELECT count(*)::int FROM records WHERE local_id LIKE 'PULLX-%'") == 0)
                #expect(try await count(db, "SELECT coalesce(sum(rejected), 0)::int FROM intake_tally") == 3)
            }
        }
    }
}
