import Foundation
import HubClient

/// Settings of the connection layer: TLS, the proxies whose forwarding headers are believed, connection
/// timeouts, the per-key upload cap, the signature versions accepted and the metrics token.
///
/// | variable | default | meaning |
/// | --- | --- | --- |
/// | `HUB_TLS_CERT` / `HUB_TLS_KEY` | (none: plain HTTP) | PEM certificate chain and private key: the hub serves HTTPS itself |
/// | `HUB_TRUSTED_PROXIES` | (none) | comma-separated peer IP addresses whose `X-Forwarded-Proto`/`X-Forwarded-For` are believed |
/// | `HUB_SIGNATURE_MIN_VERSION` | 1 | oldest request signature version accepted (`2` refuses version 1) |
/// | `HUB_HEADER_TIMEOUT` | 10 | seconds a new connection has to deliver a complete request head |
/// | `HUB_READ_TIMEOUT` | 60 | seconds from a request head to the end of its body |
/// | `HUB_IDLE_TIMEOUT` | 60 | seconds a kept-alive connection may wait for its next request |
/// | `HUB_MAX_UPLOADS_PER_KEY` | 4 | signed requests with a body one key may have in flight at once |
/// | `HUB_METRICS_TOKEN` | (token file in `HUB_STATE_DIR`) | bearer token `/metrics` requires |
public struct TransportSettings: Sendable {
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    public var trustedProxies: TrustedProxies
    public var signatureMinVersion: Int
    public var headerTimeout: Duration
    public var readTimeout: Duration
    public var idleTimeout: Duration
    public var maxUploadsPerKey: Int
    /// `HUB_METRICS_TOKEN`; nil: `MetricsToken` makes one in the state folder.
    public var metricsToken: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        func value(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        func seconds(_ key: String, _ fallback: Double) -> Duration {
            .milliseconds(Int(max(0.05, value(key).flatMap(Double.init) ?? fallback) * 1000))
        }
        tlsCertificatePath = value("HUB_TLS_CERT")
        tlsKeyPath = value("HUB_TLS_KEY")
        trustedProxies = TrustedProxies(value("HUB_TRUSTED_PROXIES") ?? "")
        signatureMinVersion = min(max(value("HUB_SIGNATURE_MIN_VERSION").flatMap(Int.init) ?? 1, 1), RequestSigner.Version.latest.rawValue)
        headerTimeout = seconds("HUB_HEADER_TIMEOUT", 10)
        readTimeout = seconds("HUB_READ_TIMEOUT", 60)
        idleTimeout = seconds("HUB_IDLE_TIMEOUT", 60)
        maxUploadsPerKey = max(1, value("HUB_MAX_UPLOADS_PER_KEY").flatMap(Int.init) ?? 4)
        metricsToken = value("HUB_METRICS_TOKEN")
    }

    public var summary: [(String, String)] {
        func s(_ d: Duration) -> String { "\(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) s" }
        return [
            ("tls", tlsCertificatePath.map { "on (\($0))" } ?? "off (HUB_TLS_CERT unset)"),
            ("trustedProxies", trustedProxies.addresses.isEmpty ? "none" : trustedProxies.addresses.sorted().joined(separator: ",")),
            ("signatureMinVersion", "\(signatureMinVersion)"),
            ("timeouts", "header \(s(headerTimeout)), read \(s(readTimeout)), idle \(s(idleTimeout))"),
            ("maxUploadsPerKey", "\(maxUploadsPerKey)"),
            ("metricsToken", metricsToken == nil ? "from the state folder (metrics.token)" : "HUB_METRICS_TOKEN ****"),
        ]
    }
}
