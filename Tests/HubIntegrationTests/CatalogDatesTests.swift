import Exchange
import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import ProvinceSimulator
import Testing

/// Records judged by the catalog in force on their act date, across a version change, over real HTTP and
/// PostgreSQL, with the province's simulator judging the delivered rows the same way.
@Suite("Catalog effective dates", .serialized)
struct CatalogDatesTests {
    /// Today in Asia/Shanghai.
    static var today: CalendarDate { CalendarDate(dayNumber: Int((Date().timeIntervalSince1970 + 8 * 3600) / 86_400)) }

    static func inspection(
        _ localId: String,
        _ t: TestHub,
        on day: String,
        at time: String = "09:30:00",
        submitted: String = "2026-11-21T10:00:00+08:00"
    ) -> String {
        SampleRecords.inspection(
            localId: localId,
            catalogCode: t.inspectionItem.catalogCode,
            implementationCode: t.inspectionItem.code,
            agencyCode: t.inspectionItem.agencyCode,
            date: "\(day)T\(time)+08:00",
            submittedAt: submitted
        )
    }

    @Test("an item retired effective D (province feed): an act of D-1 is accepted and delivered, an act of D rejected with the day")
    func retiredOnDay() async throws {
        let t = try await TestHub.make()
        let code = t.inspectionItem.catalogCode
        let platform = try ProvincialPlatform(catalogCSV: TestProvince.catalogCSV)
        _ = try #require(await platform.retire(code: code, effectiveFrom: "2026-11-15"))
        try await TestProvince.serve(platform) { url in
            let settings = TestProvince.settings(url: url, timeout: .seconds(15))
            let puller = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            try await puller.db.withRunning { _ async throws in
                await ProvincePullService(hub: puller, client: ProvinceClient(configuration: settings.province!)).pullOnce()
            }
            try await t.withDatabase { db async throws in
                #expect(try await count(db, "SELECT count(*)::int FROM catalog_current WHERE code = '\(code)' AND status = 'retired'") == 1)
            }
            try await t.serve { client, _ in
                let answer = try await client.signed(
                    .post,
                    "/api/v1/records",
                    body: SampleRecords.batch([Self.inspection("ED-1", t, on: "2026-11-14"), Self.inspection("ED-2", t, on: "2026-11-15")]),
                    as: t.scjg
                )
                #expect(answer.status == .ok)
                let results = answer.json["results"]!
                #expect(results[0]["status"]?.string == "accepted")
                #expect(results[1]["status"]?.string == "rejected")
                #expect(results[1]["errors"]?[0]["code"]?.string == "catalog_item_retired")
                #expect(results[1]["errors"]?[0]["path"]?.string == "records[1].item.catalogCode")
                #expect(results[1]["errors"]?[0]["messageZh"]?.string == "该监管事项自 2026-11-15 起停用")
            }
            let hub = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            #expect(try await TestProvince.deliver([hub], settings: TestProvince.settings(url: url), databaseURL: t.databaseURL))
            let stats = await platform.stats()
            #expect(stats.n("rejectedFinal") == 0, "the province judges the act of D-1 by the catalog of its day too")
            #expect(stats.n("accepted") >= 1)
            try await t.withDatabase { db async throws in
                #expect(try await count(db, "SELECT count(*)::int FROM outbox WHERE state = 'rejected'") == 0)
                #expect(try await count(db, "SELECT count(*)::int FROM outbox WHERE state = 'delivered'") >= 1)
            }
        }
    }

    @Test("a version published ahead of its day changes nothing until that day, then takes effect without a restart")
    func futureVersion() async throws {
        let t = try await TestHub.make()
        let code = t.inspectionItem.catalogCode
        let today = Self.today
        let tomorrow = today.adding(days: 1)
        let file = TestCluster.projectRoot.appendingPathComponent("Mappings/catalog/catalog.csv")
        var rows = try CatalogFile.items(try String(contentsOf: file, encoding: .utf8), file: file.path)
        let i = try #require(rows.firstIndex { $0.code == code })
        rows[i].status = .retired
        rows[i].effectiveFrom = tomorrow.description
        let retirement = rows[i]
        try await t.serve { client, hub in
            let summary = try await hub.catalog.importCatalog([retirement])
            #expect(summary.changed == 1)
            // Importing the same again writes nothing: rows are compared with the newest version, not the current one.
            #expect(try await hub.catalog.importCatalog([retirement]).unchanged == 1)
            try await t.withDatabase { db async throws in
                #expect(try await count(db, "SELECT count(*)::int FROM catalog_current WHERE code = '\(code)' AND status = 'active'") == 1)
            }
            #expect(try await hub.catalogCache.current().entry(code)?.active == true)
            let submitted = ISO8601DateFormatter().string(from: Date())
            let before = try await client.signed(
                .post,
                "/api/v1/records",
                body: SampleRecords.batch([Self.inspection("FV-1", t, on: today.description, at: "00:00:01", submitted: submitted)]),
                as: t.scjg
            )
            #expect(before.json["results"]?[0]["status"]?.string == "accepted", "an act of today: the retirement is tomorrow")
            // The department API already tells systems what is coming.
            let listed = try await client.signed(.get, "/api/v1/catalog?limit=5000", as: t.scjg).json["items"]!.array
            let entry = listed.first { $0["implementationCode"]?.string == t.inspectionItem.code }
            #expect(entry?["status"]?.string == "retired")
            #expect(entry?["effectiveFrom"]?.string == tomorrow.description)
            // The day comes (moved here by SQL rather than waited for): no restart, no write through the hub.
            try await t.withSuperuser { db async throws in
                try await db.client.query(
                    "UPDATE catalog_items SET effective_from = now() - interval '1 second' WHERE code = \(code) AND status = 'retired'",
                    logger: db.logger
                )
            }
            try await t.withDatabase { db async throws in
                #expect(try await count(db, "SELECT count(*)::int FROM catalog_current WHERE code = '\(code)' AND status = 'retired'") == 1)
            }
            await hub.catalogCache.invalidate()
            #expect(try await hub.catalogCache.current().entry(code)?.active == false, "the cache's fingerprint moved")
            let after = try await client.signed(
                .post,
                "/api/v1/records",
                body: SampleRecords.batch([Self.inspection("FV-2", t, on: today.description, at: "00:00:01", submitted: submitted)]),
                as: t.scjg
            )
            #expect(after.json["results"]?[0]["status"]?.string == "rejected")
            #expect(after.json["results"]?[0]["errors"]?[0]["messageZh"]?.string == "该监管事项自 \(today) 起停用")
        }
    }
}
