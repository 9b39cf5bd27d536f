import Exchange
import Foundation
import HubClient
import HubModel
import HubStore
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import PostgresNIO
import ServiceLifecycle

/// Builds the hub's HTTP application: routes, middleware and background services.
///
/// The schema is brought up to date first, here, once (`migrate`, over a connection of its own): the services
/// start after it and never migrate themselves. The database (`HubDatabase`, a `Service` that runs the pool and
/// follows failovers) is the first service, so it stops last, after the server has drained.
///
/// `beforeServing` runs with the pool running, after the keys and profiles are prepared, before the first
/// request is taken (the demo imports its sample data there: a `PostgresClient` can run only once, so it
/// must be this one).
public func buildApplication(
    _ hub: HubContext,
    host: String? = nil,
    port: Int? = nil,
    beforeServing: @escaping @Sendable (HubContext) async throws -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    await hub.locateDatabases()
    try await hub.migrate()
    var app = Application(
        router: buildRouter(hub),
        server: serverBuilder(hub),
        configuration: .init(address: .hostname(host ?? hub.configuration.host, port: port ?? hub.configuration.port), serverName: "supervision-hub"),
        logger: hub.logger
    )
    app.addServices(hub.db)
    if let standby = hub.standbyDB { app.addServices(standby) }
    if let publicPort = hub.configuration.publicPort {
        // The public pages on a listener of their own as well, sharing this pool.
        app.addServices(buildPublicApplication(hub, host: host, port: publicPort, runsPool: false))
    }
    app.addServices(NonceSweeper(departments: hub.departments, windowSeconds: hub.configuration.signatureWindowSeconds, logger: hub.logger))
    app.addServices(
        MessageLogPruner(store: MessageLogStore(db: hub.db), retentionDays: hub.configuration.messageLogRetentionDays, logger: hub.logger)
    )
    for service in syncServices(hub) { app.addServices(service) }
    if hub.configuration.clueOverdueMinutes > 0 {
        app.addServices(ClueOverdueService(clues: hub.clues, interval: .seconds(hub.configuration.clueOverdueMinutes * 60), logger: hub.logger))
    }
    app.addServices(
        CheckpointService(
            checkpoints: hub.ledgerCheckpoints,
            interval: .seconds(hub.configuration.checkpointMinutes * 60),
            logger: hub.logger
        )
    )
    app.beforeServerStarts {
        try await hub.prepareKeys()
        try await hub.syncProfiles()
        try await beforeServing(hub)
    }
    return app
}

/// HTTP/1.1 with the connection deadlines of `ConnectionDeadlines`, inside TLS when the hub has a certificate.
func serverBuilder(_ hub: HubContext) -> HTTPServerBuilder {
    let transport = hub.configuration.transport
    let limits = ConnectionDeadlines.Limits(
        header: .nanoseconds(Int64(transport.headerTimeout / .nanoseconds(1))),
        read: .nanoseconds(Int64(transport.readTimeout / .nanoseconds(1))),
        idle: .nanoseconds(Int64(transport.idleTimeout / .nanoseconds(1)))
    )
    let logger = hub.logger
    let http1 = HTTPServerBuilder.http1(
        configuration: .init(
            additionalChannelHandlers: [ConnectionDeadlines(limits: limits, logger: logger)],
            idleTimeout: limits.idle
        )
    )
    guard let tls = hub.tls else { return http1 }
    do {
        return try .tls(http1, tlsConfiguration: tls)
    } catch {
        // Unreachable: the configuration was built and checked by `ServerTLS.load` when the context was made.
        preconditionFailure("TLS configuration checked at start no longer builds: \(error)")
    }
}

