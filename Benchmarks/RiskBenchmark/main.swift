// Risk benchmark: the five risk models over N stored observations against a plain `COPY … TO` of the same rows,
// in one run (issue #14).
//
//   swift run -c release RiskBenchmark [--observations 1000000] [--runs 3]
//
// Both sides read the same rows of `observations` (the hub's migrations, the embedded PostgreSQL under
// .hub/bench or HUB_DATABASE_URL). The floor is `COPY (SELECT department, observation_id, body …) TO STDOUT`
// through psql into /dev/null. The hub's pass reads the rows over PostgresNIO in pages of 5,000 (by id range),
// parses each body and reads it with `ObservationReader`, gathers the page's facts with
// `ObservationStore.facts(for:on:)` (licences of every USCC, complaints in each 90-day window) and evaluates
// every observation with `RiskModelSet.evaluate` — the models of `Mappings/risk`, loaded as the hub loads them.
import BenchSupport
import Foundation
import HubModel
import HubStore
import Logging
import PostgresNIO
import Supervision

struct Options {
    var observations = 1_000_000
    var runs = 3

    init() {
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let a = args.next() {
            switch a {
            case "--observations": observations = Int(args.next() ?? "") ?? observations
            case "--runs": runs = Int(args.next() ?? "") ?? runs
            default:
                print("unknown option \(a)")
                exit(2)
            }
        }
    }
}

let options = Options()
var logger = Logger(label: "bench")
logger.logLevel = .error
let projectRoot = benchProjectRoot
let models = try RiskModelFiles.load(from: projectRoot.appendingPathComponent("Mappings/risk"))

let cluster = try BenchCluster()
defer { cluster.stop() }
let url = try await cluster.freshDatabase("bench_risk")

let pageSize = 5_000
let db = try HubDatabase(url: url, maxConnections: 4, logger: logger)
try await db.withRunning { db in
    try await Migrations.apply(db)
    for (code, name) in RiskCorpus.departments {
        try await db.client.query("INSERT INTO departments (code, name) VALUES (\(code), \(name))", logger: logger)
    }
    log("准备 preparing \(options.observations) observations …")
    let loadStart = ContinuousClock.now
    let generator = RiskCorpus(count: options.observations)
    var licences = CopyRows(
        table: "licences",
        columns: [
            "subject_uscc", "kind", "number", "subject_name", "valid_from", "valid_until", "revoked", "department", "observation_id",
            "observed_on", "ledger_seq",
        ]
    )
    for row in generator.licenceRegister() { licences.append(row) }
    try await db.client.withConnection { conn in try await licences.copy(conn, logger: logger, deadline: .seconds(600)) }
    var written = 0
    while written < options.observations {
        let chunk = min(50_000, options.observations - written)
        var rows = CopyRows(
            table: "observations",
            columns: ["department", "observation_id", "kind", "observed_on", "subject_uscc", "subject_name", "region_code", "body", "ledger_seq"]
        )
        for i in written..<(written + chunk) { rows.append(generator.row(i)) }
        try await db.client.withConnection { conn in try await rows.copy(conn, logger: logger, deadline: .seconds(600)) }
        written += chunk
    }
    try await db.client.query("ANALYZE observations", logger: logger)
    try await db.client.query("ANALYZE licences", logger: logger)
    log(String(format: "loaded in %.1f s", seconds(ContinuousClock.now - loadStart)))

    var maxId = 0
    for try await n in try await db.client.query("SELECT coalesce(max(id), 0)::int FROM observations", logger: logger).decode(Int.self) {
        maxId = n
    }
    let store = ObservationStore(db: db)
    let reader = ObservationReader()
    let parser = JSONParser()

    print("| run | COPY TO (s) | hub (s) | read+decode (s) | facts (s) | evaluate (s) | observations/s | hub/COPY |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    var results: [[Double]] = []
    var warnings: [RiskModelID: Int] = [:]
    var warned = 0
    var invalid = 0
    for run in 1...options.runs {
        // The floor: psql streams the same rows, in the same order, to /dev/null.
        let copyStart = ContinuousClock.now
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        psql.arguments = [url, "-q", "-c", "COPY (SELECT department, observation_id, body FROM observations ORDER BY id) TO STDOUT"]
        psql.standardOutput = FileHandle.nullDevice
        try psql.run()
        psql.waitUntilExit()
        let copy = seconds(ContinuousClock.now - copyStart)

        var read = Duration.zero
        var gather = Duration.zero
        var evaluate = Duration.zero
        var count = 0
        warnings = [:]
        warned = 0
        invalid = 0
        let start = ContinuousClock.now
        try await db.client.withConnection { conn in
            var low = 0
            while low < maxId {
                let t0 = ContinuousClock.now
                var page: [Observation] = []
                page.reserveCapacity(pageSize)
                for try await (department, id, body) in try await conn.query(
                    """
                    SELECT department, observation_id, body::text FROM observations
                    WHERE id > \(low) AND id <= \(low + pageSize) ORDER BY id
                    """,
                    logger: logger
                ).decode((String, String, String).self) {
                    let tree = try parser.parse(Array(body.utf8))
                    switch reader.read(tree, department: department, path: id) {
                    case .valid(let observation): page.append(observation)
                    case .invalid(let errors):
                        if invalid < 3 { log("unreadable \(department)/\(id): \(errors.map { "\($0.path) \($0.code)" })") }
                        invalid += 1
                    }
                }
                let t1 = ContinuousClock.now
                let facts = try await store.facts(for: page, on: conn)
                let t2 = ContinuousClock.now
                for (observation, facts) in zip(page, facts) {
                    let found = models.evaluate(observation, facts: facts)
                    if !found.isEmpty { warned += 1 }
                    for warning in found { warnings[warning.model, default: 0] += 1 }
                }
                let t3 = ContinuousClock.now
                read += t1 - t0
                gather += t2 - t1
                evaluate += t3 - t2
                count += page.count
                low += pageSize
            }
        }
        let hub = seconds(ContinuousClock.now - start)
        let row = [copy, hub, seconds(read), seconds(gather), seconds(evaluate), Double(count) / hub, hub / copy]
        results.append(row)
        print(
            String(format: "| %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f | %.2f |", run, row[0], row[1], row[2], row[3], row[4], row[5], row[6])
        )
    }
    let median = (0..<7).map { column in results.map { $0[column] }.sorted()[results.count / 2] }
    print(
        String(
            format: "| **median** | **%.2f** | **%.2f** | **%.2f** | **%.2f** | **%.2f** | **%.0f** | **%.2f** |",
            median[0],
            median[1],
            median[2],
            median[3],
            median[4],
            median[5],
            median[6]
        )
    )
    print("")
    print("\(options.observations) observations, \(options.runs) runs, pages of \(pageSize); unreadable rows: \(invalid)")
    print("observations with at least one warning: \(warned)")
    print("| model | warnings |")
    print("| --- | ---: |")
    for id in RiskModelID.allCases { print("| `\(id.rawValue)` | \(warnings[id] ?? 0) |") }
}
