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

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        func value(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        func int(_ key: String, _ fallback: Int) -> Int { value(key).flatMap(Int.init) ?? fallback }
        let token = value("HUB_PROVINCE_TOKEN"), receiptSecret = value("HUB_PROVINCE_RECEIPT_SECRET")
        province = value("HUB_PROVINCE_URL").map {
            ProvinceConfiguration(baseURL: $0, format: value("HUB_PROVINCE_FORMAT") == "xml" ? .xml : .json,
                                  token: token ?? DemoSecrets.provinceToken,
                                  receiptSecret: receiptSecret ?? DemoSecrets.receiptSecret,
                                  requestTimeout: .milliseconds(int("HUB_PROVINCE_TIMEOUT_MS", 30_000)))
        }
        batchSize = max(1, min(int("HUB_SYNC_BATCH", 500), 5000))
        workers = max(1, int("HUB_SYNC_WORKERS", 2))
        leaseSeconds = max(5, int("HUB_SYNC_LEASE_SECONDS", 120))
        retry = RetryPolicy(base: .milliseconds(int("HUB_SYNC_BACKOFF_MS", 200)), cap: .milliseconds(int("HUB_SYNC_BACKOFF_CAP_MS", 60_000)),
                            maxAttempts: max(1, int("HUB_SYNC_MAX_ATTEMPTS", 30)))
        idle = .milliseconds(int("HUB_SYNC_IDLE_MS", 500))
        pullInterval = .seconds(max(1, int("HUB_PULL_INTERVAL_SECONDS", 30)))
        departmentPull = (value("HUB_DEPARTMENT_PULL") ?? "true").lowercased() != "false"
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
            ("province", province.map { "\($0.baseURL) (\($0.format.rawValue), timeout \($0.requestTimeout.milliseconds) ms, token ****)" } ?? "off (HUB_PROVINCE_URL unset)"),
            ("sync", "batch \(batchSize), workers \(workers), lease \(leaseSeconds) s, max attempts \(retry.maxAttempts), backoff \(retry.base.milliseconds)–\(retry.cap.milliseconds) ms"),
            ("pulls", "feeds every \(pullInterval.milliseconds / 1000) s; department pull \(departmentPull ? "on" : "off")"),
        ]
    }
}