/// The router alone (tests may drive it without sockets).
///
/// Three groups run in typed child contexts whose caller is not optional: the department API (`/api/v1`,
/// `SignatureMiddleware` → `DepartmentRequestContext`), the ops API (`/api/v1/ops`, `OpsAuthMiddleware` →
/// `OpsRequestContext`) and the console (`/console`, `ConsoleAuthMiddleware` → `ConsoleRequestContext`).
/// Every error becomes an answer through `ErrorMiddleware` (`HubHTTPError.answer(for:)`).
public func buildRouter(_ hub: HubContext) -> Router<HubRequestContext> {
    let configuration = hub.configuration
    let router = Router(context: HubRequestContext.self)
    router.add(middleware: NoRouteMiddleware())
    router.add(middleware: TransportMiddleware(tls: hub.tls != nil, trusted: configuration.transport.trustedProxies))
    router.add(middleware: MetricsMiddleware(metrics: hub.metrics))
    router.add(middleware: RedactedLogRequestsMiddleware(.debug))
    router.add(middleware: ErrorMiddleware())
    OperationsController(db: hub.db, ledger: hub.ledger, metrics: hub.metrics, metricsToken: hub.metricsToken).addRoutes(to: router)
    LedgerController(checkpoints: hub.ledgerCheckpoints).addRoutes(to: router)
    RandomCheckPublicController(store: hub.randomChecks).addRoutes(to: router)
    BulletinPublicController(store: hub.publicBulletins).addRoutes(to: router)
    BulletinPublicPages<HubRequestContext>(store: hub.publicBulletins).addRoutes(to: router)
    PublicJSONController<HubRequestContext>(store: hub.publicPublications, labels: PublicLabels(dictionaries: hub.dictionaries)).addRoutes(to: router)
    PublicPages<HubRequestContext>(store: hub.publicPublications, labels: PublicLabels(dictionaries: hub.dictionaries)).addRoutes(to: router)

    // The ops API: one group; the sign-in before its authentication, everything else behind it.
    let opsAPI = router.group("api/v1/ops")
    let ops = OpsController(
        reviews: hub.reviews,
        users: hub.opsUsers,
        records: hub.ingestStore,
        signIn: hub.signIn,
        reviewFourEyes: configuration.reviewFourEyes
    )
    ops.addSignIn(to: opsAPI)
    let signedIn = opsAPI.group().add(middleware: OpsAuthMiddleware(users: hub.opsUsers)).group(context: OpsRequestContext.self)
    ops.addRoutes(to: signedIn)
    SyncOpsController(
        outbox: hub.outbox,
        checkpoints: hub.checkpoints,
        reconciliation: hub.reconciliation,
        provinceURL: configuration.exchange.province?.baseURL
    ).addRoutes(to: signedIn)
    RandomCheckOpsController(store: hub.randomChecks, settings: hub.randomCheckSettings).addRoutes(to: signedIn)
    BulletinOpsController(store: hub.bulletins).addRoutes(to: signedIn)
    LocalItemOpsController(store: hub.localItems).addRoutes(to: signedIn)
    PublicationWithdrawalController(store: hub.publications).addOpsRoutes(to: signedIn)
    ClueOpsController(clues: hub.clues).addRoutes(to: signedIn)
    MessageLogOpsController(store: MessageLogStore(db: hub.db)).addRoutes(to: signedIn)
    ClaimOpsController(claims: ClaimStore(db: hub.db), catalogDepartments: hub.profiles.mapValues(\.catalogDepartment)).addRoutes(to: signedIn)

    // The department API: signed requests, the body collected once by the signature middleware.
    let departmentAPI = router.group("api/v1")
        .add(
            middleware: SignatureMiddleware(
                departments: hub.departments,
                windowSeconds: configuration.signatureWindowSeconds,
                maxBodyBytes: configuration.maxBodyBytes,
                minVersion: RequestSigner.Version(rawValue: configuration.transport.signatureMinVersion) ?? .v1,
                uploads: hub.uploadSlots,
                bodyBudget: hub.bodyBudget,
                messageLog: MessageLogStore(db: hub.db),
                metrics: hub.metrics
            )
        )
        .group(context: DepartmentRequestContext.self)
    RecordsController(ingest: hub.ingest, records: hub.ingestStore).addRoutes(to: departmentAPI)
    ReceiptsController(receipts: hub.receipts).addRoutes(to: departmentAPI)
    ProvinceFeedController(feeds: hub.feeds).addRoutes(to: departmentAPI)
    ClueController(feeds: hub.feeds, clues: hub.clues).addRoutes(to: departmentAPI)
    LibraryController(service: hub.libraries).addRoutes(to: departmentAPI)
    RandomCheckTaskController(store: hub.randomChecks).addRoutes(to: departmentAPI)
    CatalogController(departments: hub.departments, catalog: hub.catalog).addRoutes(to: departmentAPI)
    CaseController(service: hub.cases).addRoutes(to: departmentAPI)
    ObservationController(service: hub.observations).addRoutes(to: departmentAPI)
    PublicationWithdrawalController(store: hub.publications).addRoutes(to: departmentAPI)
    ClaimController(claims: ClaimStore(db: hub.db)).addRoutes(to: departmentAPI)

    if let renderer = hub.console {
        let jobs = ConsoleJobRunner(
            jobs: hub.consoleJobs,
            users: hub.opsUsers,
            checkpoints: hub.ledgerCheckpoints,
            trustedKeys: hub.trustedCheckpointKeys,
            verifyLedger: { try await hub.verifyLedger() },
            logger: hub.logger
        )
        ConsoleController(
            users: hub.opsUsers,
            departments: hub.departments,
            reviews: hub.reviews,
            records: hub.ingestStore,
            catalog: hub.catalog,
            mappings: hub.mappings,
            outbox: hub.outbox,
            pulls: hub.checkpoints,
            reconciliation: hub.reconciliation,
            ledger: LedgerReader(db: hub.readDB),
            ledgerCheckpoints: hub.ledgerCheckpoints,
            randomChecks: hub.randomCheckReads,
            libraries: hub.libraries.store,
            randomCheckPlans: hub.randomChecks,
            bulletins: hub.bulletins,
            localItems: hub.localItems,
            disclosureDeadlines: DisclosureDeadlines(db: hub.db),
            caseLimits: hub.cases.store,
            clues: hub.clues,
            observations: hub.observations.store,
            riskReports: RiskReportStore(db: hub.db, department: configuration.riskReportDepartment),
            claims: ClaimStore(db: hub.db),
            catalogDepartments: hub.profiles.mapValues(\.catalogDepartment),
            flashStore: hub.consoleFlashes,
            jobs: jobs,
            signIn: hub.signIn,
            renderer: renderer,
            reviewFourEyes: configuration.reviewFourEyes,
            provinceURL: configuration.exchange.province?.baseURL
        ).addRoutes(to: router)
    } else {
        router.get("console/**") { _, _ -> Response in
            throw HubHTTPError(
                .serviceUnavailable,
                code: "console_unavailable",
                zh: "运维控制台资源缺失，请随程序一并部署资源目录",
                en: "the console's resources were not deployed with the binary"
            )
        }
    }
    return router
}

