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

/// The provincial sync against the simulator over real HTTP: exactly once through faults, per-record
/// order, rejections in the department's receipt feed, two instances sharing one outbox, dead letters.
@Suite("Provincial sync", .serialized)
struct SyncTests {
    /// Pushes `count` inspections (and a second version of every tenth), plus `penalties` penalty records.
    func pushRecords(_ t: TestHub, client: any TestClientProtocol, prefix: String, count: Int, penalties: Int = 0) async throws -> Int {
        var versions = 0
        var records: [String] = (0..<count).map { i in
            SampleRecords.inspection(
                localId: "\(prefix)-\(i)",
                catalogCode: t.inspectionItem.catalogCode,
                implementationCode: t.inspectionItem.code,
                agencyCode: t.inspectionItem.agencyCode
            )
        }
        records += (0..<penalties).map { i in
            SampleRecords.penalty(
                localId: "\(prefix)-P\(i)",
                catalogCode: t.penaltyItem.catalogCode,
                implementationCode: t.penaltyItem.code,
                agencyCode: t.penaltyItem.agencyCode
            )
        }
        let updates = stride(from: 0, to: count, by: 10).map { i in
            SampleRecords.inspection(
                localId: "\(prefix)-\(i)",
                catalogCode: t.inspectionItem.catalogCode,
                implementationCode: t.inspectionItem.code,
                agencyCode: t.inspectionItem.agencyCode,
                result: "02"
            )
        }
        for chunk in (records + updates).chunked(100) {
            let response = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch(chunk), as: t.scjg)
            #expect(response.status == .ok)
            versions += response.json["results"]?.array.count { $0["status"]?.string == "accepted" } ?? 0
        }
        return versions
    }

    @Test("through 5xx, timeouts, resets, lost and duplicate acks and partial rejections, every version arrives exactly once and in order")
    func exactlyOnceThroughFaults() async throws {
        let t = try await TestHub.make()
        var faults = FaultPlan()
        faults.serverError = 0.3
        faults.timeout = 0.1
        faults.reset = 0.05
        faults.lostAck = 0.05
        faults.duplicateAck = 0.1
        faults.partialReject = 0.05
        faults.timeoutMilliseconds = 600
        let platform = try ProvincialPlatform(catalogCSV: TestProvince.catalogCSV, faults: faults)
        // The province retired the penalty item in its own copy: those records are refused for good.
        _ = await platform.retire(code: t.penaltyItem.catalogCode, effectiveFrom: "2026-11-01")
        try await TestProvince.serve(platform) { url in
            let accepted = try await t.serve { client, _ in try await pushRecords(t, client: client, prefix: "F", count: 400, penalties: 10) }
            #expect(accepted == 450)
            let settings = TestProvince.settings(url: url)
            let hub = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            #expect(try await TestProvince.deliver([hub], settings: settings, databaseURL: t.databaseURL))

            let stats = await platform.stats()
            // Records: 400 first versions and 40 second versions (the 10 penalties refused). Publications (行政执法公示):
            // one version per accepted record version, the penalties' too — the portal takes them.
            #expect(stats.n("versionsAccepted") == 440 + 450, "records and their publications")
            #expect(stats.n("accepted") == 440 + 450)
            #expect(stats.n("acceptedTwice") == 0)
            #expect(stats.n("orderViolations") == 0)
            #expect(stats.n("rejectedFinal") == 10)
            let injected = stats["injected"]!
            for fault in ["serverError", "timeout", "reset"] { #expect(injected.n(fault) > 0, Comment(rawValue: "\(fault) was injected")) }
            // Per record, the province saw versions in order.
            if case .object(let lists) = await platform.acceptedVersions() {
                for (key, list) in lists {
                    let versions = list.arrayValue!.map { $0.intValue! }
                    #expect(versions == versions.sorted() && Set(versions).count == versions.count, Comment(rawValue: key))
                }
            }
            try await t.withDatabase { db async throws in
                #expect(try await count(db, "SELECT count(*) FROM outbox WHERE state = 'delivered'") == 440 + 450)
                #expect(try await count(db, "SELECT count(*) FROM outbox WHERE state = 'rejected' AND province_code = 'catalog_item_retired'") == 10)
                #expect(try await count(db, "SELECT count(*) FROM ledger WHERE kind = 'provincial_receipt'") > 0)
                #expect(try await LedgerStore.verify(db).ok)
            }
            // The department sees every provincial answer, the rejections with the province's reason.
            try await t.serve { client, _ async throws in
                let feed = try await client.signed(.get, "/api/v1/receipts?after=0&limit=1000", as: t.scjg).json["receipts"]!.array
                let province = feed.filter { $0["kind"]?.string == "province" }
                #expect(province.count == 450)
                let rejected = province.filter { $0["status"]?.string == "rejected" }
                #expect(rejected.count == 10)
                #expect(
                    rejected.allSatisfy { $0["detail"]?["code"]?.string == "catalog_item_retired" && $0["localId"]?.string?.hasPrefix("F-P") == true }
                )
            }
            let day = SyncDay.today
            let report = try await t.withDatabase { db in try await Reconciliation(db: db).report(day: day) }
            let scjg = try #require(report.first { $0.department == "HY-SCJG" })
            #expect(scjg.received == 450 && scjg.acceptedAtIntake == 450 && scjg.delivered == 440 && scjg.provinceRejected == 10)
            let failed = scjg.checks.filter { !$0.ok }.map(\.explanation)
            #expect(failed.isEmpty, Comment(rawValue: failed.joined(separator: "; ")))
        }
    }

    @Test("two hub instances on one database deliver everything exactly once between them")
    func twoInstances() async throws {
        let t = try await TestHub.make()
        var faults = FaultPlan()
        faults.slow = 0.3
        faults.slowMilliseconds = 50
        faults.serverError = 0.1
        let platform = try ProvincialPlatform(catalogCSV: TestProvince.catalogCSV, faults: faults)
        try await TestProvince.serve(platform) { url in
            let accepted = try await t.serve { client, _ in try await pushRecords(t, client: client, prefix: "TWO", count: 600) }
            #expect(accepted == 660)
            let settings = TestProvince.settings(url: url, timeout: .seconds(2), batch: 40)
            let a = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            let b = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            #expect(try await TestProvince.deliver([a, b], settings: settings, databaseURL: t.databaseURL))
            let stats = await platform.stats()
            // 660 record versions and the publication each one made.
            #expect(stats.n("versionsAccepted") == 2 * 660)
            #expect(stats.n("accepted") == 2 * 660)
            #expect(stats.n("acceptedTwice") == 0)
            #expect(stats.n("orderViolations") == 0)
            try await t.withDatabase { db async throws in
                #expect(try await count(db, "SELECT count(*) FROM outbox WHERE state = 'delivered'") == 2 * 660)
            }
            // Both instances took part (the work was shared, not done by one while the other idled).
            let byA = Self.delivered(a)
            let byB = Self.delivered(b)
            #expect(byA > 0 && byB > 0, Comment(rawValue: "delivered by instance A \(byA), by B \(byB)"))
            #expect(byA + byB == 2 * 660)
        }
    }

    @Test("a row the province keeps refusing goes to the dead-letter state and ops can re-queue it")
    func deadLetterAndRequeue() async throws {
        let t = try await TestHub.make()
        var faults = FaultPlan()
        faults.partialReject = 1
        let platform = try ProvincialPlatform(catalogCSV: TestProvince.catalogCSV, faults: faults)
        try await TestProvince.serve(platform) { url in
            _ = try await t.serve { client, _ in try await pushRecords(t, client: client, prefix: "D", count: 3) }
            var settings = TestProvince.settings(url: url)
            settings.retry = RetryPolicy(base: .milliseconds(1), cap: .milliseconds(5), maxAttempts: 3)
            let hub = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            #expect(try await TestProvince.deliver([hub], settings: settings, databaseURL: t.databaseURL))
            try await t.withDatabase { db async throws in
                // One version of D-0 and the other records are dead, and the three publications (D-0's two versions came
                // in one batch: one publication); D-0's second version waits behind its first.
                #expect(try await count(db, "SELECT count(*) FROM outbox WHERE state = 'dead'") == 3 + 3)
                #expect(try await count(db, "SELECT count(*) FROM outbox WHERE state = 'pending'") == 1)
                let dead = try await OutboxStore(db: db).deadLetters()
                #expect(dead.allSatisfy { $0.attempts == 3 && $0.lastError == "province_busy" })
                await platform.setFaults(.none)
                #expect(try await OutboxStore(db: db).requeue(ids: dead.map(\.id), by: "ops-admin") == 3 + 3)
                #expect(try await count(db, "SELECT count(*) FROM ledger WHERE kind = 'ops_action' AND payload LIKE '%ops-admin%'") == 1)
            }
            let again = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            #expect(try await TestProvince.deliver([again], settings: settings, databaseURL: t.databaseURL))
            let stats = await platform.stats()
            #expect(stats.n("versionsAccepted") == 4 + 3)
            #expect(stats.n("orderViolations") == 0)
        }
    }
}

extension SyncTests {
    /// Rows an instance recorded as delivered, read from its own Prometheus registry.
    static func delivered(_ hub: HubContext) -> Int {
        var text: [UInt8] = []
        hub.metrics.registry.emit(into: &text)
        let line = String(decoding: text, as: UTF8.self).split(separator: "\n")
            .first { $0.hasPrefix("hub_sync_rows_total{outcome=\"delivered\"}") }
        return line.flatMap { $0.split(separator: " ").last }.flatMap { Int($0) } ?? 0
    }
}

enum SyncDay {
    static var today: String {
        let f = DateFormatter()
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date())
    }
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
