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
        registry.makeCounter(name: "hub_http_requests_total", labels: [("method", method), ("route", route), ("status", String(status))],
                             help: "HTTP requests answered").increment()
    }

    func requestDuration(route: String, _ duration: Duration) {
        registry.makeDurationHistogram(
            name: "hub_http_request_duration_seconds", labels: [("route", route)],
            buckets: [.milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .seconds(1), .seconds(5)],
            help: "Time to answer an HTTP request"
        ).recordNanoseconds(duration.nanoseconds)
    }

    /// Counts records by the status the hub answered.
    func records(_ status: String, department: String, count: Int) {
        guard count > 0 else { return }
        registry.makeCounter(name: "hub_records_total", labels: [("status", status), ("department", department)],
                             help: "Records answered, by status").increment(by: Int64(count))
    }

    func setLedgerHeight(_ height: Int64) { ledgerHeight.set(height) }
}

extension Duration {
    var nanoseconds: Int64 {
        let (s, atto) = components
        return s * 1_000_000_000 + atto / 1_000_000_000
    }
}
