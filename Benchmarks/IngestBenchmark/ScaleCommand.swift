import ArgumentParser
import BenchSupport
import Foundation
import HubClient
import HubModel
import HubStore
import Normalization
import PostgresNIO

/// `IngestBenchmark scale`: ingest and the console's pages with the ledger at several sizes (issue #18, item 5:
/// within 20 % of each other). For each size, a fresh database is filled by `LedgerPrefill`, then the hub child
/// takes `--records` records in batches and an operator's pages are timed.
struct ScaleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "Batch ingest and console page times with the ledger grown to each size (generated with COPY)."
    )

    @Option(help: "Ledger sizes (entries, comma-separated).") var ledger = "0,1000000,5000000"
    @Option(help: "Months the generated entries are spread over (one partition each).") var months = 24
    @Option(help: "Records pushed per size (batch ingest).") var records = 20_000
    @Option(help: "Records per batch.") var batch = 500
    @Option(help: "Concurrent clients.") var clients = 4
    @Option(help: "Requests per page after one warm-up (the median is reported).") var `repeat` = 9
    @Flag(help: "Keep the last size's database (bench_scale) for a look afterwards.") var keep = false
    @OptionGroup var child: HubChildOptions
    @OptionGroup var common: CommonOptions

    /// The pages an operator opens, by key, header and path (`{day}` is a day in the middle of the generated span).
    static let pages: [(key: String, header: String, path: String)] = [
        ("ledger_ms", "ledger ms", "/console/ledger"),
        ("ledger_day_ms", "ledger kind+day ms", "/console/ledger?kind=record&from={day}&to={day}"),
        ("records_ms", "records ms", "/console/records"),
        ("records_q_ms", "records localId ms", "/console/records?q=P-12345"),
        ("messages_ms", "报送日志 ms", "/console/messages"),
        ("exchange_ms", "exchange ms", "/console/exchange"),
    ]

    func run() async throws {
        let sizes = try ledger.split(separator: ",").map { s -> Int in
            guard let n = Int(s.trimmingCharacters(in: .whitespaces)), n >= 0 else { throw ValidationError("--ledger takes sizes like 0,1000000") }
            return n
        }
        let cluster = try BenchCluster()
        defer { cluster.stop() }
        var report = BenchReport(
            name: "cost as the ledger grows",
            parameters: [
                "ledger": ledger, "months": "\(months)", "records": "\(records)", "batch": "\(batch)", "clients": "\(clients)",
                "repeat": "\(self.repeat)",
            ],
            columns: [
                ("entries", "ledger prefilled", "%.0f"), ("head", "ledger head after", "%.0f"), ("fill_s", "fill s", "%.0f"),
                ("rps", "ingest rec/s", "%.0f"),
                ("hub_us", "hub µs/rec", "%.0f"), ("pg_us", "PG µs/rec", "%.0f"),
            ] + Self.pages.map { (key: $0.key, header: $0.header, format: "%.1f") },
            spreadGoal: (0.20, Set(["rps", "hub_us", "pg_us"] + Self.pages.map(\.key)))
        )
        for (n, size) in sizes.enumerated() {
            log("size \(n + 1)/\(sizes.count): ledger \(size) (load \(loadAverage()))")
            report.add(try await measure(cluster, size: size), note: ["load": loadAverage()])
        }
        if !keep { try await cluster.dropDatabase("bench_scale") }
        try report.finish(jsonOut: common.jsonOut)
    }

    func measure(_ cluster: BenchCluster, size: Int) async throws -> [String: Double] {
        var figures: [String: Double] = [:]
        let url = try await cluster.freshDatabase("bench_scale")
        // The prefill before the hub starts (the hub's own entries, its catalog import, come after it), coded
        // against the item of 衡阳市市场监督管理局 that the hostile corpus also uses (the catalog is not imported yet).
        let prefillItem = BenchItem(code: "11430400013248734H34301210001000001", catalogCode: "43012100010000", agencyCode: "11430400013248734H")
        let body = try SampleRecords.canonicalBody(localId: LedgerPrefill.idToken, item: prefillItem, mappings: cluster.mappings)
        let summary = try await HubDatabase(url: url, maxConnections: 4, logger: cluster.logger).withRunning { db in
            _ = try await Migrations.apply(db)
            let store = DepartmentStore(db: db, vault: try SecretVault(key: benchMasterKey))
            _ = try await store.add(code: "PRE", name: "基准测试部门（历史）")
            let department = try await store.department(code: "PRE")!.id
            return try await LedgerPrefill(entries: size, months: months).run(
                db,
                departmentId: department,
                recordBody: body,
                item: prefillItem,
                logger: cluster.logger
            )
        }
        figures["fill_s"] = summary.seconds
        log("  filled in \(String(format: "%.0f", summary.seconds)) s, \(summary.partitions) ledger partitions")
        let server = try await ServerProcess(cluster: cluster, databaseURL: url, environment: child.environment)
        defer { server.stop() }
        try await server.waitUntilIdle()
        let item = try await benchItem(cluster, databaseURL: url)
        try await HubDatabase(url: url, maxConnections: 1, logger: cluster.logger).withRunning { db in
            _ = try await OpsUserStore(db: db).add(username: "bench", displayName: "基准", password: Self.password, roles: [.reviewer, .approver])
        }
        // Batch ingest on top of the grown ledger.
        let credentials = try await addDepartment(cluster, databaseURL: url, code: "BENCH", agencyCode: item.agencyCode)
        let all = BatchCommand.records(records, item: item)
        let bodies = stride(from: 0, to: all.count, by: batch).map { Array(SampleRecords.batch(Array(all[$0..<min($0 + batch, all.count)])).utf8) }
        let counts = stride(from: 0, to: all.count, by: batch).map { min(batch, all.count - $0) }
        let client = Pusher.makeClient(connections: clients)
        let pusher = Pusher(client: client, port: server.port, keyId: credentials.keyId, secret: credentials.secret, contentType: "application/json")
        let measured = try await Measured.measure(cluster, process: server.pid) {
            _ = try await pusher.pushAll(bodies, counts: counts, clients: clients, label: "hub json")
        }
        try await client.shutdown()
        figures["rps"] = Double(records) / measured.wall
        figures["hub_us"] = measured.processMicros(per: records)
        figures["pg_us"] = measured.postgresMicros(per: records)
        // The pages, signed in as an operator.
        let middle = summary.first + summary.step * Int64(size / 2)
        let day = ConsoleDay.string(micros: size > 0 ? middle : nowMicros())
        let console = try await ConsoleClient.signIn(port: server.port, username: "bench", password: Self.password)
        for page in Self.pages {
            figures[page.key] = try await console.median(page.path.replacingOccurrences(of: "{day}", with: day), repeat: self.repeat)
        }
        try await console.shutdown()
        figures["entries"] = Double(size)
        figures["head"] = try await HubDatabase(url: url, maxConnections: 1, logger: cluster.logger).withRunning { db in
            for try await n in try await db.client.query("SELECT seq::float8 FROM ledger_head", logger: db.logger).decode(Double.self) { return n }
            return 0
        }
        return figures
    }

    static let password = "bench-password-123"
}

/// A day as the console's filters take it (`YYYY-MM-DD` in +08:00).
enum ConsoleDay {
    static func string(micros: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        let c = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(micros) / 1e6))
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}

extension SampleRecords {
    /// The canonical body the hub stores for a sample inspection with this `localId`.
    static func canonicalBody(localId: String, item: BenchItem, mappings: String) throws -> String {
        let reader = RecordReader(dictionaries: try DictionaryLoader.load(from: URL(fileURLWithPath: mappings + "/dictionaries")))
        let text = inspection(localId: localId, catalogCode: item.catalogCode, implementationCode: item.code, agencyCode: item.agencyCode)
        guard case .valid(let record) = reader.read(try JSONParser().parse(Array(text.utf8)), path: "r") else { throw PrefillError("invalid sample") }
        return String(decoding: record.canonicalBytes, as: UTF8.self)
    }
}
