import Exchange
import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import Hummingbird
import HummingbirdTesting
import ProvinceSimulator
import Testing

/// Feed bodies go out through their schema, and pulls cannot deadlock a small pool.
@Suite("Feeds and pulls under audit", .serialized)
struct FeedAndPullTrustTests {
    @Test("a stored task or clue reaches the department re-serialized through its schema: unknown members and bad names are not echoed")
    func feedsAreReserialized() async throws {
        let t = try await TestHub.make()
        let hostile =
            #"{"seq":1,"taskId":"LH-X","title":"联合抽查","leadDepartment":"HY-SCJG","departments":["HY-WJ"],"objects":[{"uscc":"91330105MA2KER1H4N","name":"某药房","<img src=x>":"1"}],"items":[],"deadline":"2026-12-31","dispatchedAt":"2026-11-26T09:00:00+08:00","injected":"<script>x</script>","bad name>":1}"#
        let clue =
            #"{"seq":1,"clueId":"FX-X","model":"m","departments":["HY-WJ"],"subject":{"uscc":"91330105MA2KER1H4N","name":"某药房","extra":"x"},"summary":"s","evidence":"e","issuedAt":"2026-11-26T09:00:00+08:00","pwned":true}"#
        try await t.withDatabase { db in
            try await db.client.query(
                """
                INSERT INTO joint_tasks (task_id, seq, title, lead_department, departments, deadline, body)
                VALUES ('LH-X', 1, '联合抽查', 'HY-SCJG', ARRAY['HY-SCJG','HY-WJ'], '2026-12-31', \(hostile))
                """,
                logger: db.logger
            )
            try await db.client.query(
                """
                INSERT INTO risk_clues (clue_id, seq, model, departments, subject_uscc, body) VALUES ('FX-X', 1, 'm', ARRAY['HY-WJ'], '91330105MA2KER1H4N', \(clue))
                """,
                logger: db.logger
            )
        }
        try await t.serve { client, _ in
            let tasks = try await client.signed(.get, "/api/v1/tasks", as: t.wj)
            let text = String(buffer: tasks.body)
            #expect(tasks.json["tasks"]?[0]["taskId"]?.string == "LH-X")
            #expect(!text.contains("injected") && !text.contains("bad name") && !text.contains("img"))
            let xml = try await client.signed(.get, "/api/v1/tasks", as: t.wj, extraHeaders: [.accept: "application/xml"])
            #expect(xml.status == .ok)
            #expect(!String(buffer: xml.body).contains("<bad name>") && String(buffer: xml.body).contains("<taskId>LH-X</taskId>"))
            let clues = try await client.signed(.get, "/api/v1/clues", as: t.wj)
            #expect(clues.json["clues"]?[0]["clueId"]?.string == "FX-X")
            #expect(!String(buffer: clues.body).contains("pwned") && !String(buffer: clues.body).contains("extra"))
        }
    }

    @Test("five pulled systems on a pool of two connections all finish (no deadlock in SyncCheckpoints.exclusively)")
    func pullsDoNotDeadlockThePool() async throws {
        let t = try await TestHub.make()
        let platform = try ProvincialPlatform(catalogCSV: nil)
        let records = (0..<4).map { i in
            try! JSONParser().parse(
                Array(
                    SampleRecords.inspection(
                        localId: "POOL-\(i)",
                        catalogCode: t.inspectionItem.catalogCode,
                        implementationCode: t.inspectionItem.code,
                        agencyCode: t.inspectionItem.agencyCode
                    ).utf8
                )
            )
        }
        await platform.addDepartmentRecords(records, department: "HY-SCJG")
        let environment = ["HUB_MAPPINGS": TestCluster.projectRoot.appendingPathComponent("Mappings").path, "HUB_DB_POOL": "2"]
        let configuration = try HubConfiguration(environment: environment)
        #expect(configuration.databasePoolSize == 2)
        try await TestProvince.serve(platform) { url in
            let hub = try HubContext(configuration: configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            let targets = (0..<5).map { n in
                DepartmentPullService.Target(
                    department: "HY-SCJG",
                    checkpoint: "pull:HY-SCJG:\(n)",
                    source: .init(
                        url: "\(url)/dept/HY-SCJG/records",
                        format: n % 2 == 0 ? "json" : "xml",
                        token: "dept-token",
                        pageSize: 1
                    ),
                    interval: .seconds(60)
                )
            }
            let finished = try await hub.db.withRunning { _ async throws -> Bool in
                let service = DepartmentPullService(hub: hub)
                return await withTaskGroup(of: Bool.self) { group in
                    group.addTask {
                        await withTaskGroup(of: Int.self) { pulls in
                            for target in targets { pulls.addTask { await service.pull(target) } }
                            for await _ in pulls {}
                        }
                        return true
                    }
                    group.addTask {
                        try? await Task.sleep(for: .seconds(60))
                        return false
                    }
                    let first = await group.next() ?? false
                    group.cancelAll()
                    return first
                }
            }
            #expect(finished, "all five pulls finished within 60 s on two connections")
            let statuses = try await t.withDatabase { db in try await SyncCheckpoints(db: db).all() }
            for n in 0..<5 {
                let status = statuses.first { $0.name == "pull:HY-SCJG:\(n)" }
                #expect(status?.cursor == "4", "pull \(n) read every page")
            }
            #expect(try await t.withDatabase { db in try await count(db, "SELECT count(*)::int FROM records WHERE local_id LIKE 'POOL-%'") } == 4)
            #expect(
                try await t.withDatabase { db in try await count(db, "SELECT count(*)::int FROM sync_leases") } == 0,
                "every lease was given back"
            )
        }
    }

    @Test("a named pull runs once at a time: a second caller is turned away while the first holds the lease")
    func oneAtATime() async throws {
        let t = try await TestHub.make()
        try await t.withDatabase { db in
            let checkpoints = SyncCheckpoints(db: db)
            let inner = try await checkpoints.exclusively("pull:X") {
                let second = try await checkpoints.exclusively("pull:X") { Issue.record("ran twice") }
                #expect(!second)
            }
            #expect(inner)
            #expect(try await checkpoints.exclusively("pull:X") {}, "free again afterwards")
        }
    }
}
