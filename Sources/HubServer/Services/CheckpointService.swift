import HubStore
import Logging
import ServiceLifecycle

/// Signs a Merkle checkpoint of the ledger every `HUB_CHECKPOINT_MINUTES` when it has grown, so a rewrite or
/// a cut tail is caught by `hub ledger verify` even if the rewritten chain is consistent in itself.
struct CheckpointService: Service {
    let hub: HubContext

    func run() async throws {
        let interval = Duration.seconds(hub.configuration.checkpointMinutes * 60)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { return }
            do {
                try await hub.migrate()
                if let c = try await hub.ledgerCheckpoints.create(by: "hub") {
                    hub.logger.info("ledger checkpoint signed", metadata: ["tree_size": "\(c.treeSize)"])
                }
            } catch {
                hub.logger.warning("ledger checkpoint failed", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }
}
