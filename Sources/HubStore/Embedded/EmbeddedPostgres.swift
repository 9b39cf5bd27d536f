import Foundation
import Logging

/// A private PostgreSQL cluster under a folder of the project (`.hub/postgres` by default).
///
/// Why: a department developer or an ops trainee must be able to run the hub with one command and no
/// database administrator. The cluster is made with the system's `initdb` on first use, listens on a free
/// loopback port only (no Unix socket), uses SCRAM passwords, and is stopped by whoever started it.
/// PostgreSQL refuses to run as root, so when the hub runs as root the cluster belongs to the `postgres`
/// system user and the commands run through `runuser`. A second `hub` process (say `hub departments add`
/// while `hub-demo` runs) finds the running cluster and shares it without stopping it.
public struct EmbeddedPostgres: Sendable {
    /// Where the launcher keeps its state: `password`, `port`, `datadir` (the data directory's path).
    public let stateDirectory: URL
    public var logger: Logger
    /// Faster and less durable settings (`fsync=off`): for throw-away test clusters only.
    public var ephemeral: Bool

    public init(stateDirectory: URL, ephemeral: Bool = false, logger: Logger = Logger(label: "hub.embedded-postgres")) {
        self.stateDirectory = stateDirectory
        self.ephemeral = ephemeral
        self.logger = logger
    }

    /// A running cluster and how to reach it.
    public struct Running: Sendable {
        /// As `hub_app`, the role the hub runs as: no superuser, owns nothing (see `DatabaseRoles`).
        public var url: String
        /// As `hub_owner`, which owns the database and its tables and runs the migrations.
        public var ownerURL: String
        /// As the cluster's superuser `hub`: for making databases and roles, and for tests that play an attacker.
        public var superuserURL: String
        public var port: Int
        /// Whether this process started it (and so must stop it).
        public var startedHere: Bool
        let dataDirectory: String
        let binDirectory: String
        let asPostgresUser: Bool
    }

    public enum LaunchError: Error, CustomStringConvertible {
        case noBinaries
        case notStarted(String)
        public var description: String {
            switch self {
            case .noBinaries:
                "PostgreSQL server binaries not found (looked at `pg_config --bindir` and /usr/lib/postgresql/*/bin). "
                    + "Install them: apt-get install postgresql"
            case .notStarted(let log): "the embedded PostgreSQL did not start: \(log)"
            }
        }
    }

    /// Starts the cluster (making it first if needed), or joins the one already running.
    public func start() throws -> Running {
        let fm = FileManager.default
        try fm.createDirectory(at: stateDirectory, withIntermediateDirectories: true)
        let lock = try FileLock(path: stateDirectory.appendingPathComponent("launcher.lock").path)
        defer { lock.unlock() }

        let bin = try Self.binDirectory()
        let asPostgres = getuid() == 0
        let dataDir = try dataDirectory(asPostgres: asPostgres)
        let passwordFile = stateDirectory.appendingPathComponent("password")
        let portFile = stateDirectory.appendingPathComponent("port")

        if !fm.fileExists(atPath: dataDir + "/PG_VERSION") {
            try initialize(bin: bin, dataDir: dataDir, asPostgres: asPostgres, passwordFile: passwordFile)
        }
        let password = try String(contentsOf: passwordFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let ownerPassword = try secret(named: "owner-password")
        let appPassword = try secret(named: "app-password")
        func running(port: Int, startedHere: Bool) throws -> Running {
            try ensureRoles(bin: bin, port: port, superuserPassword: password, ownerPassword: ownerPassword, appPassword: appPassword)
            return Running(
                url: Self.url(port: port, user: DatabaseRoles.app, password: appPassword),
                ownerURL: Self.url(port: port, user: DatabaseRoles.owner, password: ownerPassword),
                superuserURL: Self.url(port: port, password: password),
                port: port,
                startedHere: startedHere,
                dataDirectory: dataDir,
                binDirectory: bin,
                asPostgresUser: asPostgres
            )
        }

        // Already running (another hub process, or a crashed test run): share it.
        let status = try ProcessRunner.run(command(bin + "/pg_ctl", ["-D", dataDir, "status"], asPostgres: asPostgres), allowFailure: true)
        if status.status == 0, let text = try? String(contentsOf: portFile, encoding: .utf8),
            let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            logger.info("embedded PostgreSQL already running", metadata: ["port": "\(port)", "data": "\(dataDir)"])
            return try running(port: port, startedHere: false)
        }

        let port = try FreePort.find()
        try "\(port)\n".write(to: portFile, atomically: true, encoding: .utf8)
        // Every migration runs in one transaction and holds a lock on each object it creates (some 300 by now); the
        // test suite migrates dozens of fresh databases at once on one cluster, which overflowed the shared lock
        // table at the default 64 per transaction ("out of shared memory"). 256 costs a few MB of shared memory.
        // The test suite (the ephemeral cluster) runs a hundred-odd hubs at once, each with its own pool: at 200
        // connections it met "too many clients", and the pools' circuit breakers failed unrelated tests.
        var options = "-p \(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=\(ephemeral ? 800 : 200)"
        options += " -c max_locks_per_transaction=256"
        if ephemeral { options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off" }
        let logFile = (dataDir as NSString).deletingLastPathComponent + "/postgres.log"
        let started = try ProcessRunner.run(
            command(bin + "/pg_ctl", ["-D", dataDir, "-l", logFile, "-w", "-t", "60", "-o", options, "start"], asPostgres: asPostgres),
            allowFailure: true
        )
        guard started.status == 0 else {
            let log = (try? String(contentsOfFile: logFile, encoding: .utf8))?.suffix(2000) ?? ""
            throw LaunchError.notStarted(started.output + "\n" + log)
        }
        logger.info("embedded PostgreSQL started", metadata: ["port": "\(port)", "data": "\(dataDir)"])
        do { return try running(port: port, startedHere: true) } catch {
            _ = try? ProcessRunner.run(
                command(bin + "/pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"], asPostgres: asPostgres),
                allowFailure: true
            )
            throw error
        }
    }

