import ArgumentParser
import HubServer
import Hummingbird

/// `hub serve`: the HTTP server, until SIGTERM or SIGINT (then it drains in-flight requests and stops).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "启动数据交换服务（HTTP），直到收到 SIGTERM 或 SIGINT — run the hub's HTTP server until SIGTERM or SIGINT.",
        discussion: examples("hub serve", "hub serve --port 9000", "HUB_PORT=9000 HUB_DATABASE_URL=postgres://hub@db.example/hub hub serve")
    )

    @Option(help: "Address to listen on (default HUB_HOST or 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default HUB_PORT or 8080).") var port: Int?

    func run() async throws {
        let logger = Logs.logger()
        let configuration = try HubConfiguration()
        try configuration.refuseDemoSecrets()
        try CommandInput.freePort(port ?? configuration.port, host: host ?? configuration.host, option: "--port", variable: "HUB_PORT")
        let runtime = try HubRuntime.start(configuration: configuration, logger: logger)
        defer { runtime.stop() }
        var settings = runtime.hub.configuration
        if let host { settings.host = host }
        if let port { settings.port = port }
        printSettings(settings)
        // A changed risk model is stored (and a changed file without a new version refused) before the first request.
        try await buildApplication(runtime.hub, host: host, port: port, beforeServing: { hub in try await hub.installRiskModels() }).runService()
    }
}
