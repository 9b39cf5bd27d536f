import Foundation
import HubStore
import Logging

/// Starts what a `hub` command needs: the database (embedded unless `HUB_DATABASE_URL` is set; the hub runs
/// as the app role and migrations as the owner role, see `DatabaseRoles`) with its migrations applied, and a `HubContext` over it. `stop()` stops an embedded cluster this process started.
public struct HubRuntime: Sendable {
    public let hub: HubContext
    let embedded: EmbeddedPostgres?
    let running: EmbeddedPostgres.Running?

    public static func start(configuration: HubConfiguration? = nil, logger: Logger) throws -> HubRuntime {
        let configuration = try configuration ?? HubConfiguration()
        var embedded: EmbeddedPostgres?
        var running: EmbeddedPostgres.Running?
        let url: String
        var ownerURL = configuration.migrationDatabaseURL
        if let configured = configuration.databaseURL {
            url = configured
        } else {
            let launcher = EmbeddedPostgres(stateDirectory: configuration.stateDirectory.appendingPathComponent("postgres"), logger: logger)
            let r = try launcher.start()
            embedded = launcher
            running = r
            url = r.url
            ownerURL = r.ownerURL
        }
        do {
            let hub = try HubContext(configuration: configuration, databaseURL: url, migrationDatabaseURL: ownerURL, logger: logger)
            return HubRuntime(hub: hub, embedded: embedded, running: running)
        } catch {
            if let embedded, let running { embedded.stop(running) }
            throw error
        }
    }

    public func stop() {
        if let embedded, let running { embedded.stop(running) }
    }

    /// Runs a one-shot job with the pool running and migrations applied, then stops what it started.
    public func job<T: Sendable>(_ body: @Sendable (HubContext) async throws -> T) async throws -> T {
        try await job(checkMasterKey: true, body)
    }

    /// A job that may run while the master key does not open the sealed secrets yet (the re-encryption itself).
    public func jobBeforeKeyCheck<T: Sendable>(_ body: @Sendable (HubContext) async throws -> T) async throws -> T {
        try await job(checkMasterKey: false, body)
    }

    func job<T: Sendable>(checkMasterKey: Bool, _ body: @Sendable (HubContext) async throws -> T) async throws -> T {
        defer { stop() }
        let hub = self.hub
        return try await hub.withDatabases { _ in
            try await hub.migrate()
            try await hub.prepareKeys(checkMasterKey: checkMasterKey)
            return try await body(hub)
        }
    }
}
