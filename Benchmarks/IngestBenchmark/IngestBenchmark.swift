// Ingest benchmarks (issue #18): the hub's signed HTTP ingest against PostgreSQL's own floor, in one run each.
//
//   swift build -c release --product IngestBenchmark
//   .build/release/IngestBenchmark batch   --records 100000 --batch 500 --clients 4 --format both --runs 5 --json-out b.json
//   .build/release/IngestBenchmark single  --clients 64 --seconds 20 --runs 5 --json-out s.json
//   .build/release/IngestBenchmark release --records 10000 --runs 5 --json-out r.json
//   .build/release/IngestBenchmark scale   --ledger 0,1000000,5000000 --json-out scale.json
//   .build/release/IngestBenchmark memory  --json-out memory.json
//
// Every command uses the embedded PostgreSQL under .hub/bench (or HUB_DATABASE_URL), a fresh database per side
// and run with the hub's migrations, runs the hub as a child process (`serve`) so its CPU time is its own and not
// the load generator's, and reports CPU microseconds per record for the hub process and for PostgreSQL (all of
// the cluster's processes, from /proc) next to the wall-clock figures — CPU per record stays put on a machine
// shared with other work, wall figures do not. `--runs N` prints each run, the median and the spread (min–max),
// and `--json-out` writes the same as JSON so runs on different days compare.
import ArgumentParser
import Foundation

@main
struct IngestBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "IngestBenchmark",
        abstract: "The hub's ingest against PostgreSQL's own floor (COPY, pgbench), with CPU per record.",
        subcommands: [BatchCommand.self, SingleCommand.self, ReleaseCommand.self, ScaleCommand.self, MemoryCommand.self, ServeCommand.self],
        defaultSubcommand: BatchCommand.self
    )
}

/// Options every benchmark takes.
struct CommonOptions: ParsableArguments {
    @Option(help: "Runs; with more than one, the median and the spread (min–max) of each figure are printed.")
    var runs = 1

    @Option(name: .customLong("json-out"), help: "Write the runs, medians and machine load as JSON to this file.")
    var jsonOut: String?
}

/// The hub child's settings every command that pushes takes: group commit (docs/BENCHMARKS.md "Group commit").
struct HubChildOptions: ParsableArguments {
    @Option(help: "HUB_GROUP_COMMIT_MAX_WAIT_MS for the hub child (0: group commit off).") var maxWaitMs = 2
    @Option(help: "HUB_GROUP_COMMIT_MAX_BATCHES for the hub child.") var maxBatches = 64

    /// The child's environment, with group commit as set (`groupCommit: false` turns it off for a comparison).
    func environment(groupCommit: Bool) -> [String: String] {
        ["HUB_GROUP_COMMIT_MAX_WAIT_MS": groupCommit ? String(maxWaitMs) : "0", "HUB_GROUP_COMMIT_MAX_BATCHES": String(maxBatches)]
    }

    var environment: [String: String] { environment(groupCommit: true) }
}
