import Foundation
import HubClient
import HubModel
import HubXML
import HubStore
import Hummingbird
import Logging
import Exchange
import Normalization
import HummingbirdCore
import HummingbirdTLS
import PostgresNIO
import ServiceLifecycle

/// Everything a running hub holds, built once from the configuration: the shared pieces that the
/// application, the CLI and the tests use.
public struct HubContext: Sendable {
    public let configuration: HubConfiguration
    public let db: HubDatabase
    public let dictionaries: NationalDictionaries
    public let metrics: HubMetrics
    public let logger: Logger
    /// Department profiles from `Mappings/departments/`, by department code.
    public let profiles: [String: DepartmentProfile]
    public let catalogCache: CatalogCache
    /// The compiled XSD every XML request is validated against (nil when `Schemas/record-v1.xsd` is absent).
    public let xmlSchema: RecordSchemaValidator?
    /// The Ed25519 key ledger checkpoints are signed with (`HUB_CHECKPOINT_KEY`, or made once in the state folder).
    public let checkpointKey: [UInt8]
    /// Seals department secrets at rest (`HUB_MASTER_KEY`, or a key file made once in the state folder).
    public let secretVault: SecretVault
    /// The console's templates and assets (nil when the resource bundle is missing: the console then answers 503).
    public let console: ConsoleRenderer?
    /// HTTPS from `HUB_TLS_CERT`/`HUB_TLS_KEY` (nil: plain HTTP, e.g. behind a TLS-terminating proxy).
    public let tls: TLSConfiguration?
    /// The bearer token `/metrics` requires (`HUB_METRICS_TOKEN` or the state folder's `metrics.token`).
    public let metricsToken: String
    /// Uploads in flight per key (`HUB_MAX_UPLOADS_PER_KEY`).
    public let uploadSlots: UploadSlots

    /// What the hub connects as (the app role) and what migrations run as (the owner role; nil: the same).
    public let databaseURL: String
    public let migrationDatabaseURL: String?

    public init(configuration: HubConfiguration, databaseURL: String, migrationDatabaseURL: String? = nil, logger: Logger) throws {
        self.configuration = configuration
        self.databaseURL = databaseURL
        self.migrationDatabaseURL = migrationDatabaseURL
        self.logger = logger
        self.db = try HubDatabase(url: databaseURL, maxConnections: configuration.databasePoolSize, logger: logger)
        self.dictionaries = try DictionaryLoader.load(from: configuration.mappingsDirectory.appendingPathComponent("dictionaries"))
        self.metrics = HubMetrics()
        self.profiles = try ProfileLoader.loadAll(from: configuration.mappingsDirectory.appendingPathComponent("departments"))
        self.catalogCache = CatalogCache(db: db)
        let xsd = configuration.mappingsDirectory.deletingLastPathComponent().appendingPathComponent("Schemas/record-v1.xsd")
        self.xmlSchema = FileManager.default.fileExists(atPath: xsd.path) ? try RecordSchemaValidator(xsd: xsd) : nil
        self.checkpointKey = try CheckpointKey.load(configuration)
        self.secretVault = try MasterKey.load(configuration)
        self.tls = try ServerTLS.load(configuration.transport)
        self.metricsToken = try MetricsToken.load(configuration)
        self.uploadSlots = UploadSlots(limit: configuration.transport.maxUploadsPerKey)
        do {
            self.console = try ConsoleRenderer()
        } catch {
            logger.error("the ops console is unavailable", metadata: ["error": "\(error)"])
            self.console = nil
        }
    }

    public var departments: DepartmentStore { DepartmentStore(db: db, vault: secretVault) }
    public var catalog: CatalogStore { CatalogStore(db: db) }
    public var ingestStore: IngestStore { IngestStore(db: db, catalogCache: catalogCache) }
    public var mappings: MappingStore { MappingStore(db: db) }
    public var reviews: ReviewStore { ReviewStore(db: db, catalogCache: catalogCache, profiles: profiles) }
    public var receipts: ReceiptStore { ReceiptStore(db: db) }
    public var opsUsers: OpsUserStore { OpsUserStore(db: db) }
    public var outbox: OutboxStore { OutboxStore(db: db) }
    public var checkpoints: SyncCheckpoints { SyncCheckpoints(db: db) }
    public var feeds: ProvinceFeedStore { ProvinceFeedStore(db: db) }
    public var reconciliation: Reconciliation { Reconciliation(db: db) }
    public var ledgerCheckpoints: LedgerCheckpoints { LedgerCheckpoints(db: db, signingKey: checkpointKey) }
    /// The checkpoint keys `verify` and proofs accept: this hub's and `HUB_CHECKPOINT_TRUSTED_KEYS`.
    public var trustedCheckpointKeys: [[UInt8]] { CheckpointKey.trusted(own: ledgerCheckpoints.publicKey, configuration: configuration) }

