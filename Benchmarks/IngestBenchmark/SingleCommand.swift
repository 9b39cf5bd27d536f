import ArgumentParser
import AsyncHTTPClient
import BenchSupport
import Foundation
import HubClient
import HubModel
import HubStore
import PostgresNIO

/// `IngestBenchmark single`: one-record pushes from many clients, each sending its next record as soon as the
/// previous answer came back, against pgbench's one-row INSERT transactions with as many clients on the same
/// PostgreSQL, in the same run (issue #18, item 3: group commit).
struct SingleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "single",
        abstract: "One-record pushes from many clients against pgbench's one-row INSERTs."
    )

    @Option(help: "Concurrent clients (hub) and pgbench clients.") var clients = 64
    @Option(help: "Seconds each side runs.") var seconds = 20
    @OptionGroup var child: HubChildOptions
    @Flag(help: "Also run the hub with group commit off in every run.") var compareOff = false
    @Option(help: "The pgbench binary.") var pgbench = "/usr/lib/postgresql/15/bin/pgbench"
    @OptionGroup var common: CommonOptions

    func run() async throws {
        let cluster = try BenchCluster()
        defer { cluster.stop() }
        var report = BenchReport(
            name: "single-record pushes",
            parameters: ["clients": "\(clients)", "seconds": "\(seconds)", "maxWaitMs": "\(child.maxWaitMs)", "maxBatches": "\(child.maxBatches)"],
            columns: [
                ("hub_rps", "hub rec/s", "%.0f"), ("pgbench_tps", "pgbench tps", "%.0f"), ("hub_pgbench", "hub/pgbench", "%.2f"),
                ("off_rps", "hub rec/s, group commit off", "%.0f"),
                ("hub_us", "hub µs/rec", "%.0f"), ("hub_pg_us", "PG µs/rec (hub)", "%.0f"), ("pgbench_pg_us", "PG µs/txn (pgbench)", "%.0f"),
                ("off_hub_us", "hub µs/rec off", "%.0f"), ("off_pg_us", "PG µs/rec off", "%.0f"),
                ("batches_per_group", "batches/group", "%.1f"), ("hub_p50_ms", "p50 ms", "%.1f"), ("hub_p99_ms", "p99 ms", "%.1f"),
            ]
        )
        for run in 0..<common.runs {
            var figures: [String: Double] = [:]
            var sides = ["hub", "pgbench"] + (compareOff ? ["off"] : [])
            if run % 2 == 1 { sides.reverse() }
            log("run \(run + 1)/\(common.runs): \(sides.joined(separator: ", ")) (load \(loadAverage()))")
            for side in sides {
                if side == "pgbench" {
                    let (tps, pg) = try await pgbenchRun(cluster)
                    figures["pgbench_tps"] = tps
                    figures["pgbench_pg_us"] = pg
                } else {
                    let on = side == "hub"
                    let r = try await hubRun(cluster, groupCommit: on)
                    let prefix = on ? "hub" : "off"
                    figures["\(prefix)_rps"] = r.rps
                    figures[on ? "hub_us" : "off_hub_us"] = r.hubMicros
                    figures[on ? "hub_pg_us" : "off_pg_us"] = r.pgMicros
                    if on {
                        figures["hub_p50_ms"] = r.p50
                        figures["hub_p99_ms"] = r.p99
                        figures["batches_per_group"] = r.batchesPerGroup
                    }
                }
            }
            if let h = figures["hub_rps"], let p = figures["pgbench_tps"] { figures["hub_pgbench"] = h / p }
            report.add(figures, note: ["order": sides.joined(separator: ","), "load": loadAverage()])
        }
        try report.finish(jsonOut: common.jsonOut)
    }

    struct HubFigures {
        var rps: Double
        var hubMicros: Double?
        var pgMicros: Double?
        var p50: Double
        var p99: Double
        var batchesPerGroup: Double?
    }

    func hubRun(_ cluster: BenchCluster, groupCommit: Bool) async throws -> HubFigures {
        let url = try await cluster.freshDatabase("bench_single")
        let server = try await ServerProcess(
            cluster: cluster,
            databaseURL: url,
            environment: child.environment(groupCommit: groupCommit).merging([
                "HUB_DB_POOL": String(max(20, clients + 8)),
                // One department key pushing from every client: the default allows 4 uploads in flight per key.
                "HUB_MAX_UPLOADS_PER_KEY": String(clients),
            ]) { _, new in new }
        )
        defer { server.stop() }
        let item = try await benchItem(cluster, databaseURL: url)
        let credentials = try await addDepartment(cluster, databaseURL: url, code: "BENCHS", agencyCode: item.agencyCode)
        let client = Pusher.makeClient(connections: clients)
        let pusher = Pusher(client: client, port: server.port, keyId: credentials.keyId, secret: credentials.secret, contentType: "application/json")
        let until = ContinuousClock.now + .seconds(seconds)
        var latencies: [Double] = []
        let measured = try await Measured.measure(cluster, process: server.pid) {
            latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
                for c in 0..<clients {
                    group.addTask {
                        var mine: [Double] = []
                        var n = 0
                        while ContinuousClock.now < until {
                            let record = SampleRecords.inspection(
                                localId: "S-\(c)-\(n)",
                                catalogCode: item.catalogCode,
                                implementationCode: item.code,
                                agencyCode: item.agencyCode
                            )
                            mine.append(try await pusher.push(Array(SampleRecords.batch([record]).utf8), expectAccepted: 1, label: "single"))
                            n += 1
                        }
                        return mine
                    }
                }
                var all: [Double] = []
                for try await l in group { all += l }
                return all
            }
        }
        try await client.shutdown()
        // How many requests shared a transaction: message log rows per distinct commit time of their ledger entries.
        let perGroup: Double? = try await HubDatabase(url: url, maxConnections: 1, logger: cluster.logger).withRunning { db in
            for try await (rows, groups) in try await db.client.query(
                "SELECT count(*)::float8, count(DISTINCT recorded_us)::float8 FROM ledger WHERE kind = 'record'",
                logger: cluster.logger
            ).decode((Double, Double).self) where groups > 0 {
                return rows / groups
            }
            return nil
        }
        latencies.sort()
        log(String(format: "  hub (group commit %@): %.0f records/s", groupCommit ? "on" : "off", Double(latencies.count) / measured.wall))
        return HubFigures(
            rps: Double(latencies.count) / measured.wall,
            hubMicros: measured.processMicros(per: latencies.count),
            pgMicros: measured.postgresMicros(per: latencies.count),
            p50: percentile(latencies, 0.5),
            p99: percentile(latencies, 0.99),
            batchesPerGroup: perGroup
        )
    }

    /// pgbench with `clients` clients for `seconds`, each transaction one INSERT of a row about the size of a
    /// record (≈ 1.1 KB) into a table with a primary key; returns its tps and PostgreSQL's CPU µs per transaction.
    func pgbenchRun(_ cluster: BenchCluster) async throws -> (Double, Double?) {
        let url = try await cluster.freshDatabase("bench_pgbench")
        try await HubDatabase(url: url, maxConnections: 1, logger: cluster.logger).withRunning { db in
            try await db.client.query(
                """
                CREATE TABLE one_row (id bigserial PRIMARY KEY, local_id text NOT NULL, body text NOT NULL,
                                      created_at timestamptz NOT NULL DEFAULT now())
                """,
                logger: cluster.logger
            )
        }
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("hub-bench-one-row.sql")
        try "INSERT INTO one_row (local_id, body) VALUES ('p-' || :client_id || '-' || random(), repeat('x', 1100));\n".write(
            to: script,
            atomically: true,
            encoding: .utf8
        )
        // pgbench ends a `-T` run on SIGALRM. Started straight from this process it ran on for minutes (it ended in
        // 2 s from a shell): a child inherits the spawning thread's signal mask. A one-line exec wrapper clears the
        // mask and SIGALRM's disposition first.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); signal.signal(signal.SIGALRM, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])",
            pgbench, "-n", "-c", String(clients), "-j", "2", "-T", String(seconds), "-M", "prepared", "-f", script.path, url,
        ]
        let output = Pipe()
        process.standardOutput = output
        var tps = 0.0
        let measured = try await Measured.measure(cluster, process: nil) {
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let text = String(decoding: data, as: UTF8.self)
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }),
                let value = Double(line.dropFirst(6).split(separator: " ").first ?? "")
            else {
                throw ValidationError("pgbench gave no tps: \(text)")
            }
            tps = value
        }
        log(String(format: "  pgbench: %.0f tps", tps))
        return (tps, measured.postgresCPU.map { $0 * 1e6 / (tps * measured.wall) })
    }
}
