import Foundation
import HubModel
import HubStore
import HubXML
import HummingbirdTLS
import Logging
import Normalization
import Supervision

/// The hub's composition root: everything a running hub holds, each piece built once from the configuration.
/// The CLI and the tests use it whole; `buildRouter` and the services take from it only what each controller
/// and service uses (its stores, settings, metrics and logger), so nothing below this level sees the whole.
public struct HubContext: Sendable {
    public let configuration: HubConfiguration
    public let db: HubDatabase
    /// The pool of `HUB_DATABASE_READ_URL` (nil when unset): see `readDB`.
    public let standbyDB: HubDatabase?
    /// Where the reads that tolerate replication lag go: the console's reports (reconciliation, the ledger
    /// pages, 双随机 views), the reconciliation report and the public feed — a standby when
    /// `HUB_DATABASE_READ_URL` is set, else the primary. Writes, and reads that must see the request's own
    /// write (a department's record lookup, a console page after its action), stay on `db`.
    public var readDB: HubDatabase { standbyDB ?? db }

    /// Each pool starts on the host of its URL that suits (`HubDatabase.locate`), before the services start.
    public func locateDatabases() async {
        await db.locate()
        await standbyDB?.locate()
    }
    /// 行政执法公示 and 监管动态 as the public side reads them (over `readDB`).
    public let publicPublications: PublicationStore
    public let publicBulletins: BulletinStore
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
    /// Upload body bytes processed at once, process-wide (`HUB_MAX_INFLIGHT_BODY_BYTES`).
    public let bodyBudget: BodyBudget

    /// What the hub connects as (the app role) and what migrations run as (the owner role; nil: the same).
    public let databaseURL: String
    public let migrationDatabaseURL: String?

    // The stores, each built once over the one pool.
    public let departments: DepartmentStore
    public let catalog: CatalogStore
    public let ingestStore: IngestStore
    public let mappings: MappingStore
    public let reviews: ReviewStore
    public let receipts: ReceiptStore
    public let opsUsers: OpsUserStore
    public let outbox: OutboxStore
    public let checkpoints: SyncCheckpoints
    public let feeds: ProvinceFeedStore
    public let reconciliation: Reconciliation
    public let ledgerCheckpoints: LedgerCheckpoints
    public let ledger: LedgerReader
    /// What the console shows of 双随机一公开 (read-only).
    public let randomCheckReads: RandomCheckReads
    public let consoleJobs: ConsoleJobStore
    public let consoleFlashes: ConsoleFlashStore
    /// The ops sign-in throttle, with the configured limits (shared by every instance through the database).
    public let signInThrottle: SignInThrottle
    /// The one ops sign-in sequence (console, API, command line).
    public let signIn: SignIn
    /// The one ingest path: pushes, pulls and the tests all go through it.
    public let ingest: IngestService
    /// The 一单两库 push and import path (`LibraryService`, XML checked against random-check-libraries-v1.xsd).
    public let libraries: LibraryService
    /// 双随机一公开: plans, draws, tasks, merges.
    public let randomChecks: RandomCheckStore
    /// 监管动态 and 曝光台.
    public let bulletins: BulletinStore
    /// Items set by local legislation (地方设立事项) and their coding by the province.
    public let localItems: LocalItemStore
    /// Enforcement cases and their stage events (`CaseService`, XML checked against case-events-v1.xsd).
    public let cases: CaseService
    /// Observations for the risk models (`ObservationService`, XML checked against observations-v1.xsd).
    public let observations: ObservationService
    /// 行政执法公示: publications, their withdrawal and the public read side.
    public let publications: PublicationStore
    /// Clues followed to closure: the province's and the city's, one lifecycle (`Mappings/risk/assignment.csv`).
    public let clues: ClueStore
    /// Ratios and frequency caps from `Mappings/random-checks/ratios.csv` (the built-in table when the file is absent).
    public let randomCheckSettings: RandomCheckSettings
    /// The checkpoint keys `verify` and proofs accept: this hub's and `HUB_CHECKPOINT_TRUSTED_KEYS`.
    public let trustedCheckpointKeys: [[UInt8]]
    /// The five risk models of `Mappings/risk/` (a bad or missing file stops the start). `installRiskModels`
    /// stores a changed one.
    public let riskModels: RiskModelSet