    /// Applies pending migrations as the owner role over a short-lived connection and grants the app role
    /// its privileges (with no separate owner URL, the hub's own role migrates, as before). A connection of its
    /// own, not the pool: `hub migrate` and the services' preparation run before or beside the pool's `run()`.
    @discardableResult
    public func migrate() async throws -> [Int] {
        let ownerURL = migrationDatabaseURL ?? databaseURL
        let app = try HubDatabase.user(in: databaseURL), owner = try HubDatabase.user(in: ownerURL)
        return try await HubDatabase(url: ownerURL, maxConnections: 1, logger: logger).withRunning { db in
            try await Migrations.apply(db, grantingTo: app == owner ? nil : app)
        }
    }

    /// The full ledger check (chain, checkpoints, their ledger entries, coverage), as the CLI and the console run it.
    public func verifyLedger(progress: (@Sendable (Int64, Int64) -> Void)? = nil) async throws -> LedgerVerifier.Report {
        try await LedgerVerifier.run(db, trustedKeys: trustedCheckpointKeys, intervalMinutes: configuration.checkpointMinutes, progress: progress)
    }

    /// Audits a signed tree head kept outside the hub against today's ledger (`hub ledger audit`).
    public func auditHead(_ head: SignedTreeHead) async throws -> LedgerCheckpoints.Audit {
        try await ledgerCheckpoints.audit(head: head, trustedKeys: trustedCheckpointKeys)
    }

    /// The one ingest path: pushes, pulls and the tests all go through it.
    public func ingestService() -> IngestService {
        let reader = RecordReader(dictionaries: dictionaries, maxRecords: configuration.maxBatchRecords)
        return IngestService(store: ingestStore, reader: reader, metrics: metrics, profiles: profiles,
                             decoders: [JSONBodyDecoder(), XMLBodyDecoder(schema: xmlSchema)])
    }

    /// Registers a department (or issues a new key for it) with the agencies it may file records for: those of
    /// its profile and `extraAgencies` (USCCs, e.g. `hub departments add … --agency`).
    public func addDepartment(code: String, name: String, extraAgencies: [String] = []) async throws -> DepartmentCredentials {
        let credentials = try await departments.add(code: code, name: name)
        guard let department = try await departments.department(code: code) else { return credentials }
        let fromProfile = (profiles[code]?.allAgencies ?? []).map { DepartmentAgency(code: $0.code, name: $0.name, source: .profile) }
        try await departments.addAgencies(fromProfile + extraAgencies.map { DepartmentAgency(code: $0, name: nil, source: .cli) },
                                          department: department)
        return credentials
    }

    /// Confirms the known items of every profile whose department is registered.
    public func syncProfiles() async throws {
        for profile in profiles.values.sorted(by: { $0.code < $1.code }) {
            if let department = try await departments.department(code: profile.code) {
                try await departments.addAgencies(profile.allAgencies.map { DepartmentAgency(code: $0.code, name: $0.name, source: .profile) },
                                                  department: department)
                try await mappings.syncProfile(profile, department: department)
            }
        }
    }
}

/// Builds the hub's HTTP application: routes, middleware and background services. The database pool is
/// one of its services, and pending migrations run before the server accepts a request.
///
/// `beforeServing` runs after the migrations, with the pool running, before the first request is taken
/// (the demo imports its sample data there: a `PostgresClient` can run only once, so it must be this one).
public func buildApplication(
    _ hub: HubContext, host: String? = nil, port: Int? = nil,
    beforeServing: @escaping @Sendable (HubContext) async throws -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = buildRouter(hub)
    var app = Application(
        router: router,
        server: serverBuilder(hub),
        configuration: .init(address: .hostname(host ?? hub.configuration.host, port: port ?? hub.configuration.port), serverName: "supervision-hub"),
        logger: hub.logger)
    app.addServices(PostgresClientService(client: hub.db.client))
    app.addServices(NonceSweeper(departments: hub.departments, windowSeconds: hub.configuration.signatureWindowSeconds, logger: hub.logger))
    for service in syncServices(hub) { app.addServices(service) }
    app.addServices(CheckpointService(hub: hub))
    app.beforeServerStarts {
        try await hub.migrate()
        try await hub.prepareKeys()
        try await hub.syncProfiles()
        try await beforeServing(hub)
    }
    return app
}

