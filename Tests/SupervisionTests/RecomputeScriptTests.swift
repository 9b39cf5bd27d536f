import Foundation
import HubModel
import Testing

@testable import Supervision

/// The stand-alone script of docs/RANDOM_CHECKS.md against `RandomDraw.run`: every draw the hub publishes must
/// recompute outside Swift, and a published draw that was altered must not.
@Suite struct RecomputeScriptTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = root.appendingPathComponent("scripts/recompute_draw.py")

    /// Runs the script on a published draw written to a temporary file; its exit status and output.
    func recompute(_ draw: PublishedDraw, wrapped: Bool = false) throws -> (ok: Bool, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("draw-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body = try encoder.encode(draw)
        // The plan endpoint answers the draw under `draw`; the script reads both shapes.
        let data = wrapped ? Data("{\"planId\":\"\(draw.planId)\",\"draw\":".utf8) + body + Data("}".utf8) : body
        try data.write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path, file.path]
        // Output into a file read after exit: reading a pipe to its end traps on EINTR under parallel tests.
        let out = file.appendingPathExtension("out")
        guard FileManager.default.createFile(atPath: out.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        defer { try? FileManager.default.removeItem(at: out) }
        let handle = try FileHandle(forWritingTo: out)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus == 0, String(decoding: try Data(contentsOf: out), as: UTF8.self))
    }

    /// A draw as the hub would publish it: `run`, then `PublishedDraw`.
    func publish(
        _ plan: RandomCheckPlan,
        seed: DrawSeed,
        candidates: [RandomDraw.Candidate],
        skipped: Set<String> = [],
        pool: @escaping @Sendable (String, String) -> [String]
    ) -> (PublishedDraw, DrawOutcome) {
        let outcome = RandomDraw.run(.init(plan: plan, seed: seed, candidates: candidates, skipped: skipped, pool: pool))
        return (PublishedDraw(plan: plan, seed: seed, candidates: candidates, skipped: skipped, outcome: outcome), outcome)
    }

    static let grades: [CreditGrade] = [.a, .b, .c, .d, .ungraded]

    /// Candidates of every grade (some ungraded), ids with a Chinese and a mixed-case part so byte order matters.
    func candidates(_ count: Int, salt: Int) -> [RandomDraw.Candidate] {
        (0..<count).map { i in
            let id = i % 7 == 0 ? "主体-\(salt)-\(i)" : (i % 3 == 0 ? "b\(salt)x\(i)" : "91430400MA\(salt)\(String(format: "%05d", i))")
            return RandomDraw.Candidate(id: id, grade: Self.grades[(i * 7 + salt) % Self.grades.count])
        }
    }

    func plan(
        _ id: String,
        participants: [String] = [],
        ratios: RatioTable = .default,
        min: Int = 0,
        max: Int = 1_000_000,
        inspectors: Int = 2
    )
        -> RandomCheckPlan
    {
        var items = ["HY-SCJG": ["11000000000001"]]
        for p in participants { items[p] = ["11000000000002"] }
        return RandomCheckPlan(
            planId: id,
            name: id,
            leadDepartment: "HY-SCJG",
            participants: participants,
            items: items,
            ratios: ratios,
            minimumCount: min,
            maximumCount: max,
            inspectorsPerTask: inspectors,
            periodStart: "2026-12-01",
            periodEnd: "2026-12-31"
        )
    }

    /// A department's pool for a subject: a few certificates, different per subject (conflicts and last teams removed).
    static func pool(_ department: String, _ subject: String) -> [String] {
        let all = (1...6).map { "\(department)-ZF\($0)" }
        return all.enumerated().filter { ($0.offset + subject.utf8.count) % 5 != 0 }.map(\.element)
    }

    @Test("the script recomputes draws of several shapes: joint plan, frequency caps, minimum fill, maximum, ungraded")
    func recomputesEveryShape() throws {
        var seeds = SeededBytes(state: 42)
        let heavy = RatioTable(basisPoints: [.a: 500, .b: 1500, .c: 2500, .d: 5000, .ungraded: 1250])
        let cases: [(RandomCheckPlan, Int, Bool)] = [
            (plan("P-DEPT-1"), 300, false),
            (plan("P-JOINT-1", participants: ["HY-WJ", "HY-YJ"], ratios: heavy), 120, false),
            (plan("P-CAPS-1", ratios: heavy), 200, true),
            (plan("P-MIN-1", ratios: RatioTable(basisPoints: [.a: 0, .b: 0, .c: 0, .d: 100, .ungraded: 0]), min: 25), 150, true),
            (plan("P-MAX-1", ratios: heavy, max: 9, inspectors: 3), 180, false),
        ]
        var tasksSeen = 0
        for (index, (plan, count, capped)) in cases.enumerated() {
            let seed = DrawSeed(bytes: seeds.bytes(32))!
            let candidates = candidates(count, salt: index)
            // Over their cap: every fourth A subject (the cap holds grade A to once a year).
            let skipped: Set<String> =
                capped ? Set(candidates.filter { $0.grade == .a }.enumerated().filter { $0.offset % 4 == 0 }.map(\.element.id)) : []
            let (draw, outcome) = publish(plan, seed: seed, candidates: candidates, skipped: skipped) { Self.pool($0, $1) }
            #expect(outcome.succeeded)
            #expect(!outcome.tasks.isEmpty)
            if plan.planId == "P-MIN-1" { #expect(outcome.filledToMinimum > 0 && outcome.tasks.count == 25) }
            if plan.planId == "P-MAX-1" { #expect(outcome.tasks.count == 9) }
            if capped { #expect(!skipped.isEmpty && outcome.tasks.allSatisfy { !skipped.contains($0.subjectId) }) }
            #expect(DrawVerification.problems(draw).isEmpty)
            let result = try recompute(draw, wrapped: index % 2 == 1)
            #expect(result.ok, "\(plan.planId): \(result.output)")
            #expect(result.output.hasPrefix("OK: the draw recomputes (\(outcome.tasks.count) tasks)"), "\(result.output)")
            tasksSeen += outcome.tasks.count
        }
        #expect(tasksSeen > 60)
    }

    @Test("a draw refused for a short pool publishes no tasks, and the script agrees")
    func shortPoolDrawsNothing() throws {
        // 卫健 has two inspectors for a plan that sends three: no task may go out short-handed.
        let (draw, outcome) = publish(
            plan("P-SHORT-1", participants: ["HY-WJ"], inspectors: 3),
            seed: DrawSeed(hex: String(repeating: "5a", count: 32))!,
            candidates: candidates(80, salt: 9)
        ) { department, subject in
            department == "HY-WJ" ? ["HY-WJ-ZF1", "HY-WJ-ZF2"] : Self.pool(department, subject)
        }
        #expect(!outcome.succeeded && draw.tasks.isEmpty)
        let result = try recompute(draw)
        #expect(result.ok, "\(result.output)")
        #expect(result.output.hasPrefix("OK: the draw recomputes (0 tasks)"))
    }

    @Test("a published draw with one inspector swapped, a changed seed, a dropped candidate or a hidden task fails")
    func tamperedDrawsFail() throws {
        let (draw, outcome) = publish(
            plan("P-TAMPER-1", participants: ["HY-WJ"]),
            seed: DrawSeed(hex: String(repeating: "c3", count: 32))!,
            candidates: candidates(150, salt: 3)
        ) { Self.pool($0, $1) }
        #expect(outcome.succeeded && outcome.tasks.count > 2)
        #expect(try recompute(draw).ok)

        // One inspector replaced by one of the pool who was not drawn.
        var swapped = draw
        let task = swapped.tasks[1]
        let team = try #require(task.inspectors["HY-WJ"])
        let outsider = try #require(task.pools["HY-WJ"]?.first { !team.contains($0) })
        swapped.tasks[1].inspectors["HY-WJ"] = [outsider] + team.dropFirst()
        let swappedResult = try recompute(swapped)
        #expect(!swappedResult.ok)
        #expect(swappedResult.output.contains("FAILED: task \(task.taskId)"), "\(swappedResult.output)")

        // Another seed: the commitment no longer matches (and the ranking changes).
        var reseeded = draw
        reseeded.seed = String(repeating: "c4", count: 32)
        let reseededResult = try recompute(reseeded)
        #expect(!reseededResult.ok)
        #expect(reseededResult.output.contains("FAILED: SHA-256(seed) is not the published commitment"), "\(reseededResult.output)")

        // A candidate removed after the fact: the frozen list's hash says so.
        var shrunk = draw
        shrunk.candidates.removeAll { $0.id == draw.candidates.last!.id }
        #expect(try recompute(shrunk).output.contains("FAILED: the candidate list does not hash to candidatesHash"))

        // A drawn task left out of the publication.
        var hidden = draw
        hidden.tasks.removeFirst()
        #expect(!(try recompute(hidden).ok))
    }

    @Test("docs/RANDOM_CHECKS.md embeds exactly scripts/recompute_draw.py, and the script stays within 60 lines")
    func documentEmbedsTheScript() throws {
        let script = try String(contentsOf: Self.script, encoding: .utf8)
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/RANDOM_CHECKS.md"), encoding: .utf8)
        let section = try #require(doc.range(of: "## Recompute a draw yourself"))
        let rest = doc[section.upperBound...]
        let open = try #require(rest.range(of: "```python\n"))
        let close = try #require(rest[open.upperBound...].range(of: "\n```"))
        #expect(String(rest[open.upperBound..<close.lowerBound]) + "\n" == script)
        #expect(script.split(separator: "\n", omittingEmptySubsequences: false).dropLast().count <= 60)
        #expect(!script.contains("import requests"))
    }
}

/// Reproducible seeds for the generated draws (SplitMix64).
struct SeededBytes {
    var state: UInt64
    mutating func bytes(_ n: Int) -> [UInt8] {
        (0..<n).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
    }
}
