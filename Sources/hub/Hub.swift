import ArgumentParser

/// `hub`: the supervision data hub's command line.
@main
struct Hub: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "衡阳市“互联网+监管”数据交换枢纽 — the city's supervision data hub.",
        discussion: "Without HUB_DATABASE_URL every command uses a private PostgreSQL under .hub/ (started and stopped for you).",
        subcommands: [
            Demo.self, Serve.self, Migrate.self, CatalogCommand.self, Departments.self, Users.self, Review.self, MappingsCommand.self,
            LedgerCommand.self, Push.self, SyncCommand.self, ReconcileCommand.self, OutboxCommand.self, CalendarCommand.self,
            RandomChecksCommand.self, CasesCommand.self, CluesCommand.self, PublicCommand.self, RiskCommand.self,
        ]
    )
}
