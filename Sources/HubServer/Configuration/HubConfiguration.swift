import Foundation
import HubStore

/// Every setting of the hub, from environment variables, each with a default that works on a laptop.
///
/// | variable | default | meaning |
/// | --- | --- | --- |
/// | `HUB_DATABASE_URL` | (embedded) | `postgres://…`, one host or libpq's host list (`h1:5432,h2:5432/hub?target_session_attrs=read-write`); unset starts the private cluster under `HUB_STATE_DIR` |
/// | `HUB_MIGRATION_DATABASE_URL` | `HUB_DATABASE_URL` | the owner role's URL migrations run as (then grants the app role) |
/// | `HUB_DATABASE_READ_URL` | `HUB_DATABASE_URL` | a standby for lag-tolerant reads: console reports, reconciliation, the public feed |
/// | `HUB_STATE_DIR` | `.hub` | where the embedded cluster and demo credentials live |
/// | `HUB_MAPPINGS` | `Mappings` | national dictionaries and the catalog sample |
/// | `HUB_HOST` / `HUB_PORT` | `127.0.0.1` / `8080` | where `hub serve` listens |
/// | `HUB_PUBLIC_PORT` | unset | a second listener of `hub serve` with the public pages only (and `hub public`'s port) |
/// | `HUB_MAX_BODY_BYTES` | 8 MiB | largest request body |
/// | `HUB_MAX_BATCH` | 1000 | most records in one batch |
/// | `HUB_SIGNATURE_WINDOW` | 300 | seconds a signed timestamp may be off |
/// | `HUB_DB_POOL` | 20 | PostgreSQL connections per instance |
/// | `HUB_GROUP_COMMIT_MAX_WAIT_MS` | 0 (off) | group commit: longest a small batch waits for others to share its transaction (0: off) |
/// | `HUB_GROUP_COMMIT_MAX_BATCHES` | 64 | group commit: most batches in one transaction (0 or 1: off) |
/// | `HUB_WRITE_DEADLINE_MS` | 30000 | longest a batch's write may take before it is answered 503 (a database that stopped answering) |
/// | `HUB_GROUP_COMMIT_DEADLINE_MS` | 10000 | group commit: longest one group may take before its batches are answered 503 and the next starts |
/// | `HUB_LOG_LEVEL` | `info` | trace … critical |
/// | `HUB_REVIEW_FOUR_EYES` | `true` | a mapping decision needs a second person's approval |
/// | `HUB_PROVINCE_*`, `HUB_SYNC_*`, `HUB_PULL_*` | | the provincial sync: see `ExchangeSettings` |
/// | `HUB_CHECKPOINT_KEY` | (key file in `HUB_STATE_DIR`) | hex Ed25519 key that signs ledger checkpoints |
/// | `HUB_CHECKPOINT_MINUTES` | 10 | how often a checkpoint is signed when the ledger grew |
/// | `HUB_CLUE_OVERDUE_MINUTES` | 60 | how often the overdue pass flags clues past their working-day deadline (0: off) |
/// | `HUB_RISK_REPORT_DEPARTMENT` | HY-SCJG | the department under which the city's monthly warning report goes to the province |
/// | `HUB_CHECKPOINT_TRUSTED_KEYS` | (none) | older checkpoint public keys (hex, comma-separated) that verify still trusts |
/// | `HUB_MASTER_KEY` / `HUB_MASTER_KEY_FILE` | (`master.key` in `HUB_STATE_DIR`) | seals department secrets at rest |
/// | `HUB_KEY_GRACE_HOURS` | 24 | how long a rotated department key keeps working |
/// | `HUB_LOGIN_MAX_FAILURES` / `HUB_LOGIN_MAX_FAILURES_PER_ADDRESS` / `HUB_LOGIN_WINDOW_MINUTES` | 5 / 20 / 15 | ops sign-in throttle |
/// | `HUB_TLS_*`, `HUB_TRUSTED_PROXIES`, `HUB_*_TIMEOUT`, … | | connections and signatures: see `TransportSettings` |
public struct HubConfiguration: Sendable {
    public static let defaultMaxBodyBytes = 8 * 1024 * 1024

