import ArgumentParser
import Exchange
import Foundation
import HubClient
import HubServer
import ProvinceSimulator
import ServiceLifecycle

/// `hub-demo`: everything on the embedded default — database, sample catalog, a demo department, a first
/// record ready to push — then the server and, in the same process, the provincial simulator, until Ctrl-C.
///
/// A program of its own so that the production `hub` and the server library do not link the simulator (a
/// test double): only this executable depends on both HubServer and ProvinceSimulator.
@main
struct HubDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub-demo",
        abstract: "演示模式：内置 PostgreSQL、样例数据和省平台模拟器 — run the hub with sample data and the provincial simulator.",
        discussion: """
            没有设置 HUB_DATABASE_URL 时使用 .hub/ 下的私有 PostgreSQL（自动启动和停止）。
            Without HUB_DATABASE_URL the demo uses a private PostgreSQL under .hub/ (started and stopped for you).

            示例 Examples:
              scripts/demo.sh
              scripts/demo.sh --port 18095 --simulator-port 18096
            """
    )

    @Option(help: "Port to listen on (default HUB_PORT or 8080).") var port: Int?
    @Option(help: "Port of the provincial simulator the demo starts (省平台模拟器).") var simulatorPort: Int = 8091

    /// ArgumentParser's `main` with the hub's one way of failing (`runReportingFailures`, beside `CommandFailure`).
    static func main() async { await runReportingFailures() }

    func run() async throws {
        let logger = Logs.logger()
        // The demo's province is the simulator, in this process, unless a real one is configured.
        var configuration = try HubConfiguration()
        let port = self.port ?? configuration.port
        let host = configuration.host
        // The demo's dead letter should appear within seconds: three refusals, unless HUB_SYNC_MAX_ATTEMPTS says otherwise.
        if ProcessInfo.processInfo.environment["HUB_SYNC_MAX_ATTEMPTS"] == nil { configuration.exchange.retry.maxAttempts = 3 }
        var simulator = SimulatorSettings(environment: ProcessInfo.processInfo.environment)
        let seedsDeadLetter = configuration.exchange.province == nil
        if configuration.exchange.province == nil {
            simulator.port = simulatorPort
            configuration.exchange.province = ProvinceConfiguration(
                baseURL: "http://127.0.0.1:\(simulatorPort)",
                token: simulator.token,
                receiptSecret: simulator.receiptSecret
            )
        }
        // Both ports are checked before PostgreSQL starts: a taken one is named with the option that moves it.
        try CommandInput.freePort(port, host: host, option: "--port", variable: "HUB_PORT")
        try CommandInput.freePort(simulator.port, host: simulator.host, option: "--simulator-port", variable: "SIM_PORT")
        // The 文旅 profile's pulled system is played by the simulator too.
        setenv("HY_WL_PULL_TOKEN", simulator.departmentToken, 0)
        say("① 启动内置 PostgreSQL starting the embedded PostgreSQL …")
        let runtime = try HubRuntime.start(configuration: configuration, logger: logger)
        defer { runtime.stop() }
        let hub = runtime.hub

        var settings = hub.configuration
        settings.port = port
        printSettings(settings)
        let app = try await buildApplication(hub, host: host, port: port) { hub in
            say("② 导入省级监管事项目录样例 importing the sample provincial catalog …")
            let (catalog, implementation) = try await hub.catalog.importFiles(
                in: hub.configuration.mappingsDirectory.appendingPathComponent("catalog")
            )
            say(
                "   目录 catalog items: \(catalog.rows) (new \(catalog.added), changed \(catalog.changed)); 实施清单 implementation items: \(implementation.rows) (new \(implementation.added))"
            )
            let credentials = try await DemoSetup.credentials(hub)
            say("③ 演示部门 demo department \(credentials.department) key \(credentials.keyId)")
            let accounts = try await DemoSetup.opsAccounts(hub)
            let record = try await DemoRecords.firstRecord(hub)
            let recordFile = hub.configuration.stateDirectory.appendingPathComponent("first-record.json")
            try SampleRecords.batch([record], batchId: "2026112600001").write(to: recordFile, atomically: true, encoding: .utf8)
            let seeded = try await DemoRecords.seed(hub)
            let url = "http://\(host):\(port)"
            let accountLines = accounts.map { "    \($0.username)  密码 password: \($0.password)   (保存在 kept in \($0.file.path))" }
                .joined(separator: "\n")
            say(
                """

                ④ 枢纽已就绪 the hub is up at \(url)   (Ctrl-C 停止 to stop)

                推送第一条记录 push a first record (signed with the demo key from .hub/demo-credentials.json):
                    scripts/hub push \(recordFile.path) --url \(url)
                or with curl (signature version 2; the secret from HUB_SECRET or a file named by HUB_SECRET_FILE):
                    HUB_KEY=\(credentials.keyId) HUB_SECRET=\(credentials.secret) scripts/signed-curl.sh POST \(url)/api/v1/records \(recordFile.path)
                查看该记录 then look it up:
                    scripts/hub push --get SCJG-JC-DEMO-000001 --url \(url)
                校验台账 verify the ledger (in another terminal):
                    scripts/hub ledger verify
                运维控制台 the ops console: \(url)/console
                \(accountLines)
                    ops-demo 决定冲突，approver-demo 复核（双人复核）ops-demo decides a conflict, approver-demo approves it (four eyes)
                待审核的冲突 held conflicts waiting for review: \(seeded.held)  (\(url)/console/reviews, scripts/hub review list)
                死信 a dead letter (the simulator refuses \(DemoRecords.deadLetterLocalId) every time; dead after \(hub.configuration.exchange.retry.maxAttempts) attempts):
                    scripts/hub outbox dead
                省平台模拟器 the provincial simulator (what it received, exactly once):
                    curl -s http://127.0.0.1:\(simulatorPort)/sim/stats
                上报队列 the outbox and the provincial pulls:
                    scripts/hub outbox status
                """
            )
        }
        let platform = try ProvincialPlatform(
            catalogCSV: try? String(
                contentsOf: hub.configuration.mappingsDirectory.appendingPathComponent("catalog/catalog.csv"),
                encoding: .utf8
            )
        )
        if seedsDeadLetter { await platform.refuseAlways(localIds: [DemoRecords.deadLetterLocalId]) }
        let province = buildSimulator(platform, settings: simulator, logger: Logs.logger("province-simulator"))
        say("   省平台模拟器 provincial simulator on http://127.0.0.1:\(simulatorPort)")
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: province), .init(service: app)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
