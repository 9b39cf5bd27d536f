import BenchSupport
import Foundation

/// The figures of every run of one benchmark, printed as one table (each run, the median, the spread) and
/// written as JSON with the command, the date and the machine's load.
struct BenchReport {
    let name: String
    let parameters: [String: String]
    /// Column keys in print order, with their headers and number formats.
    let columns: [(key: String, header: String, format: String)]
    /// Columns whose runs must lie within `limit` of each other (max/min − 1), e.g. one run per ledger size: a row
    /// of those spreads and the verdict are printed, and stored in the JSON.
    var spreadGoal: (limit: Double, keys: Set<String>)? = nil
    var runs: [[String: Double]] = []
    var notes: [[String: String]] = []
    let loadBefore = loadAverage()

    mutating func add(_ run: [String: Double], note: [String: String] = [:]) {
        runs.append(run)
        notes.append(note)
        print(
            "run \(runs.count): "
                + columns.compactMap { c in run[c.key].map { "\(c.header) " + String(format: c.format, $0) } }.joined(separator: "  ")
        )
    }

    func median(_ key: String) -> Double? {
        let v = runs.compactMap { $0[key] }.sorted()
        guard !v.isEmpty else { return nil }
        return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }

    func spread(_ key: String) -> (Double, Double)? {
        let v = runs.compactMap { $0[key] }
        guard let lo = v.min(), let hi = v.max() else { return nil }
        return (lo, hi)
    }

    /// max/min − 1 of a column over the runs.
    func relativeSpread(_ key: String) -> Double? {
        guard let (lo, hi) = spread(key), lo > 0 else { return nil }
        return hi / lo - 1
    }

    /// Prints the table and writes the JSON file.
    func finish(jsonOut: String?) throws {
        let loadAfter = loadAverage()
        print("")
        print("\(name) — " + parameters.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        print("load average before \(loadBefore), after \(loadAfter)")
        let headers = ["run"] + columns.map(\.header)
        var rows: [[String]] = runs.enumerated().map { i, run in
            ["\(i + 1)"] + columns.map { c in run[c.key].map { String(format: c.format, $0) } ?? "–" }
        }
        if runs.count > 1 {
            rows.append(["median"] + columns.map { c in median(c.key).map { String(format: c.format, $0) } ?? "–" })
            rows.append(
                ["spread"] + columns.map { c in spread(c.key).map { String(format: c.format, $0.0) + "–" + String(format: c.format, $0.1) } ?? "–" }
            )
        }
        var relative: [String: Double] = [:]
        if let goal = spreadGoal, runs.count > 1 {
            for c in columns where goal.keys.contains(c.key) { relative[c.key] = relativeSpread(c.key) }
            rows.append(["max/min−1"] + columns.map { c in relative[c.key].map { String(format: "%.0f %%", $0 * 100) } ?? "" })
        }
        let widths = headers.indices.map { i in ([headers[i]] + rows.map { $0[i] }).map(\.count).max()! }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { i, c in String(repeating: " ", count: widths[i] - c.count) + c }.joined(separator: " | ") + " |"
        }
        print(line(headers))
        print("|" + widths.map { String(repeating: "-", count: $0 + 1) + ":" }.joined(separator: "|") + "|")
        for r in rows { print(line(r)) }
        if let goal = spreadGoal, !relative.isEmpty {
            let over = columns.filter { (relative[$0.key] ?? 0) > goal.limit }.map(\.header)
            print(
                String(format: "goal: within %.0f %% of each other — ", goal.limit * 100)
                    + (over.isEmpty ? "met" : "NOT met by " + over.joined(separator: ", "))
            )
        }
        guard let jsonOut else { return }
        var medians: [String: Double] = [:]
        var spreads: [String: [Double]] = [:]
        for c in columns {
            medians[c.key] = median(c.key)
            if let (lo, hi) = spread(c.key) { spreads[c.key] = [lo, hi] }
        }
        let document: [String: Any] = [
            "benchmark": name,
            "command": CommandLine.arguments.joined(separator: " "),
            "date": ISO8601DateFormatter().string(from: Date()),
            "parameters": parameters,
            "loadAverageBefore": loadBefore,
            "loadAverageAfter": loadAfter,
            "cpus": ProcessInfo.processInfo.activeProcessorCount,
            "runs": runs.enumerated().map { i, r in r.merging(["run": Double(i + 1)]) { a, _ in a } },
            "notes": notes,
            "median": medians,
            "spread": spreads,
            "relativeSpread": relative,
        ]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: jsonOut))
        log("wrote \(jsonOut)")
    }
}
