import ArgumentParser
import HubServer
import Hummingbird

/// `hub public`: the public side of 行政执法公示 alone (`/public/…`), on a listener of its own that can be
/// exposed to the internet without the department API, the ops API or the console. Expects `hub migrate` (or a
/// running `hub serve`) to have brought the schema up to date.
struct PublicCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "public", abstract: "Run the public disclosure pages alone (行政执法公示).")

    @Option(help: "Address to listen on (default HUB_HOST or 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (default HUB_PUBLIC_PORT or 8081).") var port: Int?

    func run() async throws {
        let logger = Logs.logger()
        let runtime = try HubRuntime.start(logger: logger)
        defer { runtime.stop() }
        let port = port ?? runtime.hub.configuration.publicPort ?? 8081
        say("公示服务 public pages on \(host ?? runtime.hub.configuration.host):\(port)")
        try await buildPublicApplication(runtime.hub, host: host, port: port).runService()
    }
}
