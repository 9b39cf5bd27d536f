import Foundation
import HubModel

/// The bearer token `/metrics` requires: `HUB_METRICS_TOKEN`, else one made once and kept in
/// `HUB_STATE_DIR/metrics.token` (mode 600) — point the scraper at that file (Prometheus:
/// `authorization: { credentials_file: … }`). Counters name departments, routes and volumes: not for anyone
/// who can reach the port.
enum MetricsToken {
    static func load(_ configuration: HubConfiguration) throws -> String {
        if let token = configuration.transport.metricsToken { return token }
        let file = configuration.stateDirectory.appendingPathComponent("metrics.token")
        if let data = try? Data(contentsOf: file) {
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !token.isEmpty { return token }
        }
        let token = [UInt8].random(count: 24).hex
        try FileManager.default.createDirectory(at: configuration.stateDirectory, withIntermediateDirectories: true)
        if !FileManager.default.createFile(atPath: file.path, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600]) {
            throw CocoaError(.fileWriteUnknown)
        }
        return token
    }
}