    public var databaseURL: String?
    /// `HUB_MIGRATION_DATABASE_URL`: the owner role migrations run as (unset: `HUB_DATABASE_URL`).
    public var migrationDatabaseURL: String?
    /// `HUB_DATABASE_READ_URL`: a standby for the reads that tolerate replication lag (unset: the primary).
    public var databaseReadURL: String?
    public var stateDirectory: URL
    public var mappingsDirectory: URL
    public var host: String
    public var port: Int
    /// `HUB_PUBLIC_PORT`: where `hub serve` also serves `/public/…` alone (nil: only on the main listener).
    public var publicPort: Int?
    public var maxBodyBytes: Int
    public var maxBatchRecords: Int
    public var signatureWindowSeconds: Int
    /// `HUB_MESSAGE_LOG_RETENTION_DAYS` (default 180): how long the message log keeps per-record answers and
    /// refusal reasons; older batches keep their counts and codes only (`MessageLogPruner`).
    public var messageLogRetentionDays: Int
    public var databasePoolSize: Int
    /// `HUB_GROUP_COMMIT_MAX_WAIT_MS`: how long the first small batch waits for others to share its transaction
    /// (`GroupCommit`); nil (0): group commit off.
    public var groupCommitMaxWait: Duration?
    /// `HUB_GROUP_COMMIT_MAX_BATCHES`: most batches written in one transaction (0 or 1: group commit off).
    public var groupCommitMaxBatches: Int
    /// `HUB_WRITE_DEADLINE_MS`: longest a batch's write may take (`IngestService.writeDeadline`): a request in
    /// flight on a connection the database dropped (a failover) is answered 503 by then at the latest.
    public var writeDeadline: Duration
    /// `HUB_GROUP_COMMIT_DEADLINE_MS`: longest one group may take (`GroupCommit.deadline`).
    public var groupCommitDeadline: Duration
    public var logLevel: String
    public var reviewFourEyes: Bool
    /// The provincial sync and pulls (`HUB_PROVINCE_*`, `HUB_SYNC_*`, `HUB_PULL_*`; see `ExchangeSettings`).
    public var exchange: ExchangeSettings
    /// TLS, trusted proxies, timeouts, upload cap, signature versions, metrics token (see `TransportSettings`).
    public var transport: TransportSettings
    /// `HUB_CHECKPOINT_KEY`: hex Ed25519 private key for ledger checkpoints (unset: a key file in the state folder).
    public var checkpointKeyHex: String?
    /// `HUB_CHECKPOINT_TRUSTED_KEYS`: older checkpoint public keys (hex, comma-separated) still trusted by verify.
    public var checkpointTrustedKeysHex: [String]
    /// `HUB_CHECKPOINT_MINUTES`: how often a checkpoint is signed when the ledger grew.
    public var checkpointMinutes: Int
    /// `HUB_CLUE_OVERDUE_MINUTES`: how often the overdue pass flags clues past their deadline (`ClueOverdueService`); 0 turns the pass off (an instance that leaves it to another).
    public var clueOverdueMinutes: Int
    /// `HUB_RISK_REPORT_DEPARTMENT`: the outbox names a department for every row; the city's warning report travels
    /// under the one that leads the risk-warning work (市场监管 by default, which handles four of the five models).
    public var riskReportDepartment: String
    /// `HUB_MASTER_KEY`: the key that seals department secrets (hex or base64 of 32 bytes).
    public var masterKey: String?
    /// `HUB_MASTER_KEY_FILE`: a file holding it (default `master.key` in the state folder, made once).
    public var masterKeyFile: URL?
    /// `HUB_KEY_GRACE_HOURS`: how long the old key of a rotated department keeps working.
    public var keyGraceHours: Int
    /// `HUB_LOGIN_MAX_FAILURES`, `HUB_LOGIN_MAX_FAILURES_PER_ADDRESS`, `HUB_LOGIN_WINDOW_MINUTES`: the sign-in throttle.
    public var loginMaxFailures: Int
    public var loginMaxFailuresPerAddress: Int
    public var loginWindowMinutes: Int

