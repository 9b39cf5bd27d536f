import Foundation
import HubServer
import HubStore
import Testing

/// `hub random-checks`: a plan proposed, approved by another person and drawn from the command line, then
/// `verify` recomputes the draw from a running hub's public endpoint and says 通过; before the draw it says 不通过.
@Suite(
    "Random checks on the command line",
    .enabled(if: FileManager.default.isExecutableFile(atPath: hubExecutable.path), "needs the hub executable (swift build --build-tests)")
)
struct RandomCheckCommandLineTests {
    @Test("propose, approve (another person), draw, then verify against the live public endpoint")
    func proposeApproveDrawVerify() async throws {
        let t = try await TestHub.make()
        try await t.withDatabase { db in
            for (name, role) in [("alice", OpsUser.Role.reviewer), ("bob", .approver)] {
                try await OpsUserStore(db: db).add(username: name, displayName: name, password: CommandLineFourEyesTests.password, roles: [role])
            }
            let libraries = RandomCheckLibraries(db: db)
            try await libraries.item("HY-SCJG", "43012100010000")
            for n in 0..<12 { try await libraries.subject(String(format: "9143040000000%05d", n), grade: ["C", "D", "N"][n % 3]) }
            for n in 0..<4 { try await libraries.inspector("SC-\(n)", department: "HY-SCJG") }
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
        {"planId":"CLI-1","name":"命令行计划","leadDepartment":"HY-SCJG","items":{"HY-SCJG":["43012100010000"]},
         "periodStart":"2026-12-01","periodEnd":"2026-12-31"}
        """.write(to: file, atomically: true, encoding: .utf8)
        let url = t.databaseURL
        let password = CommandLineFourEyesTests.password
        let proposed = try CommandLineFourEyesTests.hub(
            ["random-checks", "propose", file.path, "--user", "alice"],
            databaseURL: url,
            password: password
        )
        #expect(proposed.status == 0, "\(proposed.output)")
        let own = try CommandLineFourEyesTests.hub(["random-checks", "approve", "CLI-1", "--user", "alice"], databaseURL: url, password: password)
        #expect(own.status != 0)
        let approved = try CommandLineFourEyesTests.hub(["random-checks", "approve", "CLI-1", "--user", "bob"], databaseURL: url, password: password)
        #expect(approved.status == 0, "\(approved.output)")
        #expect(approved.output.contains("commitment"))

        try await t.serve { client, _ in
            let base = "http://127.0.0.1:\(client.port ?? 0)"
            let early = try await Self.offPool {
                try CommandLineFourEyesTests.hub(["random-checks", "verify", "CLI-1", "--url", base], databaseURL: url, password: nil)
            }
            #expect(early.status != 0)
            #expect(early.output.contains("不通过"))
        }
        let drawn = try CommandLineFourEyesTests.hub(["random-checks", "draw", "CLI-1", "--user", "alice"], databaseURL: url, password: password)
        #expect(drawn.status == 0, "\(drawn.output)")
        #expect(drawn.output.contains("种子 seed"))
        let listed = try CommandLineFourEyesTests.hub(["random-checks", "plans"], databaseURL: url, password: nil)
        #expect(listed.output.contains("CLI-1") && listed.output.contains("drawn"))
        try await t.serve { client, _ in
            let base = "http://127.0.0.1:\(client.port ?? 0)"
            let verified = try await Self.offPool {
                try CommandLineFourEyesTests.hub(["random-checks", "verify", "CLI-1", "--url", base], databaseURL: url, password: nil)
            }
            #expect(verified.status == 0, "\(verified.output)")
            #expect(verified.output.contains("通过 PASS") && !verified.output.contains("不通过"))
            // The stand-alone script of docs/RANDOM_CHECKS.md reaches the same answer from the public endpoint alone.
            let script = Process()
            script.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            script.arguments = ["python3", TestCluster.projectRoot.appendingPathComponent("scripts/recompute_draw.py").path, base, "CLI-1"]
            let recomputed = try await Self.offPool { try CommandLineFourEyesTests.run(script) }
            #expect(recomputed.status == 0, "\(recomputed.output)")
            #expect(recomputed.output.hasPrefix("OK: the draw recomputes"))
        }
    }

    /// Runs a blocking child process off Swift's cooperative pool, so the server in this process keeps answering it.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }
}
