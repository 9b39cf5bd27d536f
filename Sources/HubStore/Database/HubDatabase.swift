import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Supervision

/// The hub's one way to reach PostgreSQL: a `PostgresClient` pool plus the logger queries log to.
///
/// The URL may name several hosts (`postgres://u:p@db1:5432,db2:5432/hub?target_session_attrs=read-write`,
/// as libpq reads it, see `DatabaseURL`) or one routing proxy; `client` is the pool of the server that suits
/// now, and a failover replaces it without a restart (`PoolLocator`). Take `client` per use, not once for good.
///
/// The pool answers nothing until `run()` runs, so in the server the database is a `Service` of the
/// application; short CLI commands use `withRunning`.
public struct HubDatabase: Sendable, Service {
    let locator: PoolLocator
    public let logger: Logger
    /// The URL as read (hosts, user, database, session attributes).
    public let url: DatabaseURL

    /// The pool of the server in use. Read it for each query or transaction: after a failover it is another pool.
    public var client: PostgresClient { locator.current }

    /// The host the pool uses now (the first of the URL until the first probe).
    public var endpoint: DatabaseURL.Endpoint { locator.currentEndpoint }

    public init(url: String, maxConnections: Int = 20, logger: Logger) throws {
        self.url = try Self.parse(url)
        self.locator = PoolLocator(url: self.url, maxConnections: maxConnections, logger: logger)
        self.logger = logger
    }

    /// Chooses the host to start on before the pool runs (a host list's first host may be a standby). Call it
    /// before the services that share this database start; `withRunning` needs no call.
    public func locate() async { await locator.locateFirst() }

    /// Probes the hosts, runs the pool of the one that suits and follows failovers until the application shuts down.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await locator.run()
        }
    }

    public enum URLError: Error, CustomStringConvertible {
        case invalid(String)
        public var description: String {
            switch self {
            case .invalid(let why): "HUB_DATABASE_URL is not a valid postgres:// URL: \(why)"
            }
        }
    }

    /// `postgres://user:password@host[:port][,host[:port]…]/database[?sslmode=…&target_session_attrs=…]`.
    public static func parse(_ url: String) throws(URLError) -> DatabaseURL {
        do {
            return try DatabaseURL(parsing: url)
        } catch {
            throw .invalid(error.reason)
        }
    }

    /// Opens one connection to a host of the URL and closes it, so that a refused connection (a database that
    /// does not exist, a wrong password, nobody listening) is thrown at once as PostgreSQL or the socket said
    /// it — the pool retries a failing connection behind a circuit breaker for about a minute, then says only
    /// `connectionCreationCircuitBreakerTripped`. Each host is tried in turn; the last one's error is thrown when
    /// none answers. Plain connections only (`sslmode=disable`, the default on loopback and the embedded
    /// cluster); with TLS the pool's own first connection reports.
    public static func probe(url: String, logger: Logger) async throws {
        let parsed = try parse(url)
        guard parsed.sslMode == .disable else { return }
        var last: (any Error)?
        for endpoint in parsed.endpoints {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: .init(
                        host: endpoint.host,
                        port: endpoint.port,
                        username: parsed.user,
                        password: parsed.password,
                        database: parsed.database,
                        tls: .disable
                    ),
                    id: 0,
                    logger: logger
                )
                try await connection.close()
                return
            } catch {
                last = error
            }
        }
        if let last { throw last }
    }

    /// The user name a `postgres://` URL connects as.
    public static func user(in url: String) throws -> String {
        try parse(url).user
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
                await locator.run()
            }
            defer { group.cancelAll() }
            for await _ in started {}
            await Task.yield()
            await locator.waitUntilLocated()
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