    public init(configuration: HubConfiguration, databaseURL: String, migrationDatabaseURL: String? = nil, logger: Logger) throws {
        self.configuration = configuration
        self.databaseURL = databaseURL
        self.migrationDatabaseURL = migrationDatabaseURL
        self.logger = logger
        let db = try HubDatabase(url: databaseURL, maxConnections: configuration.databasePoolSize, logger: logger)
        self.db = db
        let standby = try configuration.databaseReadURL.map {
            try HubDatabase(url: $0, maxConnections: configuration.databasePoolSize, logger: logger)
        }
        self.standbyDB = standby
        let reads = standby ?? db
        self.publicPublications = PublicationStore(db: reads)
        self.publicBulletins = BulletinStore(db: reads)
        self.dictionaries = try DictionaryLoader.load(from: configuration.mappingsDirectory.appendingPathComponent("dictionaries"))
        self.metrics = HubMetrics()
        self.profiles = try ProfileLoader.loadAll(from: configuration.mappingsDirectory.appendingPathComponent("departments"))
        self.catalogCache = CatalogCache(db: db, aliases: try Self.instrumentAliases(configuration, logger: logger))
        let xsd = configuration.mappingsDirectory.deletingLastPathComponent().appendingPathComponent("Schemas/record-v1.xsd")
        self.xmlSchema = FileManager.default.fileExists(atPath: xsd.path) ? try RecordSchemaValidator(xsd: xsd) : nil
        self.checkpointKey = try CheckpointKey.load(configuration)
        if !configuration.reviewFourEyes {
            // A security control switched off (HUB_REVIEW_FOUR_EYES=false/0/no/off): say so on every start.
            logger.warning("双人复核已关闭 four-eyes review is off (HUB_REVIEW_FOUR_EYES): one person decides and releases held records")
        }
        self.secretVault = try MasterKey.load(configuration)
        self.tls = try ServerTLS.load(configuration.transport)
        self.metricsToken = try MetricsToken.load(configuration)
        self.uploadSlots = UploadSlots(limit: configuration.transport.maxUploadsPerKey)
        // Half the read deadline (HUB_READ_TIMEOUT) to wait for the budget, the other half for the body itself.
        self.bodyBudget = BodyBudget(capacity: configuration.transport.maxInflightBodyBytes, maxWait: configuration.transport.readTimeout / 2)
        do {
            self.console = try ConsoleRenderer()
        } catch {
            logger.error("the ops console is unavailable", metadata: ["error": "\(error)"])
            self.console = nil
        }
        self.departments = DepartmentStore(db: db, vault: secretVault)
        self.catalog = CatalogStore(db: db)
        self.ingestStore = IngestStore(db: db, catalogCache: catalogCache)
        self.mappings = MappingStore(db: db)
        self.reviews = ReviewStore(db: db, catalogCache: catalogCache, profiles: profiles)
        self.receipts = ReceiptStore(db: db)
        self.opsUsers = OpsUserStore(db: db)
        self.outbox = OutboxStore(db: db)
        self.checkpoints = SyncCheckpoints(db: db)
        self.feeds = ProvinceFeedStore(db: db)
        self.reconciliation = Reconciliation(db: reads)
        self.ledgerCheckpoints = LedgerCheckpoints(db: db, signingKey: checkpointKey)
        self.ledger = LedgerReader(db: db)
        self.randomCheckReads = RandomCheckReads(db: reads)
        self.consoleJobs = ConsoleJobStore(db: db)
        self.consoleFlashes = ConsoleFlashStore(db: db)
        self.signInThrottle = SignInThrottle(
            db: db,
            userLimit: configuration.loginMaxFailures,
            addressLimit: configuration.loginMaxFailuresPerAddress,
            windowSeconds: configuration.loginWindowMinutes * 60
        )
        self.signIn = SignIn(users: opsUsers, throttle: signInThrottle, logger: logger)
        var ingest = IngestService(
            store: ingestStore,
            departments: departments,
            reader: RecordReader(dictionaries: dictionaries, maxRecords: configuration.maxBatchRecords),
            metrics: metrics,
            profiles: profiles,
            decoders: [JSONBodyDecoder(), XMLBodyDecoder(schema: xmlSchema)]
        )
        ingest.writeDeadline = configuration.writeDeadline
        if let wait = configuration.groupCommitMaxWait, configuration.groupCommitMaxBatches > 1 {
            ingest.groupCommit = GroupCommit(
                store: ingestStore,
                maxWait: wait,
                maxBatches: configuration.groupCommitMaxBatches,
                deadline: configuration.groupCommitDeadline
            )
        }
        self.ingest = ingest
        let libraryXSD = xsd.deletingLastPathComponent().appendingPathComponent("random-check-libraries-v1.xsd")
        self.libraries = LibraryService(
            store: LibraryStore(db: db),
            schema: FileManager.default.fileExists(atPath: libraryXSD.path) ? try RecordSchemaValidator(xsd: libraryXSD) : nil
        )
        self.randomChecks = RandomCheckStore(db: db)
        let assignmentFile = configuration.mappingsDirectory.appendingPathComponent("risk/assignment.csv")
        self.clues = ClueStore(
            db: db,
            assignment: FileManager.default.fileExists(atPath: assignmentFile.path)
                ? try ClueAssignmentMap.parse(String(contentsOf: assignmentFile, encoding: .utf8), file: "risk/assignment.csv")
                : ClueAssignmentMap()
        )
        self.bulletins = BulletinStore(db: db)
        self.localItems = LocalItemStore(db: db)
        let caseXSD = xsd.deletingLastPathComponent().appendingPathComponent("case-events-v1.xsd")
        self.cases = CaseService(
            store: CaseStore(db: db),
            schema: FileManager.default.fileExists(atPath: caseXSD.path) ? try RecordSchemaValidator(xsd: caseXSD) : nil
        )
        let observationXSD = xsd.deletingLastPathComponent().appendingPathComponent("observations-v1.xsd")
        self.riskModels = try RiskModelFiles.load(from: configuration.mappingsDirectory.appendingPathComponent("risk"))
        let evaluation = RiskEvaluation(models: riskModels, facts: ObservationStore(db: db), clues: clues)
        self.observations = ObservationService(
            store: ObservationStore(db: db, afterInsert: evaluation.hook),
            schema: FileManager.default.fileExists(atPath: observationXSD.path) ? try RecordSchemaValidator(xsd: observationXSD) : nil
        )
        self.publications = PublicationStore(db: db)
        let ratios = configuration.mappingsDirectory.appendingPathComponent("random-checks/ratios.csv")
        if let text = try? String(contentsOf: ratios, encoding: .utf8) {
            self.randomCheckSettings = try RandomCheckSettings.parse(csv: text)
        } else {
            logger.warning("Mappings/random-checks/ratios.csv is missing: the built-in ratios and caps apply")
            self.randomCheckSettings = .default
        }
        self.trustedCheckpointKeys = CheckpointKey.trusted(own: ledgerCheckpoints.publicKey, configuration: configuration)
    }

