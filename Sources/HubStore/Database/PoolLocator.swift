import Foundation
import Logging
import PostgresNIO
import Supervision
import Synchronization

/// Keeps `HubDatabase`'s pool on a server that suits the URL's `target_session_attrs`, across failovers,
/// without a restart.
///
/// PostgresNIO's `PostgresClient` connects to one host, and once its server is gone it retries behind a
/// circuit breaker: requests queue for a minute, then fail with `connectionCreationCircuitBreakerTripped`, and
/// reconnects back off up to a minute more. So the locator does not repair a pool, it replaces it:
///
/// - It probes the URL's hosts (one connection each, `SELECT pg_is_in_recovery(), transaction_read_only`),
///   asks `HostChoice` (pure) which one to use, starts a fresh `PostgresClient` for it and keeps the probe's
///   connection open as a watch: one query a second.
/// - When the watch connection closes or the server no longer suits (a standby in recovery, a read-only
///   server), the pool is retired at once: its run is cancelled, so queued and new queries fail in
///   milliseconds (`poolShutdown`, a 503 `database_unavailable` with `Retry-After` to a department) instead of
///   hanging behind the breaker. A probe that only timed out, or that a full server turned away, is not proof:
///   the pool is kept. The hosts are probed again every half second until one suits; then a fresh
///   pool takes over. Behind a routing proxy (HAProxy to the primary: one host in the URL) the same steps
///   reconnect through the proxy once it routes to the new primary.
/// - A watch query that only times out (a busy server) is not a loss: the hosts are probed again and the
///   pool is kept when the same host still suits.
///
/// `client` is read by every query. A swap retires the old pool at once: it happens only after the watch
/// stopped answering or the server stopped suiting (the first choice is made before the services start, by
/// `locateFirst`), so the old pool's queries would otherwise wait on connections that may never wake.
final class PoolLocator: Sendable {
    struct Timing: Sendable {
        /// Between two watch queries.
        var watchInterval: Duration = .seconds(1)
        /// How long a probe's connect plus query, or a watch query, may take.
        var probeTimeout: Duration = .seconds(3)
        /// Between two rounds of probes while no host suits.
        var retryInterval: Duration = .milliseconds(500)
    }

    let url: DatabaseURL
    let maxConnections: Int
    let logger: Logger
    let timing: Timing
    let tls: PostgresClient.Configuration.TLS
    private let state: Mutex<State>

    struct State {
        var client: PostgresClient
        var endpoint: Int
        /// `pg_postmaster_start_time()` of the pool's server when it was chosen: another value later means the
        /// server restarted and every connection of the pool is dead.
        var started = ""
        var located = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    init(url: DatabaseURL, maxConnections: Int, logger: Logger, timing: Timing = .init()) {
        self.url = url
        self.maxConnections = maxConnections
        self.logger = logger
        self.timing = timing
        switch url.sslMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        // The first host until the first probe says otherwise: queries taken before `run()` wait for this pool.
        let first = Self.makeClient(url: url, endpoint: url.endpoints[0], tls: tls, maxConnections: maxConnections, logger: logger)
        state = Mutex(State(client: first, endpoint: 0))
    }

    var current: PostgresClient { state.withLock { $0.client } }
    var currentEndpoint: DatabaseURL.Endpoint { url.endpoints[state.withLock { $0.endpoint }] }

    static func makeClient(
        url: DatabaseURL,
        endpoint: DatabaseURL.Endpoint,
        tls: PostgresClient.Configuration.TLS,
        maxConnections: Int,
        logger: Logger
    ) -> PostgresClient {
        var config = PostgresClient.Configuration(
            host: endpoint.host,
            port: endpoint.port,
            username: url.user,
            password: url.password,
            database: url.database,
            tls: tls
        )
        config.options.maximumConnections = maxConnections
        // A connect to a host that is gone must fail well within a request's time.
        config.options.connectTimeout = .seconds(5)
        return PostgresClient(configuration: config, backgroundLogger: logger)
    }

    /// Before the pool runs: probes the hosts once and starts on the one that suits, so the first queries (the
    /// server's preparation, the services' first rounds, which start beside `run()`) do not go to a standby that
    /// the URL lists first. One address: nothing to choose. No host suits: the first stays, and `run()` follows.
    func locateFirst() async {
        guard url.endpoints.count > 1 else { return }
        let (choice, watch, _, _) = await locate()
        try? await watch?.close()
        guard let choice, choice != state.withLock({ $0.endpoint }) else { return }
        let client = Self.makeClient(url: url, endpoint: url.endpoints[choice], tls: tls, maxConnections: maxConnections, logger: logger)
        state.withLock {
            $0.client = client
            $0.endpoint = choice
        }
    }

