import Foundation
import HubModel
import HubServer
import HubStore
import Supervision
import Testing

/// The risk models' versions in PostgreSQL: a changed file is stored with one `risk_model` ledger entry, an
/// unchanged one writes nothing, and a file changed without a new version is refused.
@Suite("Risk model versions", .serialized)
struct RiskModelVersionTests {
    static func count(_ db: HubDatabase) async throws -> (rows: Int, entries: Int) {
        var out = (0, 0)
        for try await (rows, entries) in try await db.client.query(
            "SELECT (SELECT count(*) FROM risk_models)::int, (SELECT count(*) FROM ledger WHERE kind = 'risk_model')::int",
            logger: db.logger
        ).decode((Int, Int).self) { out = (rows, entries) }
        return out
    }

    /// The shipped set with one model's text replaced.
    static func replacing(_ set: RiskModelSet, _ id: RiskModelID, _ edit: (String) -> String) throws -> RiskModelSet {
        try RiskModelSet(set.models.map { $0.id == id ? try RiskModelLoader.parse(edit($0.source), file: $0.file) : $0 })
    }

    @Test("install, reinstall (nothing written), a weight changed without a new version (refused), the version bumped (one entry)")
    func versions() async throws {
        let t = try await TestHub.make()
        let shipped = t.hub.riskModels
        try await t.withDatabase { db in
            let store = RiskModelStore(db: db)
            let first = try await store.install(shipped, by: "test")
            #expect(first.map(\.model) == RiskModelID.allCases)
            #expect(first.allSatisfy { $0.previousVersion == nil })
            #expect(try await Self.count(db) == (5, 5))

            #expect(try await store.install(shipped, by: "test").isEmpty)
            #expect(try await Self.count(db) == (5, 5))

            let reweighted = try Self.replacing(shipped, .falseMedicalAd) { $0.replacingOccurrences(of: "weight: 1\n", with: "weight: 0.9\n") }
            #expect(reweighted[.falseMedicalAd].sha256 != shipped[.falseMedicalAd].sha256)
            await #expect(throws: RiskModelStore.VersionNotBumped.self) { try await store.install(reweighted, by: "test") }
            do {
                try await store.install(reweighted, by: "test")
            } catch {
                #expect("\(error)".contains("a changed model must bump its version"))
                #expect("\(error)".contains("false_medical_ad"))
            }
            #expect(try await Self.count(db) == (5, 5), "a refused install writes nothing")

            let bumped = try Self.replacing(reweighted, .falseMedicalAd) { $0.replacingOccurrences(of: "version: \"1\"", with: "version: \"2\"") }
            let second = try await store.install(bumped, by: "ops-li")
            #expect(second.count == 1)
            #expect(second.first?.model == .falseMedicalAd)
            #expect(second.first?.version == "2")
            #expect(second.first?.previousVersion == "1")
            #expect(try await Self.count(db) == (6, 6))
            #expect(try await store.current()[.falseMedicalAd]?.version == "2")
            #expect(try await store.source(of: .falseMedicalAd, version: "1") == shipped[.falseMedicalAd].source)

            // Back to the shipped file: version 1 with its own bytes is the same text, stored again as in force.
            let back = try await store.install(shipped, by: "ops-li")
            #expect(back.map(\.version) == ["1"])
            #expect(try await store.current()[.falseMedicalAd]?.version == "1")
            #expect(try await LedgerStore.verify(db).ok)

            var payload = ""
            for try await p in try await db.client.query(
                "SELECT payload FROM ledger WHERE kind = 'risk_model' AND subject = 'risk_model:false_medical_ad' ORDER BY seq DESC LIMIT 1 OFFSET 1",
                logger: db.logger
            ).decode(String.self) { payload = p }
            #expect(
                payload.contains("\"previousVersion\":\"1\"") && payload.contains("\"version\":\"2\"") && payload.contains("\"by\":\"ops-li\""),
                "\(payload)"
            )
        }
    }

    @Test("the app role cannot rewrite a stored model version")
    func appendOnly() async throws {
        let t = try await TestHub.make()
        try await t.withDatabase { db in
            try await RiskModelStore(db: db).install(t.hub.riskModels, by: "test")
            await #expect(throws: (any Error).self) {
                try await db.client.query("UPDATE risk_models SET version = 'x'", logger: db.logger)
            }
        }
    }

    @Test(
        "hub migrate installs the models once; a changed file without a new version stops it with the reason",
        .enabled(if: FileManager.default.isExecutableFile(atPath: hubExecutable.path), "needs the hub executable (swift build --build-tests)")
    )
    func migrateCommand() async throws {
        let t = try await TestHub.make()
        let mappings = FileManager.default.temporaryDirectory.appendingPathComponent("risk-mappings-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestCluster.projectRoot.appendingPathComponent("Mappings"), to: mappings)
        defer { try? FileManager.default.removeItem(at: mappings) }
        func migrate() throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = hubExecutable
            process.arguments = ["migrate"]
            var environment = ProcessInfo.processInfo.environment
            environment["HUB_DATABASE_URL"] = t.databaseURL
            environment["HUB_MAPPINGS"] = mappings.path
            environment["HUB_LOG_LEVEL"] = "error"
            process.environment = environment
            process.currentDirectoryURL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            process.standardInput = FileHandle.nullDevice
            return try CommandLineFourEyesTests.run(process)
        }
        let first = try migrate()
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("risk model installed: illegal_device_sales 1"), "\(first.output)")
        let again = try migrate()
        #expect(again.status == 0)
        #expect(!again.output.contains("risk model installed"), "\(again.output)")
        let file = mappings.appendingPathComponent("risk/illegal_drug_sales.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "weight: 1\n", with: "weight: 2\n").write(to: file, atomically: true, encoding: .utf8)
        let refused = try migrate()
        #expect(refused.status != 0)
        #expect(refused.output.contains("a changed model must bump its version"), "\(refused.output)")
        let counts = try await t.withDatabase { db in try await Self.count(db) }
        #expect(counts == (5, 5), "a refused start installs nothing")
    }
}