/// HTTP/1.1 with the connection deadlines of `ConnectionDeadlines`, inside TLS when the hub has a certificate.
func serverBuilder(_ hub: HubContext) -> HTTPServerBuilder {
    let transport = hub.configuration.transport
    let limits = ConnectionDeadlines.Limits(header: .nanoseconds(Int64(transport.headerTimeout / .nanoseconds(1))),
                                            read: .nanoseconds(Int64(transport.readTimeout / .nanoseconds(1))),
                                            idle: .nanoseconds(Int64(transport.idleTimeout / .nanoseconds(1))))
    let logger = hub.logger
    let http1 = HTTPServerBuilder.http1(configuration: .init(
        additionalChannelHandlers: [ConnectionDeadlines(limits: limits, logger: logger)], idleTimeout: limits.idle))
    guard let tls = hub.tls else { return http1 }
    do {
        return try .tls(http1, tlsConfiguration: tls)
    } catch {
        // Unreachable: the configuration was built and checked by `ServerTLS.load` when the context was made.
        preconditionFailure("TLS configuration checked at start no longer builds: \(error)")
    }
}

/// The router alone (tests may drive it without sockets).
public func buildRouter(_ hub: HubContext) -> Router<HubRequestContext> {
    let router = Router(context: HubRequestContext.self)
    router.add(middleware: NoRouteMiddleware())
    router.add(middleware: TransportMiddleware(tls: hub.tls != nil, trusted: hub.configuration.transport.trustedProxies))
    router.add(middleware: MetricsMiddleware(metrics: hub.metrics))
    router.add(middleware: RedactedLogRequestsMiddleware(.debug))
    router.add(middleware: DatabaseErrorMiddleware())
    OperationsController(db: hub.db, metrics: hub.metrics, metricsToken: hub.metricsToken).addRoutes(to: router)
    LedgerController(hub: hub).addRoutes(to: router)
    let ingest = hub.ingestService()
    let api = router.group("api/v1")
        .add(middleware: SignatureMiddleware(departments: hub.departments, windowSeconds: hub.configuration.signatureWindowSeconds,
                                             maxBodyBytes: hub.configuration.maxBodyBytes,
                                             minVersion: RequestSigner.Version(rawValue: hub.configuration.transport.signatureMinVersion) ?? .v1,
                                             uploads: hub.uploadSlots))
    RecordsController(ingest: ingest).addRoutes(to: api)
    ReceiptsController(receipts: hub.receipts).addRoutes(to: api)
    ProvinceFeedController(hub: hub).addRoutes(to: api)
    OpsController(hub: hub).addRoutes(to: router)
    SyncOpsController(hub: hub).addRoutes(to: router)
    if let console = hub.console {
        ConsoleController(hub: hub, renderer: console).addRoutes(to: router)
    } else {
        router.get("console/**") { _, _ -> Response in
            throw HubHTTPError(.serviceUnavailable, code: "console_unavailable", zh: "运维控制台资源缺失，请随程序一并部署资源目录",
                               en: "the console's resources were not deployed with the binary")
        }
    }
    return router
}

/// Runs the PostgreSQL pool as a service of the application's group.
struct PostgresClientService: Service {
    let client: PostgresClient
    func run() async throws {
        await withGracefulShutdownHandler {
            await client.run()
        } onGracefulShutdown: {
            // The pool ends when its run() task is cancelled, which the group does after the server has drained.
        }
    }
}

/// The background services of the provincial exchange: outbox delivery and the feed pulls when a province
/// is configured, department pulls when a profile asks for them. `hub serve` runs them beside the HTTP
/// server; `hub sync` runs them alone.
public func syncServices(_ hub: HubContext) -> [any Service] {
    var services: [any Service] = []
    let settings = hub.configuration.exchange
    if let province = settings.province {
        let client = ProvinceClient(configuration: province)
        services.append(OutboxDeliveryService(hub: hub, client: client))
        services.append(ProvincePullService(hub: hub, client: client))
    }
    if settings.departmentPull {
        services.append(DepartmentPullService(hub: hub))
    }
    return services
}

/// Runs the pool and the sync services until SIGTERM or SIGINT (`hub sync`).
public func runSyncOnly(_ hub: HubContext) async throws {
    let group = ServiceGroup(configuration: .init(
        services: [.init(service: PostgresClientService(client: hub.db.client))]
            + syncServices(hub).map { .init(service: $0, successTerminationBehavior: .ignore) },
        gracefulShutdownSignals: [.sigterm, .sigint], logger: hub.logger))
    try await group.run()
}
