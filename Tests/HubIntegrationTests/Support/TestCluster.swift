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
        // HUB_TEST_LOG_LEVEL=debug shows the hub's own log lines while a test runs (a hang's last steps).
        l.logLevel = ProcessInfo.processInfo.environment["HUB_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        return l
    }()

    /// The server's URLs as its superuser, the owner role and the app role (database `hub`).
    struct Servers: Sendable {
        var superuser: String
        var owner: String
        var app: String
    }

    /// A fresh database's URLs: the hub runs as `app`, migrates as `owner`; `superuser` plays the attacker.
    struct Database: Sendable {
        var app: String
        var owner: String
        var superuser: String
    }

    /// Started once; stopped at process exit when this run started it. An external server
    /// (`HUB_TEST_DATABASE_URL`, a superuser's URL) gets the same two roles, made here.
    static let base: Task<Servers, any Error> = Task {
        if let url = ProcessInfo.processInfo.environment["HUB_TEST_DATABASE_URL"], !url.isEmpty {
            let ownerPassword = EmbeddedPostgres.newPassword()
            let appPassword = EmbeddedPostgres.newPassword()
            try await HubDatabase(url: url, maxConnections: 1, logger: logger).withRunning { db in
                for sql in DatabaseRoles.clusterStatements(ownerPassword: ownerPassword, appPassword: appPassword) {
                    try await db.client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
                }
            }
            func with(_ user: String, _ password: String) -> String {
                var c = URLComponents(string: url)!
                c.user = user
                c.password = password
                return c.string!
            }
            return Servers(superuser: url, owner: with(DatabaseRoles.owner, ownerPassword), app: with(DatabaseRoles.app, appPassword))
        }
        let launcher = EmbeddedPostgres(stateDirectory: projectRoot.appendingPathComponent(".hub/test-postgres"), ephemeral: true, logger: logger)
        let running = try launcher.start()
        Stopper.set(launcher, running)
        atexit { Stopper.stop() }
        return Servers(superuser: running.superuserURL, owner: running.ownerURL, app: running.url)
    }

    /// A new, empty database on the test server, owned by the owner role.
    static func freshDatabase() async throws -> Database {
        let servers = try await base.value
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let admin = try HubDatabase(url: servers.superuser, maxConnections: 1, logger: logger)
        _ = try await admin.withRunning { db in
            try await db.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) OWNER \(DatabaseRoles.owner)"), logger: logger)
        }
        func on(_ url: String) -> String {
            var components = URLComponents(string: url)!
            components.path = "/" + name
            return components.string!
        }
        try await HubDatabase(url: on(servers.superuser), maxConnections: 1, logger: logger).withRunning { db in
            for sql in DatabaseRoles.databaseStatements(database: name) {
                try await db.client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            }
        }
        return Database(app: on(servers.app), owner: on(servers.owner), superuser: on(servers.superuser))
    }
}

/// Holds what `atexit` must stop (a C callback cannot capture).
enum Stopper {
    nonisolated(unsafe) static var launcher: EmbeddedPostgres?
    nonisolated(unsafe) static var running: EmbeddedPostgres.Running?
    static func set(_ l: EmbeddedPostgres, _ r: EmbeddedPostgres.Running) {
        launcher = l
        running = r
    }
    static func stop() { if let launcher, let running { launcher.stop(running) } }
}
