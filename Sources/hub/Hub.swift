import ArgumentParser
import Foundation
import HubServer
import Logging

/// `hub`: the supervision data hub's command line.
@main
struct Hub: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "衡阳市“互联网+监管”数据交换枢纽 — the city's supervision data hub.",
        discussion: "Without HUB_DATABASE_URL every command uses a private PostgreSQL under .hub/ (started and stopped for you).",
        subcommands: [Demo.self, Serve.self, Migrate.self, CatalogCommand.self, Departments.self, Users.self, Review.self, MappingsCommand.self, LedgerCommand.self, Push.self, SyncCommand.self, ReconcileCommand.self, OutboxCommand.self]
    )
}

/// Logging set up once per process: logfmt lines on standard error, level from HUB_LOG_LEVEL.
enum Logs {
    static let bootstrapped: Void = {
        let level = (try? HubConfiguration()).flatMap { Logger.Level(rawValue: $0.logLevel) } ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }()

    static func logger(_ label: String = "hub") -> Logger {
        _ = bootstrapped
        return Logger(label: label)
    }
}

/// Prints a line to standard output at once (progress must show while work runs).
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
