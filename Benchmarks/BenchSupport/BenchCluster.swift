import Foundation
import HubStore
import Logging
import PostgresNIO

/// The repository's root (this file is two levels below it).
package let benchProjectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The PostgreSQL every benchmark runs against (Benchmarks/*: ingest, draw, risk): the embedded cluster under
/// `.hub/bench` (fsync and synchronous commit on, as in production) unless `HUB_DATABASE_URL` names one.
package final class BenchCluster: @unchecked Sendable {
    package let logger: Logger
    package let baseURL: String
    package let projectRoot: URL
    private let launcher: EmbeddedPostgres?
    private let running: EmbeddedPostgres.Running?

    package init() throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        self.logger = logger
        projectRoot = benchProjectRoot
        if let url = ProcessInfo.processInfo.environment["HUB_DATABASE_URL"], !url.isEmpty {
            baseURL = url
            launcher = nil
            running = nil
        } else {
            let l = EmbeddedPostgres(stateDirectory: projectRoot.appendingPathComponent(".hub/bench/postgres"), logger: logger)
            let r = try l.start()
            launcher = l
            running = r
            baseURL = r.superuserURL
        }
    }

    package func stop() {
        if let launcher, let running { launcher.stop(running) }
    }

    package var mappings: String { projectRoot.appendingPathComponent("Mappings").path }

    /// The server's port (from the URL), to find its processes for `cpuSeconds`.
    package var port: Int { URLComponents(string: baseURL)?.port ?? 5432 }

    /// A fresh, empty database `name` (dropped first); returns its URL.
    package func freshDatabase(_ name: String) async throws -> String {
        try await dropDatabase(name)
        _ = try await HubDatabase(url: baseURL, maxConnections: 1, logger: logger).withRunning { db in
            try await db.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        return url(of: name)
    }

    package func dropDatabase(_ name: String) async throws {
        _ = try await HubDatabase(url: baseURL, maxConnections: 1, logger: logger).withRunning { db in
            try await db.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"), logger: logger)
        }
    }

    package func url(of database: String) -> String {
        var c = URLComponents(string: baseURL)!
        c.path = "/" + database
        return c.string!
    }

    /// CPU seconds (user + system) used so far by the PostgreSQL cluster on `port` of this machine: the postmaster,
    /// its running children (backends, WAL writer, checkpointer …) and the children it has reaped (a backend whose
    /// connection closed). Nil when the server is not a local process this user can see.
    package func cpuSeconds() -> Double? {
        guard
            let postmaster = ProcessCPU.find(where: { args in
                args.first?.hasSuffix("postgres") == true && args.contains("-p") && args.contains(String(port))
            })
                ?? ProcessCPU.find(where: { args in args.first?.hasSuffix("postgres") == true && args.joined(separator: " ").contains("-p \(port)") })
        else { return nil }
        guard let own = ProcessCPU.stat(postmaster) else { return nil }
        var total = own.user + own.system + own.childrenUser + own.childrenSystem
        for pid in ProcessCPU.children(of: postmaster) {
            if let s = ProcessCPU.stat(pid) { total += s.user + s.system }
        }
        return total
    }
}

/// CPU time of processes, from `/proc/PID/stat` (Linux).
package enum ProcessCPU {
    package struct Stat {
        package var parent: Int32
        package var user: Double
        package var system: Double
        package var childrenUser: Double
        package var childrenSystem: Double
    }

    package static let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))

    package static func stat(_ pid: Int32) -> Stat? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") else { return nil }
        // After "pid (comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 14, let ppid = Int32(fields[1]), let u = Double(fields[11]), let s = Double(fields[12]), let cu = Double(fields[13]),
            let cs = Double(fields[14])
        else { return nil }
        return Stat(parent: ppid, user: u / ticks, system: s / ticks, childrenUser: cu / ticks, childrenSystem: cs / ticks)
    }

    /// User + system seconds of one process (its own threads, not its children).
    package static func seconds(_ pid: Int32) -> Double? { stat(pid).map { $0.user + $0.system } }

    package static var pids: [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
    }

    package static func children(of parent: Int32) -> [Int32] { pids.filter { stat($0)?.parent == parent } }

    package static func find(where matches: ([String]) -> Bool) -> Int32? {
        for pid in pids {
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { continue }
            let args = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            if matches(args) { return pid }
        }
        return nil
    }

    /// This process's own CPU seconds (getrusage), for the in-process sides (COPY, the release).
    package static func selfSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec)
            / 1e6
    }
}

/// The machine's load averages (`/proc/loadavg`), printed and stored beside every wall-clock figure.
package func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
}

package func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

package func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

/// Wall and CPU time of one measured side.
package struct Measured {
    package var wall: Double
    /// CPU seconds of the process doing the side's work (the hub server, or this process for COPY), nil if unknown.
    package var processCPU: Double?
    /// CPU seconds of the PostgreSQL cluster over the same span, nil if unknown.
    package var postgresCPU: Double?

    /// Measures `body`: wall clock, `process` CPU (a pid, or nil for this process) and the cluster's CPU.
    package static func measure(_ cluster: BenchCluster, process: Int32?, _ body: () async throws -> Void) async rethrows -> Measured {
        func cpu() -> Double? {
            guard let process else { return ProcessCPU.selfSeconds() }
            return ProcessCPU.seconds(process)
        }
        let cpu0 = cpu()
        let pg0 = cluster.cpuSeconds()
        let start = ContinuousClock.now
        try await body()
        let wall = seconds(ContinuousClock.now - start)
        let cpu1 = cpu()
        let pg1 = cluster.cpuSeconds()
        return Measured(
            wall: wall,
            processCPU: cpu0.flatMap { a in cpu1.map { $0 - a } },
            postgresCPU: pg0.flatMap { a in pg1.map { $0 - a } }
        )
    }

    /// Microseconds of process CPU per record.
    package func processMicros(per records: Int) -> Double? { processCPU.map { $0 * 1e6 / Double(max(1, records)) } }
    package func postgresMicros(per records: Int) -> Double? { postgresCPU.map { $0 * 1e6 / Double(max(1, records)) } }
}
