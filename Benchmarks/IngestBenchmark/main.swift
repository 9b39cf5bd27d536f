// Ingest benchmark: the hub's signed HTTP ingest against a raw COPY of the same rows, in one run.
//
//   swift run -c release IngestBenchmark [--records 100000] [--batch 500] [--clients 4]
//
// Both sides write the same rows into the same tables (records, ledger, outbox) of the same PostgreSQL
// (the embedded one under .hub/bench, or HUB_DATABASE_URL), each into a fresh database with the hub's
// migrations. The hub side is end to end: JSON over loopback HTTP, HMAC check, nonce, strict parsing,
// schema and rules, item resolution, hashing, one transaction per batch. The COPY side is the floor:
// rows prepared beforehand, streamed over one connection in one transaction.
import AsyncHTTPClient
import Foundation
import HubClient
import HubModel
import HubServer
import HubStore
import HubXML
import Hummingbird
import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle

struct Options {
    var records = 100_000
    var batch = 500
    var clients = 4
    /// `hub` or `copy` to run one side only (for profiling); both by default.
    var only: String?
    /// `json` (default) or `xml`: the wire form of the hub side; `xml` also runs JSON first, side by side.
    var format = "json"

    init() {
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let a = args.next() {
            switch a {
            case "--records": records = Int(args.next() ?? "") ?? records
            case "--batch": batch = Int(args.next() ?? "") ?? batch
            case "--clients": clients = Int(args.next() ?? "") ?? clients
            case "--only": only = args.next()
            case "--format": format = args.next() ?? format
            default:
                print("unknown option \(a)")
                exit(2)
            }
        }
    }
}

func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

let options = Options()
var logger = Logger(label: "bench")
logger.logLevel = .error
let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let mappings = projectRoot.appendingPathComponent("Mappings").path

// The server: embedded (own state folder) unless HUB_DATABASE_URL is set.
var launcher: EmbeddedPostgres?
var running: EmbeddedPostgres.Running?
let baseURL: String
if let url = ProcessInfo.processInfo.environment["HUB_DATABASE_URL"], !url.isEmpty {
    baseURL = url
} else {
    let l = EmbeddedPostgres(stateDirectory: projectRoot.appendingPathComponent(".hub/bench/postgres"), logger: logger)
    let r = try l.start()
    launcher = l
    running = r
    baseURL = r.superuserURL
}
defer { if let launcher, let running { launcher.stop(running) } }

func freshDatabase(_ name: String) async throws -> String {
    try await HubDatabase(url: baseURL, maxConnections: 1, logger: logger).withRunning { db in
        try await db.client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name)"), logger: logger)
        try await db.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
    }
    var c = URLComponents(string: baseURL)!
    c.path = "/" + name
    return c.string!
}

// MARK: Prepare: a hub database with catalog and department, and the records.

log("准备 preparing \(options.records) records in batches of \(options.batch), \(options.clients) clients …")
let hubURL = try await freshDatabase("bench_hub")
let port = try FreePort.find()
let hub = try HubContext(
    configuration: try HubConfiguration(environment: ["HUB_MAPPINGS": mappings, "HUB_DB_POOL": "16"]),
    databaseURL: hubURL,
    logger: logger
)
let app = try await buildApplication(hub, host: "127.0.0.1", port: port) { hub in
    _ = try await hub.catalog.importFiles(in: hub.configuration.mappingsDirectory.appendingPathComponent("catalog"))
}
let serverTask = Task { try await app.run() }
// Wait for the server (migrations and catalog import run before it listens).
for _ in 0..<200 {
    if (try? await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/ready"), timeout: .seconds(1)))?.status == .ok { break }
    try await Task.sleep(for: .milliseconds(100))
}
let (credentials, item) = try await HubDatabase(url: hubURL, maxConnections: 2, logger: logger).withRunning { db in
    let ctx = DepartmentStore(db: db, vault: hub.secretVault)
    let credentials = try await ctx.add(code: "BENCH", name: "基准测试部门")
    let items = try await CatalogStore(db: db).implementations(agencyName: "衡阳市市场监督管理局", limit: 500)
    let item = items.first { $0.itemType == .inspection }!
    try await ctx.addAgencies(
        [DepartmentAgency(code: item.agencyCode, name: nil, source: .cli)],
        department: try await ctx.department(code: "BENCH")!
    )
    return (credentials, item)
}

let records: [String] = (0..<options.records).map { i in
    SampleRecords.inspection(localId: "BENCH-\(i)", catalogCode: item.catalogCode, implementationCode: item.code, agencyCode: item.agencyCode)
}
let batches: [[String]] = stride(from: 0, to: records.count, by: options.batch).map { start in
    Array(records[start..<min(start + options.batch, records.count)])
}
let bodies: [[UInt8]] = batches.map { Array(SampleRecords.batch($0).utf8) }

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        return next - 1
    }
}