    /// Reads every setting strictly (`EnvironmentReader`): a value that is set but not what the setting expects
    /// throws `ConfigurationError` naming the variable, so the hub does not start on a setting it misread.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let env = EnvironmentReader(environment)
        databaseURL = env.string("HUB_DATABASE_URL")
        migrationDatabaseURL = env.string("HUB_MIGRATION_DATABASE_URL")
        databaseReadURL = env.string("HUB_DATABASE_READ_URL")
        stateDirectory = URL(fileURLWithPath: env.string("HUB_STATE_DIR") ?? ".hub")
        mappingsDirectory = URL(fileURLWithPath: env.string("HUB_MAPPINGS") ?? Self.findMappings())
        host = env.string("HUB_HOST") ?? "127.0.0.1"
        port = try env.integer("HUB_PORT", default: 8080, in: 0...65535)
        publicPort = env.string("HUB_PUBLIC_PORT") == nil ? nil : try env.integer("HUB_PUBLIC_PORT", default: 8081, in: 0...65535)
        maxBodyBytes = try env.integer("HUB_MAX_BODY_BYTES", default: Self.defaultMaxBodyBytes, in: 1...Int(Int32.max))
        maxBatchRecords = try env.integer("HUB_MAX_BATCH", default: 1000, in: 1...Int.max)
        signatureWindowSeconds = try env.integer("HUB_SIGNATURE_WINDOW", default: 300, in: 1...86_400)
        messageLogRetentionDays = try env.integer("HUB_MESSAGE_LOG_RETENTION_DAYS", default: 180, in: 1...36_500)
        databasePoolSize = try env.integer("HUB_DB_POOL", default: 20, in: 1...1000)
        // Off unless set: one group is written at a time, so a group stuck on a connection the database dropped
        // (a failover) holds back every batch behind it — found by deploy/test/ha.sh; it needs a deadline per group first.
        let groupWait = try env.integer("HUB_GROUP_COMMIT_MAX_WAIT_MS", default: 0, in: 0...1000)
        groupCommitMaxWait = groupWait == 0 ? nil : .milliseconds(groupWait)
        groupCommitMaxBatches = try env.integer("HUB_GROUP_COMMIT_MAX_BATCHES", default: 64, in: 0...10_000)
        groupCommitDeadline = .milliseconds(try env.integer("HUB_GROUP_COMMIT_DEADLINE_MS", default: 10_000, in: 100...30_000))
        writeDeadline = .milliseconds(try env.integer("HUB_WRITE_DEADLINE_MS", default: 30_000, in: 1_000...120_000))
        logLevel = try env.choice("HUB_LOG_LEVEL", default: "info", among: ["trace", "debug", "info", "notice", "warning", "error", "critical"])
        reviewFourEyes = try env.boolean("HUB_REVIEW_FOUR_EYES", default: true)
        exchange = try ExchangeSettings(environment: environment)
        transport = try TransportSettings(environment: environment)
        checkpointKeyHex = env.string("HUB_CHECKPOINT_KEY")
        checkpointMinutes = try env.integer("HUB_CHECKPOINT_MINUTES", default: 10, in: 1...Int.max)
        clueOverdueMinutes = try env.integer("HUB_CLUE_OVERDUE_MINUTES", default: 60, in: 0...Int.max)
        riskReportDepartment = env.string("HUB_RISK_REPORT_DEPARTMENT") ?? "HY-SCJG"
        masterKey = env.string("HUB_MASTER_KEY")
        masterKeyFile = env.string("HUB_MASTER_KEY_FILE").map { URL(fileURLWithPath: $0) }
        keyGraceHours = try env.integer("HUB_KEY_GRACE_HOURS", default: 24, in: 0...Int.max)
        loginMaxFailures = try env.integer("HUB_LOGIN_MAX_FAILURES", default: 5, in: 1...Int.max)
        loginMaxFailuresPerAddress = try env.integer("HUB_LOGIN_MAX_FAILURES_PER_ADDRESS", default: 20, in: 1...Int.max)
        loginWindowMinutes = try env.integer("HUB_LOGIN_WINDOW_MINUTES", default: 15, in: 1...Int.max)
        checkpointTrustedKeysHex = (env.string("HUB_CHECKPOINT_TRUSTED_KEYS") ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
    }

    /// `Mappings` in the working directory or above it (so `hub` works from any folder of the checkout).
    static func findMappings() -> String {
        var dir = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent("Mappings/dictionaries")
            if FileManager.default.fileExists(atPath: candidate.path) { return dir.appendingPathComponent("Mappings").path }
            dir.deleteLastPathComponent()
        }
        return "Mappings"
    }

    /// The settings as printed on start, with the database password masked.
    public var summary: [(String, String)] {
        [
            ("database", databaseURL.map(Self.mask) ?? "embedded (\(stateDirectory.path)), as \(DatabaseRoles.app)"),
            (
                "migrations",
                migrationDatabaseURL.map(Self.mask) ?? (databaseURL == nil ? "embedded, as \(DatabaseRoles.owner)" : "as the database URL")
            ),
            ("reads", databaseReadURL.map(Self.mask) ?? "as the database URL"),
            ("mappings", mappingsDirectory.path),
            ("listen", "\(host):\(port)"),
            ("maxBodyBytes", "\(maxBodyBytes)"),
            ("maxBatchRecords", "\(maxBatchRecords)"),
            ("signatureWindowSeconds", "\(signatureWindowSeconds)"),
            ("messageLogRetentionDays", "\(messageLogRetentionDays)"),
            ("databasePoolSize", "\(databasePoolSize)"),
            (
                "groupCommit",
                groupCommitMaxWait == nil || groupCommitMaxBatches < 2
                    ? "off" : "≤ \(groupCommitMaxWait!) or \(groupCommitMaxBatches) batches, deadline \(groupCommitDeadline)"
            ),
            ("logLevel", logLevel),
            ("reviewFourEyes", String(reviewFourEyes)),
            ("checkpoints", "every \(checkpointMinutes) min, key \(checkpointKeyHex == nil ? "from the state folder" : "HUB_CHECKPOINT_KEY ****")"),
        ] + exchange.summary + transport.summary
    }

    static func mask(_ url: String) -> String {
        (try? HubDatabase.parse(url))?.masked ?? "(unparseable)"
    }
}
