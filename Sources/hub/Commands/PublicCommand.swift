import ArgumentParser
import HubServer
import Hummingbird

/// `hub public`: the public side of 行政执法公示 alone (`/public/…`), on a listener of its own that can be
/// exposed to the internet without the department API, the ops API or the console. Expects `hub migrate` (or a
/// running `hub serve`) to have brought the schema up to date.
struct PublicCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "public",
        abstract: "单独运行行政执法公示页面 — run the public disclosure pages alone, on a listener of their own.",
        discussion: examples("hub public", "hub public --port 8081 --host 0.0.0.0")
    )

    @Option(help: "Address to listen on (default HUB_HOST or 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default HUB_PUBLIC_PORT or 8081).") var port: Int?

    func run() async throws {
        let logger = Logs.logger()
        let configuration = try HubConfiguration()
        let port = port ?? configuration.publicPort ?? 8081
        try CommandInput.freePort(port, host: host ?? configuration.host, option: "--port", variable: "HUB_PUBLIC_PORT")
        let runtime = try HubRuntime.start(configuration: configuration, logger: logger)
        defer { runtime.stop() }
        say("公示服务 public pages on \(host ?? runtime.hub.configuration.host):\(port)")
        await runtime.hub.locateDatabases()
        try await buildPublicApplication(runtime.hub, host: host, port: port).runService()
    }
}
