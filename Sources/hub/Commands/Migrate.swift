import ArgumentParser
import HubServer
import HubStore

/// `hub migrate`: applies pending schema migrations (also done on every start).
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations (数据库迁移).")

    func run() async throws {
        let runtime = try HubRuntime.start(logger: Logs.logger())
        defer { runtime.stop() }
        let applied = try await runtime.hub.migrate()
        say(
            applied.isEmpty
                ? "数据库已是最新 schema is up to date (\(Migrations.all.count) migrations)"
                : "已应用 applied migrations: \(applied.map(String.init).joined(separator: ", "))"
        )
    }
}
