import Foundation
import HubServer
import HubStore
import Testing

/// The `hub` command acting for an ops account: it signs in (password from HUB_OPS_PASSWORD), and an import
/// of mappings only proposes them, for a second person to approve.
/// The `hub` executable next to the tests (built by `swift build --build-tests`).
let hubExecutable = TestCluster.projectRoot.appendingPathComponent(".build/debug/hub")

@Suite(
    "Command-line four eyes",
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: hubExecutable.path),
        "needs the hub executable (swift build --build-tests)"
    )
)
struct CommandLineFourEyesTests {
    static let binary = hubExecutable
    static let password = "correct horse battery"

    /// Runs `hub` against the test database; returns its exit status and output.
    static func hub(_ arguments: [String], databaseURL: String, password: String?) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HUB_DATABASE_URL"] = databaseURL
        environment["HUB_MAPPINGS"] = TestCluster.projectRoot.appendingPathComponent("Mappings").path
        environment["HUB_LOG_LEVEL"] = "error"
        environment["HUB_OPS_PASSWORD"] = password
        process.environment = environment
        // The same working folder as the tests, so the same master key file.
        process.currentDirectoryURL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        process.standardInput = FileHandle.nullDevice
        return try Self.run(process)
    }

    /// Runs a process with its output into a temporary file, read after it exits: reading a pipe to its end
    /// traps on EINTR (`readDataToEndOfFile`) when many tests start processes at once.
    static func run(_ process: Process) throws -> (status: Int32, output: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("hub-output-\(UUID().uuidString).txt")
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        defer { try? FileManager.default.removeItem(at: file) }
        let handle = try FileHandle(forWritingTo: file)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: file), as: UTF8.self))
    }

    @Test(
        "mappings import signs the user in and creates proposals; review approve needs another person's password; a wrong one is refused and counted"
    )
    func importNeedsTwoPeople() async throws {
        let t = try await TestHub.make()
        _ = try await t.withDatabase { db in
            for (name, role) in [("alice", OpsUser.Role.reviewer), ("bob", .approver)] {
                try await OpsUserStore(db: db).add(username: name, displayName: name, password: Self.password, roles: [role])
            }
        }
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(at: csv) }
        try """
        department,local_code,catalog_code,implementation_code,relationship,rule,decided_by,reason
        HY-SCJG,CLI-LOCAL-1,43012100010000,,equivalent,human,someone,同一检查事项
        """.write(to: csv, atomically: true, encoding: .utf8)
        let url = t.databaseURL

        let wrong = try Self.hub(["mappings", "import", csv.path, "--user", "alice"], databaseURL: url, password: "not the password")
        #expect(wrong.status != 0)
        let none = try Self.hub(["mappings", "import", csv.path, "--user", "alice"], databaseURL: url, password: nil)
        #expect(none.status != 0, "no password, no terminal: refused")
        let imported = try Self.hub(["mappings", "import", csv.path, "--user", "alice"], databaseURL: url, password: Self.password)
        #expect(imported.status == 0, "\(imported.output)")

        let reviewId = try await t.withDatabase { db -> Int in
            #expect(try await count(db, "SELECT count(*)::int FROM item_mappings WHERE local_code = 'CLI-LOCAL-1' AND status = 'confirmed'") == 0)
            #expect(
                try await count(
                    db,
                    "SELECT count(*)::int FROM item_mappings WHERE local_code = 'CLI-LOCAL-1' AND status = 'proposed' AND rule = 'import' AND decided_by = 'alice'"
                ) == 1
            )
            #expect(
                try await count(db, "SELECT count(*)::int FROM ledger WHERE subject = 'sign_in_failed' AND payload LIKE '%\"channel\":\"cli\"%'") == 2
            )
            return try await count(db, "SELECT id::int FROM review_items WHERE local_code = 'CLI-LOCAL-1' AND status = 'pending_approval'")
        }
        #expect(reviewId > 0)

        let ownApproval = try Self.hub(["review", "approve", String(reviewId), "--user", "alice"], databaseURL: url, password: Self.password)
        #expect(ownApproval.status != 0)
        let badPassword = try Self.hub(["review", "approve", String(reviewId), "--user", "bob"], databaseURL: url, password: "wrong password")
        #expect(badPassword.status != 0)
        let approved = try Self.hub(["review", "approve", String(reviewId), "--user", "bob"], databaseURL: url, password: Self.password)
        #expect(approved.status == 0, "\(approved.output)")
        let confirmed = try await t.withDatabase { db in
            try await count(
                db,
                "SELECT count(*)::int FROM item_mappings WHERE local_code = 'CLI-LOCAL-1' AND status = 'confirmed' AND approved_by = 'bob'"
            )
        }
        #expect(confirmed == 1)
    }
}
