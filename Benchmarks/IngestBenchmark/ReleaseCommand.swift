import ArgumentParser
import BenchSupport
import Foundation
import HubClient
import HubModel
import HubServer
import HubStore
import Logging
import NIOCore

/// `IngestBenchmark release`: one approval releasing N held records (the review's decision, in this process),
/// against a COPY of the same rows into the same tables (issue #18, item 4).
struct ReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "One decision releasing N held records against a COPY of the same rows."
    )

    @Option(help: "Held records released by the one decision.") var records = 10_000
    @OptionGroup var common: CommonOptions

    func run() async throws {
        let cluster = try BenchCluster()
        defer { cluster.stop() }
        var report = BenchReport(
            name: "release of held records",
            parameters: ["records": "\(records)"],
            columns: [
                ("release_rps", "release rec/s", "%.0f"), ("copy_rps", "COPY rows/s", "%.0f"), ("release_copy", "release/COPY", "%.2f"),
                ("release_s", "release s", "%.2f"), ("release_hub_us", "hub µs/rec", "%.0f"), ("release_pg_us", "PG µs/rec", "%.0f"),
                ("copy_pg_us", "PG µs/row COPY", "%.0f"),
            ]
        )
        for run in 0..<common.runs {
            log("run \(run + 1)/\(common.runs) (load \(loadAverage()))")
            var figures: [String: Double] = [:]
            let (measured, item, hubCounts) = try await release(cluster)
            figures["release_s"] = measured.wall
            figures["release_rps"] = Double(records) / measured.wall
            figures["release_hub_us"] = measured.processMicros(per: records)
            figures["release_pg_us"] = measured.postgresMicros(per: records)
            let copyURL = try await cluster.freshDatabase("bench_copy")
            let (copy, rows, copyCounts) = try await CopyBaseline.run(
                cluster: cluster,
                url: copyURL,
                records: BatchCommand.records(records, item: item),
                catalogCode: item.catalogCode,
                implementationCode: item.code
            )
            try RowCounts.check(hub: hubCounts, copy: copyCounts)
            figures["copy_rps"] = Double(rows) / copy.wall
            figures["copy_pg_us"] = copy.postgresMicros(per: rows)
            figures["release_copy"] = figures["release_rps"]! / figures["copy_rps"]!
            report.add(figures, note: ["load": loadAverage()])
        }
        try report.finish(jsonOut: common.jsonOut)
    }

    /// Holds `records` records on one review (a local item code with no mapping, a department without a profile),
    /// then times the decision that maps the item and releases them all.
    func release(_ cluster: BenchCluster) async throws -> (Measured, BenchItem, RowCounts) {
        let url = try await cluster.freshDatabase("bench_release")
        let hub = try HubContext(
            configuration: try HubConfiguration(environment: [
                "HUB_MAPPINGS": cluster.mappings, "HUB_DB_POOL": "8", "HUB_MASTER_KEY": benchMasterKey.hex,
                "HUB_STATE_DIR": cluster.projectRoot.appendingPathComponent(".hub/bench/state").path,
            ]),
            databaseURL: url,
            logger: cluster.logger
        )
        let records = self.records
        return try await hub.db.withRunning { _ in
            try await hub.migrate()
            _ = try await hub.catalog.importFiles(in: hub.configuration.mappingsDirectory.appendingPathComponent("catalog"))
            let item = try await benchItem(cluster, databaseURL: url)
            _ = try await hub.addDepartment(code: "BENCHR", name: "基准测试部门（复核）", extraAgencies: [item.agencyCode])
            let department = try await hub.departments.department(code: "BENCHR")!
            var reviewId: Int64?
            log("  holding \(records) records …")
            for start in stride(from: 0, to: records, by: 1000) {
                let batch = (start..<min(start + 1000, records)).map { i in
                    SampleRecords.inspection(
                        localId: "REL-\(i)",
                        catalogCode: nil,
                        implementationCode: nil,
                        agencyCode: item.agencyCode,
                        localCode: "REL-BENCH"
                    )
                }
                let (_, results) = try await hub.ingest.ingest(
                    body: ByteBuffer(string: SampleRecords.batch(batch)),
                    contentType: "application/json",
                    department: department
                )
                guard results.allSatisfy({ $0.status == .held }), let id = results.first?.reviewId else {
                    throw ValidationError("records were not held: \(results.first.map { "\($0.status) \($0.errors)" } ?? "none")")
                }
                reviewId = id
            }
            let user = try await hub.opsUsers.add(
                username: "bench",
                displayName: "基准",
                password: "bench-password-123",
                roles: [.reviewer, .approver]
            )
            var outcome: ReviewStore.Outcome?
            let measured = try await Measured.measure(cluster, process: nil) {
                outcome = try await hub.reviews.decide(
                    reviewId!,
                    by: user,
                    relationship: "equivalent",
                    catalogCode: item.catalogCode,
                    implementationCode: item.code,
                    reason: "基准测试：一次放行",
                    requireApproval: false
                )
            }
            guard outcome?.released == records else { throw ValidationError("released \(outcome?.released ?? 0) of \(records)") }
            log(String(format: "  released %d records in %.2f s", records, measured.wall))
            return (measured, item, try await RowCounts.read(hub.db, department: "BENCHR"))
        }
    }
}
