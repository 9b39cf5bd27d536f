import Foundation
import Logging
import PostgresNIO

/// The hub's one way to reach PostgreSQL: a `PostgresClient` pool plus the logger queries log to.
///
/// The pool answers nothing until `run()` runs, so in the server it is a `Service` of the application;
/// short CLI commands use `withRunning`.
public struct HubDatabase: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(url: String, maxConnections: Int = 20, logger: Logger) throws {
        self.client = PostgresClient(configuration: try Self.configuration(url: url, maxConnections: maxConnections), backgroundLogger: logger)
        self.logger = logger
    }

    public enum URLError: Error, CustomStringConvertible {
        case invalid(String)
        public var description: String {
            switch self {
            case .invalid(let why): "HUB_DATABASE_URL is not a postgres:// URL: \(why)"
            }
        }
    }

    /// `postgres://user:password@host:port/database[?sslmode=disable|prefer|require]`.
    public static func configuration(url: String, maxConnections: Int) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw URLError.invalid("scheme must be postgres")
        }
        guard let host = components.host, let user = components.user else { throw URLError.invalid("host and user are required") }
        let database = String(components.path.drop { $0 == "/" })
        let sslmode =
            components.queryItems?.first { $0.name == "sslmode" }?.value ?? (host == "127.0.0.1" || host == "localhost" ? "disable" : "prefer")
        let tls: PostgresClient.Configuration.TLS
        switch sslmode {
        case "disable": tls = .disable
        case "require": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        var config = PostgresClient.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: user,
            password: components.password?.removingPercentEncoding,
            database: database.isEmpty ? user : database,
            tls: tls
        )
        config.options.maximumConnections = maxConnections
        return config
    }

    /// Opens one connection and closes it, so that a refused connection (a database that does not exist, a wrong
    /// password, nobody listening) is thrown at once as PostgreSQL or the socket said it — the pool retries a
    /// failing connection behind a circuit breaker for about a minute, then says only
    /// `connectionCreationCircuitBreakerTripped`. Plain connections only (`sslmode=disable`, the default on
    /// loopback and the embedded cluster); with TLS the pool's own first connection reports.
    public static func probe(url: String, logger: Logger) async throws {
        let config = try configuration(url: url, maxConnections: 1)
        guard let host = config.host, host == "127.0.0.1" || host == "localhost" || url.contains("sslmode=disable"),
            !url.contains("sslmode=require"), !url.contains("sslmode=prefer")
        else { return }
        let connection = try await PostgresConnection.connect(
            configuration: .init(
                host: host,
                port: config.port ?? 5432,
                username: config.username,
                password: config.password,
                database: config.database,
                tls: .disable
            ),
            id: 0,
            logger: logger
        )
        try await connection.close()
    }

    /// The user name a `postgres://` URL connects as.
    public static func user(in url: String) throws -> String {
        guard let user = URLComponents(string: url)?.user, !user.isEmpty else { throw URLError.invalid("no user") }
        return user.removingPercentEncoding ?? user
    }

    /// Runs `body` while the pool runs, then shuts the pool down. For commands that do one job and exit.
    ///
    /// `body` starts only once the run task has begun: a query leased before `run()` is entered still waits,
    /// but PostgresNIO logs "run() hasn't been called" for it, which every short command printed. The task
    /// says it is starting and then calls `run()`, whose first step (marking the client running) comes
    /// before any suspension point, while `body` has to be scheduled again after the signal.
    public func withRunning<T: Sendable>(_ body: @Sendable (HubDatabase) async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            let (started, starting) = AsyncStream<Void>.makeStream()
            group.addTask {
                starting.finish()
                await client.run()
            }
            defer { group.cancelAll() }
            for await _ in started {}
            await Task.yield()
            return try await body(self)
        }
    }

    /// Whether the server answers (for `/ready`).
    public func ping() async -> Bool {
        do {
            try await client.query("SELECT 1", logger: logger)
            return true
        } catch {
            return false
        }
    }
}