    /// Returns once the first round of probes ended (a host chosen, or none answering): a short command then
    /// starts on the right host of a list.
    func waitUntilLocated() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if s.located { return true }
                s.waiting.append(c)
                return false
            }
            if now { c.resume() }
        }
    }

    private func markLocated() {
        let waiting = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.located = true
            defer { s.waiting = [] }
            return s.waiting
        }
        for c in waiting { c.resume() }
    }

    /// A pool's run, ended by `retire` (or by the end of `run`).
    struct Running: Sendable {
        let client: PostgresClient
        let stop: AsyncStream<Void>.Continuation
    }

    private func start(_ client: PostgresClient, in group: inout DiscardingTaskGroup) -> Running {
        let (stopped, stop) = AsyncStream<Void>.makeStream()
        group.addTask {
            await withTaskGroup(of: Void.self) { inner in
                inner.addTask { await client.run() }
                inner.addTask { for await _ in stopped {} }
                await inner.next()
                inner.cancelAll()
            }
        }
        return Running(client: client, stop: stop)
    }

    /// Cancels a pool's run now: its server is gone or no longer suits, so its queries fail at once.
    private func retire(_ running: Running) { running.stop.finish() }

    /// Probes, chooses, (re)builds and watches until cancelled (the application's graceful shutdown ends the
    /// service's task).
    func run() async {
        await withDiscardingTaskGroup { group in
            var running = start(current, in: &group)
            var lost = false
            var timingOut = false
            while !Task.isCancelled {
                let (choice, watch, started, inconclusive) = await locate()
                guard let choice, let watch else {
                    markLocated()
                    // A probe that only timed out, or that a full server turned away, proves nothing: on a starved
                    // machine (a full test suite beside another) every probe of a healthy server timed out together
                    // and shutting those pools cut queries in flight. The pool is kept; PostgresNIO's own errors
                    // (and the write deadline) answer for a server that is really unreachable.
                    if inconclusive {
                        if !lost, !timingOut {
                            logger.warning("database probes time out: the pool is kept", metadata: ["host": "\(currentEndpoint)"])
                        }
                        timingOut = true
                    } else if !lost {
                        logger.error(
                            "数据库不可用 no PostgreSQL server suits the URL: queries fail with 503 until one does",
                            metadata: [
                                "hosts": "\(url.endpoints.map(\.description).joined(separator: ","))", "target": "\(url.targetSessionAttrs.rawValue)",
                            ]
                        )
                        lost = true
                        retire(running)
                    }
                    try? await Task.sleep(for: timing.retryInterval)
                    continue
                }
                timingOut = false
                let (previous, previousStart) = state.withLock { ($0.endpoint, $0.started) }
                // The same host, restarted while the watch waited (a watch query that only timed out: PostgresNIO
                // does not always fail a query on a connection the server dropped): the pool's connections are
                // dead and it would reconnect only after its backoff. A fresh pool, the old one retired now.
                let restarted = !lost && choice == previous && !previousStart.isEmpty && started != previousStart
                if lost || restarted || choice != previous {
                    let client = Self.makeClient(
                        url: url,
                        endpoint: url.endpoints[choice],
                        tls: tls,
                        maxConnections: maxConnections,
                        logger: logger
                    )
                    let next = start(client, in: &group)
                    state.withLock {
                        $0.client = client
                        $0.endpoint = choice
                    }
                    // A swap after the watch stopped answering (another host now, or the same one restarted): the
                    // old server is gone or has cut its connections, and queries waiting on them may never wake
                    // (PostgresNIO): retire the old pool now, so they fail into 503s.
                    if !lost { retire(running) }
                    running = next
                    logger.notice(
                        "数据库连接池已切换 the database pool now uses \(url.endpoints[choice])",
                        metadata: ["previous": "\(url.endpoints[previous])", "afterLoss": "\(lost)", "restarted": "\(restarted)"]
                    )
                    lost = false
                }
                state.withLock { $0.started = started }
                // After the swap: a short command waiting in `withRunning` starts on the chosen host.
                markLocated()
                let outcome = await self.watch(watch)
                try? await watch.close()
                switch outcome {
                case .cancelled:
                    break
                case .slow:
                    logger.warning("the database watch query was slow: probing the hosts again", metadata: ["host": "\(url.endpoints[choice])"])
                case .lost(let why):
                    logger.error(
                        "数据库连接中断 lost the database server: its pool is closed, probing the hosts",
                        metadata: ["host": "\(url.endpoints[choice])", "why": "\(why)"]
                    )
                    lost = true
                    retire(running)
                }
            }
            retire(running)
            markLocated()
        }
    }

    enum WatchOutcome {
        case lost(String)
        case slow
        case cancelled
    }

    /// Queries the server's role each `watchInterval` on the probe's connection until something is wrong.
    private func watch(_ connection: PostgresConnection) async -> WatchOutcome {
        while true {
            do {
                try await Task.sleep(for: timing.watchInterval)
            } catch {
                return .cancelled
            }
            do {
                let role = try await Deadline.run(timing.probeTimeout, operation: "database watch") {
                    try await Self.probe(connection, logger: self.logger).role
                }
                if !url.targetSessionAttrs.accepts(role) {
                    return .lost("the server is now \(role.inRecovery ? "in recovery" : "read-only")")
                }
            } catch is Deadline.Exceeded {
                return Task.isCancelled ? .cancelled : .slow
            } catch {
                return Task.isCancelled ? .cancelled : .lost(String(describing: error))
            }
        }
    }

    /// Probes every host at once; returns the chosen host's index with its open connection (the others are
    /// closed) and its server's start time; with no choice, whether the current host's probe failed only
    /// inconclusively (`ProbeFailure.isInconclusive`).
    private func locate() async -> (Int?, PostgresConnection?, String, inconclusive: Bool) {
        let endpoints = url.endpoints
        let current = state.withLock { $0.endpoint }
        let results = await withTaskGroup(of: (Int, PostgresConnection?, Probe?, Bool).self) { group in
            for (index, endpoint) in endpoints.enumerated() {
                group.addTask {
                    // The connection changes hands under a deadline: whichever side finishes second closes it
                    // (a connection made after the deadline and never closed trips PostgresConnection's deinit).
                    let handoff = ProbeHandoff<PostgresConnection>()
                    do {
                        let probe = try await Deadline.run(self.timing.probeTimeout, operation: "database probe") {
                            let connection = try await self.connect(endpoint)
                            guard handoff.offer(connection) else {
                                try? await connection.close()
                                throw CancellationError()
                            }
                            return try await Self.probe(connection, logger: self.logger)
                        }
                        return (index, handoff.abandon(), probe, false)
                    } catch {
                        try? await handoff.abandon()?.close()
                        self.logger.debug("database probe failed", metadata: ["host": "\(endpoint)", "error": "\(error)"])
                        return (index, nil, nil, ProbeFailure.isInconclusive(error))
                    }
                }
            }
            var all: [(Int, PostgresConnection?, Probe?, Bool)] = []
            for await result in group { all.append(result) }
            return all.sorted { $0.0 < $1.0 }
        }
        let choice = HostChoice.choose(results.map { $0.2?.role }, for: url.targetSessionAttrs)
        for (index, connection, _, _) in results where index != choice {
            try? await connection?.close()
        }
        return (choice, choice.flatMap { results[$0].1 }, choice.flatMap { results[$0].2?.started } ?? "", results[current].3)
    }

    private func connect(_ endpoint: DatabaseURL.Endpoint) async throws -> PostgresConnection {
        let connectionTLS: PostgresConnection.Configuration.TLS
        switch url.sslMode {
        case .disable: connectionTLS = .disable
        case .prefer: connectionTLS = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: connectionTLS = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(
            host: endpoint.host,
            port: endpoint.port,
            username: url.user,
            password: url.password,
            database: url.database,
            tls: connectionTLS
        )
        configuration.options.connectTimeout = .seconds(Int64(timing.probeTimeout.components.seconds))
        return try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
    }

    struct NoRole: Error {}

    /// What a probe or the watch reads: the server's role and when it started.
    struct Probe: Sendable {
        var role: ServerRole
        var started: String
    }

    static func probe(_ connection: PostgresConnection, logger: Logger) async throws -> Probe {
        let rows = try await connection.query(
            "SELECT pg_is_in_recovery(), current_setting('transaction_read_only'), pg_postmaster_start_time()::text",
            logger: logger
        )
        for try await (inRecovery, readOnly, started) in rows.decode((Bool, String, String).self) {
            return Probe(role: ServerRole(inRecovery: inRecovery, readOnly: readOnly == "on"), started: started)
        }
        throw NoRole()
    }
}

