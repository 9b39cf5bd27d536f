import Exchange
import Foundation
import HubModel
import HubServer
import HubStore
import Hummingbird
import HummingbirdTesting
import ProvinceSimulator

/// The provincial simulator, served over real HTTP on loopback, for one test.
enum TestProvince {
    static let catalogCSV = try! String(contentsOf: TestCluster.projectRoot.appendingPathComponent("Mappings/catalog/catalog.csv"), encoding: .utf8)

    /// Runs `body` with a simulator over `platform`; passes its base URL. `hubURL`: where its witness asks the
    /// hub for consistency proofs.
    static func serve<T: Sendable>(
        _ platform: ProvincialPlatform,
        seed: UInt64 = 7,
        hubURL: String? = nil,
        _ body: @Sendable (String) async throws -> T
    ) async throws -> T {
        var settings = SimulatorSettings()
        settings.port = 0
        settings.seed = seed
        settings.hubURL = hubURL
        let app = buildSimulator(platform, settings: settings, logger: TestCluster.logger)
        return try await app.test(.live) { client in try await body("http://127.0.0.1:\(client.port!)") }
    }

    /// A simulator that answers 30 % of uploads with a server error, loses 20 % of its answers and repeats 20 %:
    /// what "exactly once" is tested against.
    static func unreliablePlatform() throws -> ProvincialPlatform {
        var faults = FaultPlan()
        faults.serverError = 0.3
        faults.lostAck = 0.2
        faults.duplicateAck = 0.2
        return try ProvincialPlatform(catalogCSV: catalogCSV, faults: faults)
    }

    /// Delivery settings for tests: small batches, short timeouts and backoffs.
    static func settings(url: String, timeout: Duration = .milliseconds(300), batch: Int = 50, workers: Int = 2) -> ExchangeSettings {
        var s = try! ExchangeSettings(environment: [:])
        s.province = ProvinceConfiguration(baseURL: url, token: "sim-token", receiptSecret: "sim-receipt-secret", requestTimeout: timeout)
        s.batchSize = batch
        s.workers = workers
        s.leaseSeconds = 5
        s.retry = RetryPolicy(base: .milliseconds(20), cap: .milliseconds(300), maxAttempts: 50)
        s.idle = .milliseconds(50)
        return s
    }

    /// Runs delivery services until the outbox has nothing pending (or `limit` passes); returns whether it drained.
    static func deliver(_ hubs: [HubContext], settings: ExchangeSettings, databaseURL: String, limit: Duration = .seconds(180)) async throws -> Bool {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for hub in hubs {
                let service = OutboxDeliveryService(hub: hub, client: ProvinceClient(configuration: settings.province!), settings: settings)
                group.addTask {
                    try await hub.db.withRunning { _ in
                        try? await service.run()
                        return true
                    }
                }
            }
            group.addTask {
                let start = ContinuousClock.now
                let db = try HubDatabase(url: databaseURL, maxConnections: 1, logger: TestCluster.logger)
                return try await db.withRunning { db in
                    while ContinuousClock.now - start < limit {
                        // Drained: nothing pending except versions waiting behind a dead letter of their record.
                        if try await count(
                            db,
                            """
                            SELECT count(*) FROM outbox o WHERE o.state = 'pending' AND NOT EXISTS (
                                SELECT 1 FROM outbox e WHERE e.department_id = o.department_id AND e.local_id = o.local_id
                                AND e.id < o.id AND e.state = 'dead')
                            """
                        ) == 0 {
                            return true
                        }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    return false
                }
            }
            let drained = try await group.next()!
            group.cancelAll()
            return drained
        }
    }
}

extension JSONValue {
    /// A number member as Int (simulator stats).
    func n(_ key: String) -> Int { self[key]?.intValue ?? -1 }
}