    /// Stops the cluster if this process started it.
    public func stop(_ running: Running) {
        guard running.startedHere else { return }
        let cmd = command(
            running.binDirectory + "/pg_ctl",
            ["-D", running.dataDirectory, "-m", "fast", "-w", "stop"],
            asPostgres: running.asPostgresUser
        )
        _ = try? ProcessRunner.run(cmd, allowFailure: true)
        logger.info("embedded PostgreSQL stopped")
    }

    static func url(port: Int, user: String = "hub", password: String) -> String {
        "postgres://\(user):\(password)@127.0.0.1:\(port)/hub"
    }

    /// A role's password from the state folder, made (owner-only) on first use.
    func secret(named name: String) throws -> String {
        let file = stateDirectory.appendingPathComponent(name)
        if let saved = try? String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !saved.isEmpty {
            return saved
        }
        let password = Self.newPassword()
        guard FileManager.default.createFile(atPath: file.path, contents: Data(password.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return password
    }

    public static func newPassword() -> String {
        (0..<24).map { _ in String("abcdefghijkmnopqrstuvwxyz23456789".randomElement()!) }.joined()
    }

    /// Creates `hub_owner` and `hub_app` (or resets them), gives the `hub` database and everything in it to the
    /// owner — which also upgrades a cluster made before the roles existed — on every start, idempotently.
    /// The SQL goes to psql in an owner-only file: passwords never appear in a command line.
    func ensureRoles(bin: String, port: Int, superuserPassword: String, ownerPassword: String, appPassword: String) throws {
        let sql =
            (DatabaseRoles.clusterStatements(ownerPassword: ownerPassword, appPassword: appPassword)
            + DatabaseRoles.databaseStatements(database: "hub")).joined(separator: ";\n") + ";\n"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hub-roles-\(UUID().uuidString).sql").path
        guard FileManager.default.createFile(atPath: file, contents: Data(sql.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        defer { unlink(file) }
        try ProcessRunner.run(
            [bin + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)", "-U", "hub", "-d", "hub", "-f", file],
            environment: ["PGPASSWORD": superuserPassword, "PGCONNECT_TIMEOUT": "10"]
        )
    }

    func command(_ executable: String, _ arguments: [String], asPostgres: Bool) -> [String] {
        asPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments : [executable] + arguments
    }

    /// The data directory. As root it must be reachable by the `postgres` user; when the project folder is
    /// not (say, a clone under /root), the cluster lives under /var/tmp and `datadir` records where.
    func dataDirectory(asPostgres: Bool) throws -> String {
        let fm = FileManager.default
        let pointer = stateDirectory.appendingPathComponent("datadir")
        if let saved = try? String(contentsOf: pointer, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !saved.isEmpty {
            return saved
        }
        var base = stateDirectory.appendingPathComponent("cluster").path
        if asPostgres {
            try fm.createDirectory(atPath: base, withIntermediateDirectories: true)
            _ = try ProcessRunner.run(["/bin/chown", "postgres:postgres", base])
            let reachable = try ProcessRunner.run(["/usr/sbin/runuser", "-u", "postgres", "--", "/usr/bin/test", "-w", base], allowFailure: true)
            if reachable.status != 0 {
                base = "/var/tmp/supervision-hub-\(UUID().uuidString.prefix(8).lowercased())"
                try fm.createDirectory(atPath: base, withIntermediateDirectories: true)
                _ = try ProcessRunner.run(["/bin/chown", "postgres:postgres", base])
                logger.notice("project folder not reachable by the postgres user; cluster placed in \(base)")
            }
        } else {
            try fm.createDirectory(atPath: base, withIntermediateDirectories: true)
        }
        let dataDir = base + "/data"
        try dataDir.write(to: pointer, atomically: true, encoding: .utf8)
        return dataDir
    }

    func initialize(bin: String, dataDir: String, asPostgres: Bool, passwordFile: URL) throws {
        let password = Self.newPassword()
        // Secret files are the owner's only from their first byte.
        FileManager.default.createFile(atPath: passwordFile.path, contents: Data(password.utf8), attributes: [.posixPermissions: 0o600])
        // initdb reads the password from a file the postgres user can read; it is removed right after.
        let pwfile = (dataDir as NSString).deletingLastPathComponent + "/initdb.pw"
        FileManager.default.createFile(atPath: pwfile, contents: Data(password.utf8), attributes: [.posixPermissions: 0o600])
        if asPostgres { _ = try ProcessRunner.run(["/bin/chown", "postgres:postgres", pwfile]) }
        defer { try? FileManager.default.removeItem(atPath: pwfile) }
        logger.info("initializing embedded PostgreSQL cluster", metadata: ["data": "\(dataDir)"])
        try ProcessRunner.run(
            command(
                bin + "/initdb",
                [
                    "-D", dataDir, "-U", "hub", "--pwfile=\(pwfile)", "-A", "scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
                ],
                asPostgres: asPostgres
            )
        )
        // The first database, named after the role, as a managed server would have it.
        let port = try FreePort.find()
        let logFile = (dataDir as NSString).deletingLastPathComponent + "/postgres.log"
        try ProcessRunner.run(
            command(
                bin + "/pg_ctl",
                ["-D", dataDir, "-l", logFile, "-w", "-o", "-p \(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories=''", "start"],
                asPostgres: asPostgres
            )
        )
        defer { _ = try? ProcessRunner.run(command(bin + "/pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"], asPostgres: asPostgres)) }
        try ProcessRunner.run(
            [bin + "/createdb", "-h", "127.0.0.1", "-p", "\(port)", "-U", "hub", "hub"],
            environment: ["PGPASSWORD": password, "PGCONNECT_TIMEOUT": "10"]
        )
    }

    /// The server binaries: `pg_config --bindir` when it holds `initdb`, else the newest /usr/lib/postgresql/N/bin.
    static func binDirectory() throws -> String {
        let fm = FileManager.default
        if let pgConfig = ProcessRunner.which("pg_config"),
            let out = try? ProcessRunner.run([pgConfig, "--bindir"]).output.trimmingCharacters(in: .whitespacesAndNewlines),
            fm.isExecutableFile(atPath: out + "/initdb")
        {
            return out
        }
        let root = "/usr/lib/postgresql"
        let versions = ((try? fm.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted(by: >)
        for v in versions where fm.isExecutableFile(atPath: "\(root)/\(v)/bin/initdb") { return "\(root)/\(v)/bin" }
        throw LaunchError.noBinaries
    }
}

/// An exclusive advisory lock on a file, so two launchers never initialize or start one cluster twice.
final class FileLock {
    let fd: Int32
    init(path: String) throws {
        fd = open(path, O_CREAT | O_RDWR, 0o644)
        guard fd >= 0 else { throw POSIXError(.EACCES) }
        flock(fd, LOCK_EX)
    }
    func unlock() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// Asks the kernel for a free loopback TCP port.
public enum FreePort {
    public static func find() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