/// A probe's connection passed from the work under `Deadline.run` to the caller. The work offers it; the
/// caller takes it (`abandon`) when the probe answered, or when it gave up — then it closes what was offered,
/// and a connection offered after that is refused, so the work closes it itself. Generic so that its rules are
/// tested without a server.
package final class ProbeHandoff<Connection: Sendable>: Sendable {
    private struct State: ~Copyable {
        var abandoned = false
        var connection: Connection?
    }
    private let state = Mutex(State())

    package init() {}

    /// False when the caller already gave up: the offerer must close `connection`.
    package func offer(_ connection: Connection) -> Bool {
        state.withLock {
            if $0.abandoned { return false }
            $0.connection = connection
            return true
        }
    }

    /// Ends the handoff: the connection offered so far (the caller now owns it), nil if none.
    package func abandon() -> Connection? {
        state.withLock {
            $0.abandoned = true
            let connection = $0.connection
            $0.connection = nil
            return connection
        }
    }
}

/// How the locator reads a failed probe.
package enum ProbeFailure {
    /// A probe failure that says nothing about the server: it did not answer in time (a starved machine looks
    /// the same as a cut cable), or it answered that it is full (`too_many_connections`). A refused or closed
    /// connection, or a server shutting down or starting up, is proof.
    package static func isInconclusive(_ error: any Error) -> Bool {
        if error is Deadline.Exceeded { return true }
        if let channel = error as? ChannelError, case .connectTimeout = channel { return true }
        guard let psql = error as? PSQLError else { return false }
        if psql.code == .server, psql.serverInfo?[.sqlState] == "53300" { return true }
        if psql.code == .connectionError, let channel = psql.underlying as? ChannelError, case .connectTimeout = channel { return true }
        return false
    }
}
