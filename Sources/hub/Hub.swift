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

    /// ArgumentParser's `main`, with one place that says how a command failed: a `CommandFailure` (or an error
    /// it translates, such as PostgreSQL's) as one bilingual line with its exit code, and no usage text after a
    /// domain error. Usage errors (unknown option, `validate()`) keep ArgumentParser's message and usage, and
    /// exit 2 like every other bad input.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try await asyncParseAsRoot(nil)
        } catch {
            exitParsing(error)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            // ArgumentParser's own answers reach here too (`hub help X`, `X --help` run a built-in command that
            // throws them): help exits 0 as ArgumentParser prints it, a usage error exits 2 with its usage.
            switch exitCode(for: error) {
            case .success: exit(withError: error)
            case .validationFailure: exitParsing(error)
            default: break
            }
            let failure = CommandFailure.from(error)
            FileHandle.standardError.write(Data((failure.description + "\n").utf8))
            Foundation.exit(failure.exitCode)
        }
    }

    /// Help and version exit 0 as ArgumentParser prints them; a usage error exits 2 (not ArgumentParser's 64).
    static func exitParsing(_ error: any Error) -> Never {
        guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
        FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
        Foundation.exit(CommandFailure.Kind.badInput.rawValue)
    }
}