    /// Runs `body` with the pools running (the primary's and, when set, the standby's), for one-shot commands.
    public func withDatabases<T: Sendable>(_ body: @Sendable (HubDatabase) async throws -> T) async throws -> T {
        guard let standbyDB else { return try await db.withRunning(body) }
        return try await db.withRunning { db in try await standbyDB.withRunning { _ in try await body(db) } }
    }

    /// Stores the risk models whose files changed since the last start (a `risk_model` ledger entry each); refuses
    /// a changed file whose version was not bumped (`RiskModelStore.VersionNotBumped`). Run by `hub serve` and
    /// `hub migrate` with the pool running.
    @discardableResult
    public func installRiskModels(by user: String = "hub") async throws -> [RiskModelStore.Installed] {
        let installed = try await RiskModelStore(db: db).install(riskModels, by: user)
        for model in installed {
            logger.info(
                "risk model installed",
                metadata: ["model": "\(model.model.rawValue)", "version": "\(model.version)", "previous": "\(model.previousVersion ?? "-")"]
            )
        }
        return installed
    }

    /// Applies pending migrations as the owner role over a short-lived connection and grants the app role
    /// its privileges (with no separate owner URL, the hub's own role migrates, as before). A connection of its
    /// own, not the pool: it runs before the pool and the services start (`prepareDatabase`, `hub migrate`).
    @discardableResult
    public func migrate() async throws -> [Int] {
        let ownerURL = migrationDatabaseURL ?? databaseURL
        let app = try HubDatabase.user(in: databaseURL)
        let owner = try HubDatabase.user(in: ownerURL)
        try await HubDatabase.probe(url: ownerURL, logger: logger)
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

    /// Registers a department (or issues a new key for it) with the agencies it may file records for: those of
    /// its profile and `extraAgencies` (USCCs, e.g. `hub departments add … --agency`).
    public func addDepartment(code: String, name: String, extraAgencies: [String] = []) async throws -> DepartmentCredentials {
        let credentials = try await departments.add(code: code, name: name)
        guard let department = try await departments.department(code: code) else { return credentials }
        let fromProfile = (profiles[code]?.allAgencies ?? []).map { DepartmentAgency(code: $0.code, name: $0.name, source: .profile) }
        try await departments.addAgencies(
            fromProfile + extraAgencies.map { DepartmentAgency(code: $0, name: nil, source: .cli) },
            department: department
        )
        return credentials
    }

    /// Confirms the known items of every profile whose department is registered.
    public func syncProfiles() async throws {
        for profile in profiles.values.sorted(by: { $0.code < $1.code }) {
            if let department = try await departments.department(code: profile.code) {
                try await departments.addAgencies(
                    profile.allAgencies.map { DepartmentAgency(code: $0.code, name: $0.name, source: .profile) },
                    department: department
                )
                try await mappings.syncProfile(profile, department: department)
            }
        }
    }
}
