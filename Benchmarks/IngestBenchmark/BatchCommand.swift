import ArgumentParser
import BenchSupport
import Foundation
import HubClient
import HubModel
import HubXML

/// `IngestBenchmark batch`: batches of signed records pushed by a few clients, against a COPY of the same rows
/// into the same tables (issue #18, items 1 and 2).
struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Batches over HTTP (JSON and/or XML) against a raw COPY of the same rows."
    )

    @Option(help: "Records per side and run.") var records = 100_000
    @Option(help: "Records per batch.") var batch = 500
    @Option(help: "Concurrent clients.") var clients = 4
    @Option(help: "json, xml or both (both alternate which goes first from run to run).") var format = "json"
    @Option(help: "hub or copy: one side only (for profiling).") var only: String?
    @OptionGroup var child: HubChildOptions
    @OptionGroup var common: CommonOptions

    func run() async throws {
        let cluster = try BenchCluster()
        defer { cluster.stop() }
        guard ["json", "xml", "both"].contains(format) else { throw ValidationError("--format is json, xml or both") }
        var report = BenchReport(
            name: "ingest batch",
            parameters: ["records": "\(records)", "batch": "\(batch)", "clients": "\(clients)", "format": format],
            columns: [
                ("json_rps", "JSON rec/s", "%.0f"), ("xml_rps", "XML rec/s", "%.0f"), ("copy_rps", "COPY rows/s", "%.0f"),
                ("json_copy", "JSON/COPY", "%.2f"), ("xml_json", "XML/JSON", "%.2f"),
                ("json_hub_us", "hub µs/rec JSON", "%.0f"), ("xml_hub_us", "hub µs/rec XML", "%.0f"),
                ("json_pg_us", "PG µs/rec JSON", "%.0f"), ("xml_pg_us", "PG µs/rec XML", "%.0f"),
                ("copy_pg_us", "PG µs/row COPY", "%.0f"), ("copy_client_us", "COPY client µs/row", "%.0f"),
                ("json_p50_ms", "JSON p50 ms", "%.0f"), ("json_p99_ms", "JSON p99 ms", "%.0f"),
            ]
        )
        var prepared: Prepared?
        for run in 0..<common.runs {
            var figures: [String: Double] = [:]
            var hubCounts: RowCounts?
            var order: [String] = format == "both" ? (run % 2 == 0 ? ["json", "xml"] : ["xml", "json"]) : [format]
            if only == "copy" { order = [] }
            log("run \(run + 1)/\(common.runs): \(order.joined(separator: " then ")) \(only == "hub" ? "" : "then COPY") (load \(loadAverage()))")
            if !order.isEmpty {
                let url = try await cluster.freshDatabase("bench_hub")
                let server = try await ServerProcess(cluster: cluster, databaseURL: url, environment: child.environment)
                defer { server.stop() }
                if prepared == nil { prepared = try await prepare(cluster, url: url) }
                let p = prepared!
                let client = Pusher.makeClient(connections: clients)
                for form in order {
                    let credentials = try await addDepartment(
                        cluster,
                        databaseURL: url,
                        code: form == "json" ? "BENCH" : "BENCHX",
                        agencyCode: p.item.agencyCode
                    )
                    let pusher = Pusher(
                        client: client,
                        port: server.port,
                        keyId: credentials.keyId,
                        secret: credentials.secret,
                        contentType: form == "json" ? "application/json" : "application/xml"
                    )
                    var latencies: [Double] = []
                    let measured = try await Measured.measure(cluster, process: server.pid) {
                        latencies = try await pusher.pushAll(
                            form == "json" ? p.json : p.xml,
                            counts: p.counts,
                            clients: clients,
                            label: "hub \(form)"
                        )
                    }
                    figures["\(form)_rps"] = Double(records) / measured.wall
                    figures["\(form)_hub_us"] = measured.processMicros(per: records)
                    figures["\(form)_pg_us"] = measured.postgresMicros(per: records)
                    latencies.sort()
                    figures["\(form)_p50_ms"] = percentile(latencies, 0.5)
                    figures["\(form)_p99_ms"] = percentile(latencies, 0.99)
                }
                try await client.shutdown()
                hubCounts = try await RowCounts.read(url: url, department: order.first == "json" ? "BENCH" : "BENCHX", logger: cluster.logger)
            }
            if only != "hub" {
                log("  COPY: preparing the same rows …")
                let item = try await prepareItem(cluster, prepared: prepared)
                let copyURL = try await cluster.freshDatabase("bench_copy")
                let (measured, rows, copyCounts) = try await CopyBaseline.run(
                    cluster: cluster,
                    url: copyURL,
                    records: prepared?.records ?? Self.records(records, item: item),
                    catalogCode: item.catalogCode,
                    implementationCode: item.code
                )
                figures["copy_rps"] = Double(rows) / measured.wall
                figures["copy_pg_us"] = measured.postgresMicros(per: rows)
                figures["copy_client_us"] = measured.processMicros(per: rows)
                try RowCounts.check(hub: hubCounts, copy: copyCounts)
            }
            if let j = figures["json_rps"], let c = figures["copy_rps"] { figures["json_copy"] = j / c }
            if let x = figures["xml_rps"], let j = figures["json_rps"] { figures["xml_json"] = x / j }
            report.add(figures, note: ["order": order.joined(separator: ","), "load": loadAverage()])
        }
        try report.finish(jsonOut: common.jsonOut)
    }

    static func records(_ n: Int, item: BenchItem) -> [String] {
        (0..<n).map { i in
            SampleRecords.inspection(localId: "BENCH-\(i)", catalogCode: item.catalogCode, implementationCode: item.code, agencyCode: item.agencyCode)
        }
    }

    /// The records, their JSON and XML batch bodies and the records per batch (made once, reused by every run).
    struct Prepared {
        var item: BenchItem
        var records: [String]
        var json: [[UInt8]]
        var xml: [[UInt8]]
        var counts: [Int]
    }

    func prepare(_ cluster: BenchCluster, url: String) async throws -> Prepared {
        let item = try await benchItem(cluster, databaseURL: url)
        let all = Self.records(records, item: item)
        let batches: [[String]] = stride(from: 0, to: all.count, by: batch).map { Array(all[$0..<min($0 + batch, all.count)]) }
        let json = batches.map { Array(SampleRecords.batch($0).utf8) }
        let xml: [[UInt8]] =
            format == "json"
            ? []
            : try batches.map { batch in
                let elements = try batch.map { try XMLWriter.element("record", try JSONParser().parse(Array($0.utf8))) }.joined()
                return Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?><records>\(elements)</records>".utf8)
            }
        return Prepared(item: item, records: all, json: json, xml: xml, counts: batches.map(\.count))
    }

    /// The item for a COPY-only run (read from a migrated database with the catalog).
    func prepareItem(_ cluster: BenchCluster, prepared: Prepared?) async throws -> BenchItem {
        if let prepared { return prepared.item }
        let url = try await cluster.freshDatabase("bench_hub")
        let server = try await ServerProcess(cluster: cluster, databaseURL: url)
        defer { server.stop() }
        return try await benchItem(cluster, databaseURL: url)
    }
}
