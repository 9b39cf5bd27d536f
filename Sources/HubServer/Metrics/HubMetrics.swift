import Prometheus

/// The hub's Prometheus metrics, on a registry of its own (not the process-global MetricsSystem, which can
/// be bootstrapped only once and so would tie tests and several applications in one process together).
public struct HubMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let ledgerHeight: Gauge

    public init() {
        registry = PrometheusCollectorRegistry()
        ledgerHeight = registry.makeGauge(name: "hub_ledger_height", help: "Sequence number of the newest ledger entry")
    }

    /// Counts one answered request by route and status.
    func request(method: String, route: String, status: Int) {
        registry.makeCounter(
            name: "hub_http_requests_total",
            labels: [("method", method), ("route", route), ("status", String(status))],
            help: "HTTP requests answered"
        ).increment()
    }

    func requestDuration(route: String, _ duration: Duration) {
        registry.makeDurationHistogram(
            name: "hub_http_request_duration_seconds",
            labels: [("route", route)],
            buckets: [.milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(5)],
            help: "Time to answer an HTTP request"
        ).recordNanoseconds(duration.nanoseconds)
    }

    /// Counts records by the status the hub answered.
    func records(_ status: String, department: String, count: Int) {
        guard count > 0 else { return }
        registry.makeCounter(
            name: "hub_records_total",
            labels: [("status", status), ("department", department)],
            help: "Records answered, by status"
        ).increment(by: Int64(count))
    }

    /// Counts a whole-upload refusal the message log skipped (over `RefusalLogBudget`'s limit for its key).
    func messageLogRefusalSuppressed(department: String) {
        registry.makeCounter(
            name: "hub_message_log_refusals_suppressed_total",
            labels: [("department", department)],
            help: "Refused uploads counted but not written to the message log (over the per-key limit)"
        ).increment()
    }

    func setLedgerHeight(_ height: Int64) { ledgerHeight.set(height) }

    // MARK: Provincial sync

    /// Rows the province answered for good, by outcome (`delivered`, `rejected`, `dead`, `retrying`).
    func sync(_ outcome: String, count: Int) {
        guard count > 0 else { return }
        registry.makeCounter(name: "hub_sync_rows_total", labels: [("outcome", outcome)], help: "Outbox rows by provincial outcome")
            .increment(by: Int64(count))
    }

    /// A batch that got no usable receipt, by kind (`transport`, `http_503`, `throttled`, `bad_receipt`).
    func syncFailure(_ kind: String) {
        registry.makeCounter(name: "hub_sync_failures_total", labels: [("kind", kind)], help: "Uploads without a usable receipt").increment()
    }

    func syncBatchDuration(_ duration: Duration) {
        registry.makeDurationHistogram(
            name: "hub_sync_batch_duration_seconds",
            buckets: [.milliseconds(50), .milliseconds(250), .seconds(1), .seconds(5), .seconds(30)],
            help: "Time from lease to recorded receipt"
        ).recordNanoseconds(duration.nanoseconds)
    }

    /// The outbox as the monitor last saw it: pending and dead rows, and the age of the oldest pending row.
    func setBacklog(pending: Int, dead: Int, lagSeconds: Double) {
        registry.makeGauge(name: "hub_outbox_pending", help: "Outbox rows waiting for delivery").set(Double(pending))
        registry.makeGauge(name: "hub_outbox_dead", help: "Outbox rows in the dead-letter state").set(Double(dead))
        registry.makeGauge(name: "hub_outbox_lag_seconds", help: "Age of the oldest undelivered outbox row").set(lagSeconds)
    }

    func pull(_ name: String, records: Int) {
        registry.makeCounter(name: "hub_pull_records_total", labels: [("source", name)], help: "Records read by pulls").increment(by: Int64(records))
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (s, atto) = components
        return s * 1_000_000_000 + atto / 1_000_000_000
    }
}