/// Pushes every body with `clients` concurrent signed clients; returns seconds and batch latencies (ms).
func push(_ bodies: [[UInt8]], contentType: String, keyId: String, secret: String, label: String) async throws -> (Double, [Double]) {
    let counter = Counter()
    let start = ContinuousClock.now
    let latencies: [[Double]] = try await withThrowingTaskGroup(of: [Double].self) { group in
        for _ in 0..<options.clients {
            group.addTask {
                var mine: [Double] = []
                while true {
                    let index = counter.take()
                    guard index < bodies.count else { return mine }
                    let body = bodies[index]
                    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/records")
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: contentType)
                    for (n, v) in RequestSigner.headers(keyId: keyId, secret: secret, method: "POST", pathWithQuery: "/api/v1/records", body: body) {
                        request.headers.add(name: n, value: v)
                    }
                    request.body = .bytes(ByteBuffer(bytes: body))
                    let t0 = ContinuousClock.now
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
                    let answer = try await response.body.collect(upTo: 64 * 1024 * 1024)
                    let elapsed = ContinuousClock.now - t0
                    mine.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
                    // Members are in canonical (sorted) order, so the summary ends the answer: read only its tail.
                    let tailLength = min(answer.readableBytes, 200)
                    let tail = String(
                        buffer: answer.getSlice(at: answer.readerIndex + answer.readableBytes - tailLength, length: tailLength) ?? answer
                    )
                    guard response.status == .ok, tail.contains("\"accepted\":\(min(options.batch, records.count - index * options.batch))") else {
                        log("\(label) batch \(index) not fully accepted: HTTP \(response.status.code) \(tail)")
                        exit(1)
                    }
                    if index % 20 == 0 { log("  \(label): batch \(index + 1)/\(bodies.count)") }
                }
            }
        }
        var all: [[Double]] = []
        for try await l in group { all.append(l) }
        return all
    }
    let elapsed = ContinuousClock.now - start
    return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, latencies.flatMap { $0 })
}

let (hubSeconds, hubLatencies) = try await push(
    bodies,
    contentType: "application/json",
    keyId: credentials.keyId,
    secret: credentials.secret,
    label: "hub JSON"
)
var xmlResult: (Double, [Double])?
if options.format == "xml" {
    // The same records as XML (the records XML form), pushed by a second department so none is a duplicate.
    let xmlBodies: [[UInt8]] = batches.map { batch in
        let elements = batch.map { try! XMLWriter.element("record", try! JSONParser().parse(Array($0.utf8))) }.joined()
        return Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?><records>\(elements)</records>".utf8)
    }
    let xmlCredentials = try await HubDatabase(url: hubURL, maxConnections: 1, logger: logger).withRunning { db in
        let store = DepartmentStore(db: db, vault: hub.secretVault)
        let credentials = try await store.add(code: "BENCHX", name: "基准测试部门（XML）")
        try await store.addAgencies(
            [DepartmentAgency(code: item.agencyCode, name: nil, source: .cli)],
            department: try await store.department(code: "BENCHX")!
        )
        return credentials
    }
    xmlResult = try await push(
        xmlBodies,
        contentType: "application/xml",
        keyId: xmlCredentials.keyId,
        secret: xmlCredentials.secret,
        label: "hub XML"
    )
}
serverTask.cancel()

// MARK: Raw COPY of the same rows into the same tables.

if options.only == "hub" {
    print(String(format: "hub: %.0f records/s", Double(options.records) / hubSeconds))
    if let launcher, let running { launcher.stop(running) }
    exit(0)
}
log("COPY: preparing the same rows …")
let copyURL = try await freshDatabase("bench_copy")
let (copySeconds, copied) = try await CopyBaseline.run(
    url: copyURL,
    records: records,
    mappings: mappings,
    catalogCode: item.catalogCode,
    implementationCode: item.code,
    logger: logger
)

// MARK: Report.

let all = hubLatencies.sorted()
func pct(_ p: Double) -> Double { all.isEmpty ? 0 : all[min(all.count - 1, Int(Double(all.count) * p))] }
let hubRate = Double(options.records) / hubSeconds
let copyRate = Double(copied) / copySeconds
print("records: \(options.records)  batch: \(options.batch)  clients: \(options.clients)")
print(
    String(
        format: "hub  (signed HTTP, JSON, validated, ledger+outbox): %8.0f records/s  (%.2f s; batch latency p50 %.0f ms, p99 %.0f ms)",
        hubRate,
        hubSeconds,
        pct(0.5),
        pct(0.99)
    )
)
print(String(format: "COPY (same rows, same tables, one transaction):     %8.0f records/s  (%.2f s)", copyRate, copySeconds))
print(String(format: "ratio hub / COPY: %.2f", hubRate / copyRate))
if let (xmlSeconds, _) = xmlResult {
    let xmlRate = Double(options.records) / xmlSeconds
    print(String(format: "hub XML (same records, UTF-8 XML):                  %8.0f records/s  (%.2f s)", xmlRate, xmlSeconds))
    print(String(format: "ratio XML / JSON: %.2f", xmlRate / hubRate))
}
