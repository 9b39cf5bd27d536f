// Draw benchmark: a 双随机 draw over N subjects against a plain `COPY … TO` of the same candidate rows, in one run.
//
//   swift run -c release DrawBenchmark [--subjects 1000000] [--runs 3]
//
// Both sides read the same rows of `rc_subjects` (the hub's migrations, the embedded PostgreSQL under
// .hub/bench or HUB_DATABASE_URL). The floor is `COPY (SELECT subject_id, credit_grade …) TO STDOUT` through
// psql into /dev/null. The hub side reads the candidates over PostgresNIO and runs `RandomDraw.run`: freezing
// and hashing the sorted list, one HMAC per subject, the strata, and the inspectors of every drawn task.
import BenchSupport
import Foundation
import HubModel
import HubStore
import Logging
import PostgresNIO
import Supervision

struct Options {
    var subjects = 1_000_000
    var runs = 3

    init() {
        var args = CommandLine.arguments.dropFirst().makeIterator()
        while let a = args.next() {
            switch a {
            case "--subjects": subjects = Int(args.next() ?? "") ?? subjects
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

let cluster = try BenchCluster()
defer { cluster.stop() }
let url = try await cluster.freshDatabase("bench_draw")

/// The grade mix of a city's register: mostly A and B, few D, some ungraded.
func grade(_ i: Int) -> String {
    switch i % 100 {
    case 0..<40: "A"
    case 40..<75: "B"
    case 75..<88: "C"
    case 88..<93: "D"
    default: "N"
    }
}

let counties = ["430405", "430406", "430407", "430408", "430412", "430421", "430422", "430423", "430424", "430426", "430481", "430482"]
let db = try HubDatabase(url: url, maxConnections: 4, logger: logger)
try await db.withRunning { db in
    try await Migrations.apply(db)
    log("准备 preparing \(options.subjects) subjects …")
    var rows = CopyRows(
        table: "rc_subjects",
        columns: ["subject_id", "id_type", "name", "region_code", "industry_code", "credit_grade", "source_department", "ledger_seq"]
    )
    for i in 0..<options.subjects {
        let id = USCC.withCheckCharacter("91430400" + String(format: "MA%07d", i))!
        rows.append([
            .text(id), .text("001"), .text("企业\(i)"), .text(counties[i % counties.count]), .text("F52"), .text(grade(i)), .text("BENCH"), .int(0),
        ])
    }
    try await db.client.withConnection { conn in try await rows.copy(conn, logger: logger) }
    try await db.client.query("ANALYZE rc_subjects", logger: logger)

    let query = "SELECT subject_id, credit_grade FROM rc_subjects WHERE active AND region_code LIKE '4304%'"
    let inspectors = (0..<40).map { "执法\($0)" }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    let plan = RandomCheckPlan(
        planId: "BENCH-2026-001",
        name: "基准",
        leadDepartment: "BENCH",
        items: ["BENCH": ["12345678901234"]],
        periodStart: "2026-12-01",
        periodEnd: "2026-12-31"
    )
    print("| run | COPY TO (s) | hub draw (s) | of which read (s) | tasks | ratio |")
    print("| --- | --- | --- | --- | --- | --- |")
    var ratios: [Double] = []
    for run in 1...options.runs {
        // The floor: psql streams the rows to /dev/null.
        let copyStart = ContinuousClock.now
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        psql.arguments = [url, "-q", "-c", "COPY (\(query)) TO STDOUT"]
        psql.standardOutput = FileHandle.nullDevice
        try psql.run()
        psql.waitUntilExit()
        let copy = seconds(ContinuousClock.now - copyStart)

        let start = ContinuousClock.now
        var candidates: [RandomDraw.Candidate] = []
        candidates.reserveCapacity(options.subjects)
        for try await (id, letter) in try await db.client.query(PostgresQuery(unsafeSQL: query), logger: logger).decode((String, String).self) {
            candidates.append(.init(id: id, grade: CreditGrade(rawValue: letter) ?? .ungraded))
        }
        let read = seconds(ContinuousClock.now - start)
        let outcome = RandomDraw.run(.init(plan: plan, seed: .random(), candidates: candidates, skipped: []) { _, _ in inspectors })
        let hub = seconds(ContinuousClock.now - start)
        ratios.append(hub / copy)
        print(String(format: "| %d | %.3f | %.3f | %.3f | %d | %.2f |", run, copy, hub, read, outcome.tasks.count, hub / copy))
    }
    ratios.sort()
    print(String(format: "median hub/COPY = %.2f over %d runs, %d subjects", ratios[ratios.count / 2], options.runs, options.subjects))
}
