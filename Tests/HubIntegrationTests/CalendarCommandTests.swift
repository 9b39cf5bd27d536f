import Foundation
import HubModel
import HubServer
import HubStore
import Testing

/// `hub calendar load|show` against PostgreSQL, through the real executable: the working-day calendar every
/// instance counts deadlines with.
@Suite(
    "Working-day calendar",
    .serialized,
    .enabled(if: FileManager.default.isExecutableFile(atPath: hubExecutable.path), "needs the hub executable (swift build --build-tests)")
)
struct CalendarCommandTests {
    /// Runs `hub calendar …` against the test database. Output goes to a file, not a pipe: a blocking pipe read
    /// in the test process is interrupted (EINTR) when parallel tests' children exit, and Foundation traps on it.
    static func hub(_ arguments: [String], _ t: TestHub) throws -> (status: Int32, output: String) {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("calendar-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = hubExecutable
        process.arguments = ["calendar"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HUB_DATABASE_URL"] = t.databaseURL
        environment["HUB_MAPPINGS"] = TestCluster.projectRoot.appendingPathComponent("Mappings").path
        environment["HUB_LOG_LEVEL"] = "error"
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try output.close()
        return (process.terminationStatus, try String(contentsOf: log, encoding: .utf8))
    }

    static func shipped(_ year: Int) -> String { TestCluster.projectRoot.appendingPathComponent("Mappings/calendar/\(year).csv").path }

    @Test("load installs the shipped years for every instance with a ledger entry; show prints them; a bad file installs nothing")
    func loadAndShow() async throws {
        let t = try await TestHub.make()
        let missing = try Self.hub(["show", "2026"], t)
        #expect(missing.status != 0)
        #expect(missing.output.contains("hub calendar load --by NAME Mappings/calendar/2026.csv"), "\(missing.output)")

        // A file with a weekday marked as a 调休 working day: refused with its line, and the good file beside it is
        // not installed either.
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("2027.csv")
        defer { try? FileManager.default.removeItem(at: broken) }
        try "# 测试通知\n# source: https://example.org/n\ndate,kind\n2027-01-01,holiday\n2027-01-04,workday\n".write(
            to: broken,
            atomically: true,
            encoding: .utf8
        )
        let refused = try Self.hub(["load", "--by", "ops-li", Self.shipped(2025), broken.path], t)
        #expect(refused.status != 0)
        #expect(refused.output.contains("2027.csv:5") && refused.output.contains("调休上班日 2027-01-04 不是周末"), "\(refused.output)")
        #expect(try await t.withDatabase { db in try await count(db, "SELECT count(*) FROM calendar_years") } == 0)

        let loaded = try Self.hub(["load", "--by", "ops-li", Self.shipped(2025), Self.shipped(2026)], t)
        #expect(loaded.status == 0, "\(loaded.output)")
        #expect(loaded.output.contains("已载入 loaded 2025: 节假日 28 天"))
        #expect(loaded.output.contains("已载入 loaded 2026: 节假日 33 天"))
        let again = try Self.hub(["load", "--by", "ops-wang", Self.shipped(2026)], t)
        #expect(again.output.contains("已更新 reloaded 2026"), "\(again.output)")

        let shown = try Self.hub(["show", "2026"], t)
        #expect(shown.status == 0)
        #expect(shown.output.contains("# source: https://politics.gmw.cn/2025-11/04/content_38391083.htm"))
        #expect(shown.output.contains("2026-02-15,holiday\n") && shown.output.contains("2026-02-28,workday\n"))

        try await t.withDatabase { (db: HubDatabase) async throws in
            #expect(try await count(db, "SELECT count(*) FROM ledger WHERE kind = 'ops_action' AND subject LIKE 'calendar:%'") == 3)
            #expect(try await count(db, "SELECT count(*) FROM calendar_years WHERE year = 2026 AND loaded_by = 'ops-wang'") == 1)
            // What a deadline is counted with, read back from the database: 20 working days across 国庆 2025.
            let calendar = try await CalendarStore(db: db).workingDays()
            #expect(try calendar.date(adding: 20, workingDaysAfter: CalendarDate("2025-09-15")!) == CalendarDate("2025-10-17"))
            #expect(throws: WorkingDays.MissingYear(year: 2027)) { try calendar.date(adding: 5, workingDaysAfter: CalendarDate("2026-12-29")!) }
        }
    }
}
