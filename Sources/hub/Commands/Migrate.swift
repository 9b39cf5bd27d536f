import ArgumentParser
import HubServer
import HubStore

/// `hub migrate`: applies pending schema migrations (also done on every start).
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "执行待执行的数据库迁移 — apply pending database migrations (also done on every start).",
        discussion: examples("hub migrate", "HUB_DATABASE_URL=postgres://hub@db.example/hub hub migrate")
    )

    func run() async throws {
        let runtime = try HubRuntime.start(logger: Logs.logger())
        defer { runtime.stop() }
        let hub = runtime.hub
        let applied = try await hub.migrate()
        say(
            applied.isEmpty
                ? "数据库已是最新 schema is up to date (\(Migrations.all.count) migrations)"
                : "已应用 applied migrations: \(applied.map(String.init).joined(separator: ", "))"
        )
        // The risk models' files are versioned in the database: a changed one is stored with a ledger entry.
        let installed = try await hub.db.withRunning { _ in try await hub.installRiskModels(by: "hub migrate") }
        for model in installed {
            say("风险模型已更新 risk model installed: \(model.model.rawValue) \(model.previousVersion.map { "\($0) → " } ?? "")\(model.version)")
        }
    }
}
