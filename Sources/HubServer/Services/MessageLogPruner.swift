import Foundation
import HubStore
import Logging
import ServiceLifecycle

/// Clears the message log's per-record answers and refusal reasons older than `HUB_MESSAGE_LOG_RETENTION_DAYS`,
/// once an hour (the first run ten minutes after start). The batch rows, their counts and codes stay.
struct MessageLogPruner: Service {
    let store: MessageLogStore
    let retentionDays: Int
    let logger: Logger

    func run() async throws {
        var first = true
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let pause: Duration = first ? .seconds(600) : .seconds(3600)
            first = false
            // Graceful shutdown must not wait out the pause: cancel the sleep when shutdown begins.
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: pause) } } catch { return }
            do {
                let pruned = try await store.prune(before: Date().addingTimeInterval(-Double(retentionDays) * 86_400))
                if pruned > 0 { logger.info("message log details pruned", metadata: ["batches": "\(pruned)", "days": "\(retentionDays)"]) }
            } catch {
                logger.warning("message log prune failed", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }
}
