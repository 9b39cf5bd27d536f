import Foundation
import HubStore
import Logging

/// A PostgreSQL primary and, optionally, a streaming standby made from it with `pg_basebackup -R`, on loopback,
/// for the failover tests. The primary comes from the hub's own launcher (roles, the `hub` database); with a
/// standby, replication is synchronous (`synchronous_standby_names = '*'`, set on the primary only, after the
/// copy, so the promoted standby does not wait for a standby of its own): a commit the hub acknowledged is on
/// both servers, as with Patroni's synchronous mode.
struct ReplicaPair: Sendable {
    let root: URL
    let bin: String
    let asPostgres: Bool
    let primaryDir: String
    let standbyDir: String?
    let primaryPort: Int
    let standbyPort: Int?
    let primary: EmbeddedPostgres.Running
    let superuserPassword: String

    static func start(standby: Bool) async throws -> ReplicaPair {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("hub-ha-\(UUID().uuidString.prefix(8).lowercased())")
        let launcher = EmbeddedPostgres(stateDirectory: root, logger: TestCluster.logger)
        let running = try launcher.start()
        let dataDir = try String(contentsOf: root.appendingPathComponent("datadir"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let password = try String(contentsOf: root.appendingPathComponent("password"), encoding: .utf8).trimmingCharacters(
            in: .whitespacesAndNewlines
        )
        let bin = try Self.binDirectory()
        let asPostgres = getuid() == 0
        let pair = ReplicaPair(
            root: root,
            bin: bin,
            asPostgres: asPostgres,
            primaryDir: dataDir,
            standbyDir: nil,
            primaryPort: running.port,
            standbyPort: nil,
            primary: running,
            superuserPassword: password
        )
        guard standby else { return pair }
        do {
            return try await pair.addStandby()
        } catch {
            pair.stopAll()
            throw error
        }
    }

    /// Copies the primary with `pg_basebackup -R`, starts the copy and makes it the synchronous standby.
    func addStandby() async throws -> ReplicaPair {
        let running = primary
        let dataDir = primaryDir
        let standbyDir = (dataDir as NSString).deletingLastPathComponent + "/standby"
        let port = try FreePort.find()
        try run(
            bin + "/pg_basebackup",
            ["-h", "127.0.0.1", "-p", "\(running.port)", "-U", "hub", "-D", standbyDir, "-R", "-X", "stream", "-c", "fast"],
            asPostgres: true
        )
        let pair = ReplicaPair(
            root: root,
            bin: bin,
            asPostgres: asPostgres,
            primaryDir: dataDir,
            standbyDir: standbyDir,
            primaryPort: running.port,
            standbyPort: port,
            primary: running,
            superuserPassword: superuserPassword
        )
        try pair.pgctl(standbyDir, ["-l", standbyDir + ".log", "-w", "-t", "60", "-o", Self.options(port: port), "start"])
        try pair.psql(port: running.port, "ALTER SYSTEM SET synchronous_standby_names = '*'")
        try pair.psql(port: running.port, "SELECT pg_reload_conf()")
        for _ in 0..<100 {
            let out = try pair.psql(port: running.port, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND sync_state = 'sync'")
            if out.trimmingCharacters(in: .whitespacesAndNewlines) == "1" { return pair }
            try await Task.sleep(for: .milliseconds(100))
        }
        pair.stopAll()
        throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "the standby did not start streaming"])
    }

    static func options(port: Int) -> String {
        "-p \(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200 -c max_locks_per_transaction=256"
    }

    /// A role's URL listing `hosts` (ports on 127.0.0.1), with `query` appended.
    func url(_ roleURL: String, ports: [Int], query: String = "") -> String {
        roleURL.replacingOccurrences(of: "127.0.0.1:\(primaryPort)", with: ports.map { "127.0.0.1:\($0)" }.joined(separator: ","))
            + (query.isEmpty ? "" : "?" + query)
    }

    /// The hub's three URLs over `ports`.
    func database(ports: [Int], query: String = "") -> TestCluster.Database {
        TestCluster.Database(
            app: url(primary.url, ports: ports, query: query),
            owner: url(primary.ownerURL, ports: ports, query: query),
            superuser: url(primary.superuserURL, ports: ports, query: query)
        )
    }

    func crashPrimary() throws { try pgctl(primaryDir, ["-m", "immediate", "-w", "stop"]) }
    func startPrimary() throws {
        try pgctl(primaryDir, ["-l", primaryDir + ".log", "-w", "-t", "60", "-o", Self.options(port: primaryPort), "start"])
    }
    func promoteStandby() throws { try pgctl(standbyDir!, ["-w", "promote"]) }

    func stopAll() {
        for dir in [primaryDir, (primaryDir as NSString).deletingLastPathComponent + "/standby"] where FileManager.default.fileExists(atPath: dir) {
            _ = try? pgctl(dir, ["-m", "immediate", "-w", "stop"])
        }
        try? FileManager.default.removeItem(at: root)
        try? FileManager.default.removeItem(atPath: (primaryDir as NSString).deletingLastPathComponent)
    }

    @discardableResult
    func psql(port: Int, _ sql: String) throws -> String {
        try run(
            bin + "/psql",
            ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)", "-U", "hub", "-d", "hub", "-c", sql],
            asPostgres: false
        )
    }

    func pgctl(_ dir: String, _ arguments: [String]) throws {
        try run(bin + "/pg_ctl", ["-D", dir] + arguments, asPostgres: true)
    }

    /// Through the hub's `ProcessRunner` (posix_spawn, output to a file): Foundation's `Process` never returns
    /// from `pg_ctl start`.
    @discardableResult
    func run(_ executable: String, _ arguments: [String], asPostgres runAsPostgres: Bool) throws -> String {
        let argv = runAsPostgres && asPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments : [executable] + arguments
        return try ProcessRunner.run(argv, environment: ["PGPASSWORD": superuserPassword, "PGCONNECT_TIMEOUT": "10"]).output
    }

    static func binDirectory() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        for v in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(v)/bin/pg_basebackup") { return "\(root)/\(v)/bin" }
        throw EmbeddedPostgres.LaunchError.noBinaries
    }
}
