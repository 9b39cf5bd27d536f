import Foundation
import HubStore

/// Every setting of the hub, from environment variables, each with a default that works on a laptop.
///
/// | variable | default | meaning |
/// | --- | --- | --- |
/// | `HUB_DATABASE_URL` | (embedded) | `postgres://…`; unset starts the private cluster under `HUB_STATE_DIR` |
/// | `HUB_MIGRATION_DATABASE_URL` | `HUB_DATABASE_URL` | the owner role's URL migrations run as (then grants the app role) |
/// | `HUB_STATE_DIR` | `.hub` | where the embedded cluster and demo credentials live |
/// | `HUB_MAPPINGS` | `Mappings` | national dictionaries and the catalog sample |
/// | `HUB_HOST` / `HUB_PORT` | `127.0.0.1` / `8080` | where `hub serve` listens |
/// | `HUB_MAX_BODY_BYTES` | 8 MiB | largest request body |
/// | `HUB_MAX_BATCH` | 1000 | most records in one batch |
/// | `HUB_SIGNATURE_WINDOW` | 300 | seconds a signed timestamp may be off |
/// | `HUB_DB_POOL` | 20 | PostgreSQL connections per instance |
/// | `HUB_LOG_LEVEL` | `info` | trace … critical |
/// | `HUB_REVIEW_FOUR_EYES` | `true` | a mapping decision needs a second person's approval |
/// | `HUB_PROVINCE_*`, `HUB_SYNC_*`, `HUB_PULL_*` | | the provincial sync: see `ExchangeSettings` |
/// | `HUB_CHECKPOINT_KEY` | (key file in `HUB_STATE_DIR`) | hex Ed25519 key that signs ledger checkpoints |
/// | `HUB_CHECKPOINT_MINUTES` | 10 | how often a checkpoint is signed when the ledger grew |
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
    public var stateDirectory: URL
    public var mappingsDirectory: URL
    public var host: String
    public var port: Int
    public var maxBodyBytes: Int
    public var maxBatchRecords: Int
    public var signatureWindowSeconds: Int
    public var databasePoolSize: Int
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

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        func value(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        databaseURL = value("HUB_DATABASE_URL")
        migrationDatabaseURL = value("HUB_MIGRATION_DATABASE_URL")
        stateDirectory = URL(fileURLWithPath: value("HUB_STATE_DIR") ?? ".hub")
        mappingsDirectory = URL(fileURLWithPath: value("HUB_MAPPINGS") ?? Self.findMappings())
        host = value("HUB_HOST") ?? "127.0.0.1"
        port = value("HUB_PORT").flatMap(Int.init) ?? 8080
        maxBodyBytes = value("HUB_MAX_BODY_BYTES").flatMap(Int.init) ?? Self.defaultMaxBodyBytes
        maxBatchRecords = value("HUB_MAX_BATCH").flatMap(Int.init) ?? 1000
        signatureWindowSeconds = value("HUB_SIGNATURE_WINDOW").flatMap(Int.init) ?? 300
        databasePoolSize = value("HUB_DB_POOL").flatMap(Int.init) ?? 20
        logLevel = value("HUB_LOG_LEVEL") ?? "info"
        reviewFourEyes = (value("HUB_REVIEW_FOUR_EYES") ?? "true").lowercased() != "false"
        exchange = ExchangeSettings(environment: environment)
        transport = TransportSettings(environment: environment)
        checkpointKeyHex = value("HUB_CHECKPOINT_KEY")
        checkpointMinutes = max(1, value("HUB_CHECKPOINT_MINUTES").flatMap(Int.init) ?? 10)
        masterKey = value("HUB_MASTER_KEY")
        masterKeyFile = value("HUB_MASTER_KEY_FILE").map { URL(fileURLWithPath: $0) }
        keyGraceHours = max(0, value("HUB_KEY_GRACE_HOURS").flatMap(Int.init) ?? 24)
        loginMaxFailures = max(1, value("HUB_LOGIN_MAX_FAILURES").flatMap(Int.init) ?? 5)
        loginMaxFailuresPerAddress = max(1, value("HUB_LOGIN_MAX_FAILURES_PER_ADDRESS").flatMap(Int.init) ?? 20)
        loginWindowMinutes = max(1, value("HUB_LOGIN_WINDOW_MINUTES").flatMap(Int.init) ?? 15)
        checkpointTrustedKeysHex = (value("HUB_CHECKPOINT_TRUSTED_KEYS") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
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
            ("migrations", migrationDatabaseURL.map(Self.mask) ?? (databaseURL == nil ? "embedded, as \(DatabaseRoles.owner)" : "as the database URL")),
            ("mappings", mappingsDirectory.path),
            ("listen", "\(host):\(port)"),
            ("maxBodyBytes", "\(maxBodyBytes)"),
            ("maxBatchRecords", "\(maxBatchRecords)"),
            ("signatureWindowSeconds", "\(signatureWindowSeconds)"),
            ("databasePoolSize", "\(databasePoolSize)"),
            ("logLevel", logLevel),
            ("reviewFourEyes", String(reviewFourEyes)),
            ("checkpoints", "every \(checkpointMinutes) min, key \(checkpointKeyHex == nil ? "from the state folder" : "HUB_CHECKPOINT_KEY ****")"),
        ] + exchange.summary + transport.summary
    }

    static func mask(_ url: String) -> String {
        guard var c = URLComponents(string: url) else { return "(unparseable)" }
        if c.password != nil { c.password = "****" }
        return c.string ?? "(unparseable)"
    }
}