/// The public side alone (行政执法公示, 监管动态 and 曝光台: `/public/…` and `/health`), for a listener that may face the internet
/// without the department API, the ops API or the console (`hub public`, `HUB_PUBLIC_PORT`): every other path is
/// 404 `no_such_route`, documented API paths included.
public func buildPublicRouter(_ hub: HubContext) -> Router<HubRequestContext> {
    let router = Router(context: HubRequestContext.self)
    router.add(middleware: NoRouteMiddleware(apiRoutes: false))
    router.add(middleware: TransportMiddleware(tls: hub.tls != nil, trusted: hub.configuration.transport.trustedProxies))
    router.add(middleware: MetricsMiddleware(metrics: hub.metrics))
    router.add(middleware: ErrorMiddleware())
    router.get("health") { _, _ in Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: .init(string: "ok\n"))) }
    BulletinPublicController(store: hub.publicBulletins).addRoutes(to: router)
    BulletinPublicPages<HubRequestContext>(store: hub.publicBulletins).addRoutes(to: router)
    PublicJSONController<HubRequestContext>(store: hub.publicPublications, labels: PublicLabels(dictionaries: hub.dictionaries)).addRoutes(to: router)
    PublicPages<HubRequestContext>(store: hub.publicPublications, labels: PublicLabels(dictionaries: hub.dictionaries)).addRoutes(to: router)
    return router
}

/// The public listener as an application of its own: the database pool and the public routes, no background
/// services (they run with `hub serve` or `hub sync`). It expects a migrated schema and migrates nothing: the
/// public side may run under a database role that can only read.
public func buildPublicApplication(_ hub: HubContext, host: String? = nil, port: Int, runsPool: Bool = true) -> some ApplicationProtocol {
    var app = Application(
        router: buildPublicRouter(hub),
        server: serverBuilder(hub),
        configuration: .init(address: .hostname(host ?? hub.configuration.host, port: port), serverName: "supervision-hub-public"),
        logger: hub.logger
    )
    if runsPool {
        app.addServices(hub.db)
        if let standby = hub.standbyDB { app.addServices(standby) }
    }
    return app
}

/// The background services of the provincial exchange: outbox delivery and the feed pulls when a province
/// is configured, department pulls when a profile asks for them. `hub serve` runs them beside the HTTP
/// server; `hub sync` runs them alone. They expect a migrated schema (`buildApplication`, `runSyncOnly`).
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

/// Runs the pool and the sync services until SIGTERM or SIGINT (`hub sync`). The schema is brought up to
/// date first, once, waiting while the database is not up yet.
public func runSyncOnly(_ hub: HubContext) async throws {
    try await waitUntilPrepared({ try await hub.migrate() }, logger: hub.logger)
    await hub.locateDatabases()
    let group = ServiceGroup(
        configuration: .init(
            services: [.init(service: hub.db)] + syncServices(hub).map { .init(service: $0, successTerminationBehavior: .ignore) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: hub.logger
        )
    )
    try await group.run()
}
