import ArgumentParser
import AsyncHTTPClient
import BenchSupport
import Foundation
import HubClient
import HubModel
import NIOCore

/// `IngestBenchmark memory`: the hub server process's peak resident memory (VmHWM of the child alone, from
/// `/proc/PID/status`) under hostile and large input (issue #18, item 6: under 256 MiB). Each phase runs on a
/// fresh hub child, so each peak is that phase's own: idle after start (migrations, catalog import), the hostile
/// corpus (`scripts/gen_hostile_corpus.py`'s cases, 4 at a time), `--concurrent` bodies of just under
/// `HUB_MAX_BODY_BYTES` (8 MiB) at once from as many departments (the per-key upload limit stays at its
/// default), and one `--huge-mb` body, which must be refused (413) without being read.
struct MemoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "Peak RSS of the hub process under the hostile corpus, concurrent 8 MiB bodies and a 100 MB body."
    )

    @Option(help: "Concurrent large bodies.") var concurrent = 20
    @Option(help: "The oversized body, in MB (10^6 bytes).") var hugeMb = 100
    @Option(help: "The goal for every phase's VmHWM, MiB.") var limitMib = 256
    @OptionGroup var common: CommonOptions

    struct Phase {
        var name: String
        var hwm: Double
        var rss: Double
        var outcome: String
    }

    func run() async throws {
        let cluster = try BenchCluster()
        defer { cluster.stop() }
        let url = try await cluster.freshDatabase("bench_memory")
        var phases: [Phase] = []
        log("memory (load \(loadAverage()))")
        let loadBefore = loadAverage()
        for name in ["idle", "hostile corpus", "\(concurrent) × 8 MiB", "\(hugeMb) MB body"] {
            let server = try await ServerProcess(cluster: cluster, databaseURL: url)
            defer { server.stop() }
            let item = try await benchItem(cluster, databaseURL: url)
            let outcome: String
            switch phases.count {
            case 0: outcome = "started"
            case 1: outcome = try await hostile(cluster, url: url, server: server, agency: item.agencyCode)
            case 2: outcome = try await concurrentBodies(cluster, url: url, server: server, item: item)
            default: outcome = try await huge(cluster, url: url, server: server, agency: item.agencyCode)
            }
            let (hwm, rss) = try Self.memory(server.pid)
            log(String(format: "  %@: VmHWM %.1f MiB, VmRSS %.1f MiB — %@", name, hwm, rss, outcome))
            phases.append(Phase(name: name, hwm: hwm, rss: rss, outcome: outcome))
        }
        try await cluster.dropDatabase("bench_memory")
        print("\nhub process memory — load average before \(loadBefore), after \(loadAverage())")
        print("| phase | VmHWM MiB | VmRSS MiB | goal < \(limitMib) MiB | outcome |")
        print("| --- | ---: | ---: | --- | --- |")
        for p in phases {
            print(String(format: "| %@ | %.1f | %.1f | %@ | %@ |", p.name, p.hwm, p.rss, p.hwm < Double(limitMib) ? "met" : "NOT met", p.outcome))
        }
        if let path = common.jsonOut {
            let document: [String: Any] = [
                "benchmark": "memory", "command": CommandLine.arguments.joined(separator: " "),
                "date": ISO8601DateFormatter().string(from: Date()), "loadAverageBefore": loadBefore, "loadAverageAfter": loadAverage(),
                "cpus": ProcessInfo.processInfo.activeProcessorCount, "limitMiB": limitMib,
                "phases": phases.map { ["phase": $0.name, "vmHWMMiB": $0.hwm, "vmRSSMiB": $0.rss, "outcome": $0.outcome] as [String: Any] },
            ]
            try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: path))
            log("wrote \(path)")
        }
    }

    /// VmHWM and VmRSS of `pid` in MiB.
    static func memory(_ pid: Int32) throws -> (Double, Double) {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        func kB(_ field: String) -> Double {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return .nan }
            return Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? .nan
        }
        return (kB("VmHWM") / 1024, kB("VmRSS") / 1024)
    }

    /// Every case of the hostile corpus, 4 at a time; counts the answers that match the manifest's status.
    func hostile(_ cluster: BenchCluster, url: String, server: ServerProcess, agency: String) async throws -> String {
        let directory = cluster.projectRoot.appendingPathComponent("Tests/HubIntegrationTests/Fixtures/hostile")
        if !FileManager.default.fileExists(atPath: directory.appendingPathComponent("manifest.tsv").path) {
            let generate = Process()
            generate.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            generate.arguments = ["python3", cluster.projectRoot.appendingPathComponent("scripts/gen_hostile_corpus.py").path]
            try generate.run()
            generate.waitUntilExit()
        }
        let cases = try String(contentsOf: directory.appendingPathComponent("manifest.tsv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
            // `oversize.json` is a placeholder for the 100 MB body the test streams: that is the last phase here.
            .filter { $0.count >= 3 && !($0.last ?? "").hasPrefix("placeholder") }
        let credentials = try await addDepartment(cluster, databaseURL: url, code: "HOSTILE", agencyCode: agency)
        let sender = RawSender(port: server.port, keyId: credentials.keyId, secret: credentials.secret)
        let next = Counter()
        let differing = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var differing: [String] = []
                    while true {
                        let i = next.take()
                        guard i < cases.count else { return differing }
                        let body = try [UInt8](Data(contentsOf: directory.appendingPathComponent(cases[i][0])))
                        let status = try await sender.send(body, contentType: cases[i][1])
                        if String(status) != cases[i][2] { differing.append("\(cases[i][0]): HTTP \(status), manifest \(cases[i][2])") }
                    }
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        try await sender.shutdown()
        return "\(cases.count) cases, \(cases.count - differing.count) answered with the manifest's status"
            + (differing.isEmpty ? "" : " (not: " + differing.sorted().joined(separator: "; ") + ")")
    }

    /// `concurrent` bodies of just under 8 MiB (1000 records, each with many inspectors) at once, one department each.
    func concurrentBodies(_ cluster: BenchCluster, url: String, server: ServerProcess, item: BenchItem) async throws -> String {
        let limit = 8 * 1024 * 1024 - 4096
        func body(_ d: Int, inspectors: Int) -> [UInt8] {
            Array(
                SampleRecords.batch(
                    (0..<1000).map {
                        SampleRecords.inspection(
                            localId: String(format: "MEM-%02d-%03d", d, $0),
                            catalogCode: item.catalogCode,
                            implementationCode: item.code,
                            agencyCode: item.agencyCode,
                            inspectorCount: inspectors
                        )
                    }
                ).utf8
            )
        }
        // The most inspectors per record that keeps the body under the limit (records differ only in their localId).
        func recordBytes(_ inspectors: Int) -> Int {
            SampleRecords.inspection(
                localId: "MEM-00-000",
                catalogCode: item.catalogCode,
                implementationCode: item.code,
                agencyCode: item.agencyCode,
                inspectorCount: inspectors
            ).utf8.count + 1
        }
        var inspectors = 2
        while 1000 * recordBytes(inspectors + 1) + 1000 < limit { inspectors += 1 }
        var senders: [(RawSender, [UInt8])] = []
        for d in 0..<concurrent {
            let c = try await addDepartment(cluster, databaseURL: url, code: "MEM\(d)", agencyCode: item.agencyCode)
            senders.append((RawSender(port: server.port, keyId: c.keyId, secret: c.secret), body(d, inspectors: inspectors)))
        }
        // 0: the connection ended without an answer (counted, not fatal: the senders must still be shut down).
        let statuses = await withTaskGroup(of: UInt.self) { group in
            for (sender, body) in senders { group.addTask { (try? await sender.send(body, contentType: "application/json")) ?? 0 } }
            return await group.reduce(into: [UInt]()) { $0.append($1) }
        }
        for (sender, _) in senders { try await sender.shutdown() }
        let size = senders.first.map { $0.1.count } ?? 0
        let counted = Dictionary(grouping: statuses, by: { $0 }).map { "\($0.value.count) × HTTP \($0.key)" }.sorted().joined(separator: ", ")
        return String(
            format: "%d bodies of %.2f MiB (1000 records, %d inspectors each): %@",
            concurrent,
            Double(size) / 1_048_576,
            inspectors,
            counted
        )
    }

    /// One body of `hugeMb` MB, announced by its Content-Length: refused before it is read.
    func huge(_ cluster: BenchCluster, url: String, server: ServerProcess, agency: String) async throws -> String {
        let credentials = try await addDepartment(cluster, databaseURL: url, code: "HUGE", agencyCode: agency)
        let sender = RawSender(port: server.port, keyId: credentials.keyId, secret: credentials.secret)
        let body = [UInt8](repeating: UInt8(ascii: " "), count: hugeMb * 1_000_000)
        let t0 = ContinuousClock.now
        let outcome: String
        do {
            let status = try await sender.send(body, contentType: "application/json")
            outcome = String(format: "HTTP %d after %.2f s", status, seconds(ContinuousClock.now - t0))
        } catch {
            outcome = String(format: "connection closed by the hub after %.2f s (%@)", seconds(ContinuousClock.now - t0), "\(error)")
        }
        try? await sender.shutdown()
        return outcome
    }
}

/// Signed pushes that return the HTTP status whatever it is (the hostile and oversized bodies are refused).
struct RawSender: Sendable {
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    let port: Int
    let keyId: String
    let secret: String

    func send(_ body: [UInt8], contentType: String) async throws -> UInt {
        let request = signedRecordsRequest(port: port, keyId: keyId, secret: secret, contentType: contentType, body: body)
        let response = try await client.execute(request, timeout: .seconds(300))
        _ = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return response.status.code
    }

    func shutdown() async throws { try await client.shutdown() }
}
