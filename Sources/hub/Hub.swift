import ArgumentParser
import Foundation
import HubServer

/// `hub`: the supervision data hub's command line.
@main
struct Hub: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "衡阳市“互联网+监管”数据交换枢纽 — the city's supervision data hub.",
        discussion: """
            没有设置 HUB_DATABASE_URL 时，每条命令使用 .hub/ 下的私有 PostgreSQL（自动启动和停止）。
            Without HUB_DATABASE_URL every command uses a private PostgreSQL under .hub/ (started and stopped for you).

            退出码 exit codes: 0 成功 success; 1 执行失败 the work failed (hub not running, PostgreSQL refused, a check failed);
            2 输入有误 bad input (unknown option, missing file, impossible date, bad code, port in use), found before anything starts.

            示例 Examples:
              scripts/demo.sh                       # 演示 the demo, then in another terminal:
              scripts/hub push .hub/first-record.json
              scripts/hub ledger verify
            """,
        subcommands: [
            Demo.self, Serve.self, Migrate.self, CatalogCommand.self, Departments.self, Users.self, Review.self, MappingsCommand.self,
            LedgerCommand.self, Push.self, SyncCommand.self, ReconcileCommand.self, OutboxCommand.self, CalendarCommand.self,
            RandomChecksCommand.self, CasesCommand.self, CluesCommand.self, PublicCommand.self, RiskCommand.self,
        ]
    )

    /// ArgumentParser's `main` with the hub's one way of failing (`runReportingFailures`, beside `CommandFailure`).
    static func main() async { await runReportingFailures() }
}
