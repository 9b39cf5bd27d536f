import Foundation
import HubClient

/// Settings of the connection layer: TLS, the proxies whose forwarding headers are believed, connection
/// timeouts, the per-key upload cap, the signature versions accepted and the metrics token.
///
/// | variable | default | meaning |
/// | --- | --- | --- |
/// | `HUB_TLS_CERT` / `HUB_TLS_KEY` | (none: plain HTTP) | PEM certificate chain and private key: the hub serves HTTPS itself |
/// | `HUB_TRUSTED_PROXIES` | (none) | comma-separated peer IP addresses and CIDR ranges (`10.244.0.0/16`) whose `X-Forwarded-Proto`/`X-Forwarded-For` are believed |
/// | `HUB_SIGNATURE_MIN_VERSION` | 1 | oldest request signature version accepted (`2` refuses version 1) |
/// | `HUB_HEADER_TIMEOUT` | 10 | seconds a new connection has to deliver a complete request head |
/// | `HUB_READ_TIMEOUT` | 60 | seconds from a request head to the end of its body |
/// | `HUB_IDLE_TIMEOUT` | 60 | seconds a kept-alive connection may wait for its next request |
/// | `HUB_MAX_UPLOADS_PER_KEY` | 4 | signed requests with a body one key may have in flight at once |
/// | `HUB_MAX_INFLIGHT_BODY_BYTES` | 64 MiB | signed upload bodies processed at once by the whole process; past it an upload waits up to half of `HUB_READ_TIMEOUT`, then 503 `server_busy` |
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
    public var maxInflightBodyBytes: Int
    /// `HUB_METRICS_TOKEN`; nil: `MetricsToken` makes one in the state folder.
    public var metricsToken: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let env = EnvironmentReader(environment)
        func seconds(_ key: String, _ fallback: Double) throws -> Duration {
            .milliseconds(Int(try env.number(key, default: fallback, in: 0.05...86_400, unit: ("秒", "seconds")) * 1000))
        }
        tlsCertificatePath = env.string("HUB_TLS_CERT")
        tlsKeyPath = env.string("HUB_TLS_KEY")
        trustedProxies = try TrustedProxies(env.string("HUB_TRUSTED_PROXIES") ?? "")
        signatureMinVersion = try env.integer("HUB_SIGNATURE_MIN_VERSION", default: 1, in: 1...RequestSigner.Version.latest.rawValue)
        headerTimeout = try seconds("HUB_HEADER_TIMEOUT", 10)
        readTimeout = try seconds("HUB_READ_TIMEOUT", 60)
        idleTimeout = try seconds("HUB_IDLE_TIMEOUT", 60)
        maxUploadsPerKey = try env.integer("HUB_MAX_UPLOADS_PER_KEY", default: 4, in: 1...Int.max)
        maxInflightBodyBytes = try env.integer("HUB_MAX_INFLIGHT_BODY_BYTES", default: 64 << 20, in: 1...Int.max)
        metricsToken = env.string("HUB_METRICS_TOKEN")
    }

    public var summary: [(String, String)] {
        func s(_ d: Duration) -> String { "\(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) s" }
        return [
            ("tls", tlsCertificatePath.map { "on (\($0))" } ?? "off (HUB_TLS_CERT unset)"),
            ("trustedProxies", trustedProxies.isEmpty ? "none" : trustedProxies.entries.joined(separator: ",")),
            ("signatureMinVersion", "\(signatureMinVersion)"),
            ("timeouts", "header \(s(headerTimeout)), read \(s(readTimeout)), idle \(s(idleTimeout))"),
            ("maxUploadsPerKey", "\(maxUploadsPerKey)"),
            ("maxInflightBodyBytes", "\(maxInflightBodyBytes)"),
            ("metricsToken", metricsToken == nil ? "from the state folder (metrics.token)" : "HUB_METRICS_TOKEN ****"),
        ]
    }
}
