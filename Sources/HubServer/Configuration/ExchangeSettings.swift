import Exchange
import Foundation

/// Settings of the provincial sync and the pulls, from environment variables.
///
/// | variable | default | meaning |
/// | --- | --- | --- |
/// | `HUB_PROVINCE_URL` | (none: sync off) | base URL of the provincial platform (`hub-demo`: the simulator) |
/// | `HUB_PROVINCE_FORMAT` | `json` | upload wire form: `json` or `xml` |
/// | `HUB_PROVINCE_TOKEN` | (required with `HUB_PROVINCE_URL`) | bearer token for the province |
/// | `HUB_PROVINCE_RECEIPT_SECRET` | (required with `HUB_PROVINCE_URL`) | secret the province signs receipts with |
/// | `HUB_PROVINCE_TIMEOUT_MS` | 30000 | a request with no answer by then is retried |
/// | `HUB_SYNC_BATCH` | 500 | rows per upload |
/// | `HUB_SYNC_WORKERS` | 2 | concurrent delivery workers per instance |
/// | `HUB_SYNC_LEASE_SECONDS` | 120 | how long a worker holds rows before another may take them |
/// | `HUB_SYNC_MAX_ATTEMPTS` | 30 | refusals of a row (retryable row refusals, 4xx, untrustworthy receipts) before it goes to the dead-letter state |
/// | `HUB_SYNC_BACKOFF_MS` / `HUB_SYNC_BACKOFF_CAP_MS` | 200 / 60000 | exponential backoff base and cap (full jitter) |
/// | `HUB_SYNC_IDLE_MS` | 500 | how often an idle worker looks for new rows |
/// | `HUB_PULL_INTERVAL_SECONDS` | 30 | how often the provincial feeds are read |
/// | `HUB_DEPARTMENT_PULL` | `true` | poll the department systems whose profiles say `mode: pull` |
public struct ExchangeSettings: Sendable {
    public var province: ProvinceConfiguration?
    public var batchSize: Int
    public var workers: Int
    public var leaseSeconds: Int
    public var retry: RetryPolicy
    public var idle: Duration
    public var pullInterval: Duration
    public var departmentPull: Bool

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let env = EnvironmentReader(environment)
        func milliseconds(_ key: String, _ fallback: Int) throws -> Duration {
            .milliseconds(try env.integer(key, default: fallback, in: 0...Int(Int32.max)))
        }
        let token = env.string("HUB_PROVINCE_TOKEN")
        let receiptSecret = env.string("HUB_PROVINCE_RECEIPT_SECRET")
        let format =
            try env.choice("HUB_PROVINCE_FORMAT", default: "json", among: ["json", "xml"]) == "xml" ? ProvinceConfiguration.Format.xml : .json
        let timeout = try milliseconds("HUB_PROVINCE_TIMEOUT_MS", 30_000)
        province = env.string("HUB_PROVINCE_URL").map {
            ProvinceConfiguration(
                baseURL: $0,
                format: format,
                token: token ?? DemoSecrets.provinceToken,
                receiptSecret: receiptSecret ?? DemoSecrets.receiptSecret,
                requestTimeout: timeout
            )
        }
        batchSize = try env.integer("HUB_SYNC_BATCH", default: 500, in: 1...5000)
        workers = try env.integer("HUB_SYNC_WORKERS", default: 2, in: 1...Int.max)
        leaseSeconds = try env.integer("HUB_SYNC_LEASE_SECONDS", default: 120, in: 5...Int.max)
        retry = RetryPolicy(
            base: try milliseconds("HUB_SYNC_BACKOFF_MS", 200),
            cap: try milliseconds("HUB_SYNC_BACKOFF_CAP_MS", 60_000),
            maxAttempts: try env.integer("HUB_SYNC_MAX_ATTEMPTS", default: 30, in: 1...Int.max)
        )
        idle = try milliseconds("HUB_SYNC_IDLE_MS", 500)
        pullInterval = .seconds(try env.integer("HUB_PULL_INTERVAL_SECONDS", default: 30, in: 1...Int.max))
        departmentPull = try env.boolean("HUB_DEPARTMENT_PULL", default: true)
    }

    /// The secret variables that are unset or still hold a demo value while a province is configured. Only
    /// `hub-demo` may talk to a province with them: anyone who read this source could forge receipts.
    public var demoSecretsInUse: [String] {
        guard let province else { return [] }
        var names: [String] = []
        if DemoSecrets.all.contains(province.token) { names.append("HUB_PROVINCE_TOKEN") }
        if DemoSecrets.all.contains(province.receiptSecret) { names.append("HUB_PROVINCE_RECEIPT_SECRET") }
        return names
    }

    public var summary: [(String, String)] {
        [
            (
                "province",
                province.map { "\($0.baseURL) (\($0.format.rawValue), timeout \($0.requestTimeout.milliseconds) ms, token ****)" }
                    ?? "off (HUB_PROVINCE_URL unset)"
            ),
            (
                "sync",
                "batch \(batchSize), workers \(workers), lease \(leaseSeconds) s, max attempts \(retry.maxAttempts), backoff \(retry.base.milliseconds)–\(retry.cap.milliseconds) ms"
            ),
            ("pulls", "feeds every \(pullInterval.milliseconds / 1000) s; department pull \(departmentPull ? "on" : "off")"),
        ]
    }
}
