import Foundation
import HubServer
import HubStore
import Logging
import PostgresNIO

/// One real PostgreSQL per test run, started with the hub's own embedded launcher (or the server named by
/// `HUB_TEST_DATABASE_URL`), and a fresh database per test suite so suites never see each other's rows.
enum TestCluster {
    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let logger: Logger = {
        var l = Logger(label: "hub.tests")
        l.logLevel = .error
        return l
    }()

    /// The base URL, started once; stopped at process exit when this run started it.
    static let base: Task<String, any Error> = Task {
        if let url = ProcessInfo.processInfo.environment["HUB_TEST_DATABASE_URL"], !url.isEmpty { return url }
        let launcher = EmbeddedPostgres(stateDirectory: projectRoot.appendingPathComponent(".hub/test-postgres"), ephemeral: true, logger: logger)
        let running = try launcher.start()
        Stopper.set(launcher, running)
        atexit { Stopper.stop() }
        return running.url
    }

    /// A new, empty database on the test server; returns its URL.
    static func freshDatabase() async throws -> String {
        let baseURL = try await base.value
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = try HubDatabase(url: baseURL, maxConnections: 1, logger: logger)
        try await admin.withRunning { db in
            try await db.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        var components = URLComponents(string: baseURL)!
        components.path = "/" + name
        return components.string!
    }
}

/// Holds what `atexit` must stop (a C callback cannot capture).
enum Stopper {
    nonisolated(unsafe) static var launcher: EmbeddedPostgres?
    nonisolated(unsafe) static var running: EmbeddedPostgres.Running?
    static func set(_ l: EmbeddedPostgres, _ r: EmbeddedPostgres.Running) { launcher = l; running = r }
    static func stop() { if let launcher, let running { launcher.stop(running) } }
}
