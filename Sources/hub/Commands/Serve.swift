import ArgumentParser
import HubServer
import Hummingbird

/// `hub serve`: the HTTP server, until SIGTERM or SIGINT (then it drains in-flight requests and stops).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the hub's HTTP server (启动数据交换服务).")

    @Option(help: "Address to listen on (default HUB_HOST or 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default HUB_PORT or 8080).") var port: Int?

    func run() async throws {
        let logger = Logs.logger()
        try HubConfiguration().refuseDemoSecrets()
        let runtime = try HubRuntime.start(logger: logger)
        defer { runtime.stop() }
        var settings = runtime.hub.configuration
        if let host { settings.host = host }
        if let port { settings.port = port }
        printSettings(settings)
        // A changed risk model is stored (and a changed file without a new version refused) before the first request.
        try await buildApplication(runtime.hub, host: host, port: port, beforeServing: { hub in try await hub.installRiskModels() }).runService()
    }
}
