import ArgumentParser
import AsyncHTTPClient
import BenchSupport
import Foundation
import HubModel
import HubServer
import HubStore
import Logging

/// The master key both the hub child and the benchmark's setup seal department secrets with.
let benchMasterKey = Array(repeating: UInt8(7), count: 32)

/// `IngestBenchmark serve`: the hub alone in this process (started by the other commands as a child, so that
/// the hub's CPU time is read from its own `/proc/PID/stat`, apart from the load generator's).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the hub for a benchmark (started by the others).",
        shouldDisplay: false
    )

    @Option var databaseURL: String
    @Option var port: Int

    func run() async throws {
        var logger = Logger(label: "bench-hub")
        logger.logLevel = .error
        let hub = try HubContext(
            configuration: try HubConfiguration(environment: ProcessInfo.processInfo.environment),
            databaseURL: databaseURL,
            logger: logger
        )
        let app = try await buildApplication(hub, host: "127.0.0.1", port: port) { hub in
            _ = try await hub.catalog.importFiles(in: hub.configuration.mappingsDirectory.appendingPathComponent("catalog"))
        }
        try await app.run()
    }
}

/// A hub child process on a loopback port, on `databaseURL`.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int

    /// Starts the hub and waits until it answers `/ready` (migrations and the catalog import run first).
    init(cluster: BenchCluster, databaseURL: String, environment extra: [String: String] = [:]) async throws {
        port = try FreePort.find()
        var env = ProcessInfo.processInfo.environment
        env["HUB_MAPPINGS"] = cluster.mappings
        env["HUB_DB_POOL"] = "32"
        env["HUB_MASTER_KEY"] = benchMasterKey.hex
        env["HUB_STATE_DIR"] = cluster.projectRoot.appendingPathComponent(".hub/bench/state").path
        env["HUB_LOG_LEVEL"] = "error"
        env["HUB_CHECKPOINT_MINUTES"] = "100000"
        env.removeValue(forKey: "HUB_DATABASE_URL")
        env.merge(extra) { _, new in new }
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["serve", "--database-url", databaseURL, "--port", String(port)]
        process.environment = env
        try process.run()
        for _ in 0..<600 {
            if (try? await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/ready"), timeout: .seconds(1)))?.status == .ok {
                return
            }
            guard process.isRunning else { throw ValidationError("the hub child exited with \(process.terminationStatus)") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ValidationError("the hub child did not become ready in 60 s")
    }

    var pid: Int32 { process.processIdentifier }

    /// Waits until the child is idle (under 5 % of a core over two seconds in a row, at most `limit`), so work it
    /// starts on its own over a large database is not counted as the measured side's.
    func waitUntilIdle(limit: Duration = .seconds(300)) async throws {
        let start = ContinuousClock.now
        var quiet = 0
        var last = ProcessCPU.seconds(pid) ?? 0
        while quiet < 2, ContinuousClock.now - start < limit {
            try await Task.sleep(for: .seconds(1))
            let now = ProcessCPU.seconds(pid) ?? 0
            quiet = now - last < 0.05 ? quiet + 1 : 0
            last = now
        }
        log(String(format: "  hub child idle after %.0f s", seconds(ContinuousClock.now - start)))
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

/// Departments for a benchmark, added to the hub's database with the child's master key.
func addDepartment(_ cluster: BenchCluster, databaseURL: String, code: String, agencyCode: String) async throws -> DepartmentCredentials {
    try await HubDatabase(url: databaseURL, maxConnections: 2, logger: cluster.logger).withRunning { db in
        let store = DepartmentStore(db: db, vault: try SecretVault(key: benchMasterKey))
        let credentials = try await store.add(code: code, name: "基准测试部门 \(code)")
        try await store.addAgencies(
            [DepartmentAgency(code: agencyCode, name: nil, source: .cli)],
            department: try await store.department(code: code)!
        )
        return credentials
    }
}

/// The inspection implementation item the benchmarks' records are coded against.
struct BenchItem: Sendable {
    var code: String
    var catalogCode: String
    var agencyCode: String
}

func benchItem(_ cluster: BenchCluster, databaseURL: String) async throws -> BenchItem {
    try await HubDatabase(url: databaseURL, maxConnections: 1, logger: cluster.logger).withRunning { db in
        let i = try await CatalogStore(db: db).implementations(agencyName: "衡阳市市场监督管理局", limit: 500).first { $0.itemType == .inspection }!
        return BenchItem(code: i.code, catalogCode: i.catalogCode, agencyCode: i.agencyCode)
    }
}
