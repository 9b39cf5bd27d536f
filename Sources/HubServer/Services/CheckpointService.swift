import Foundation
import HubStore
import Logging
import ServiceLifecycle

/// Signs a Merkle checkpoint of the ledger every `HUB_CHECKPOINT_MINUTES` when it has grown, so a rewrite or
/// a cut tail is caught by `hub ledger verify` even if the rewritten chain is consistent in itself.
struct CheckpointService: Service {
    let checkpoints: LedgerCheckpoints
    /// `HUB_CHECKPOINT_MINUTES`.
    let interval: Duration
    let logger: Logger

    func run() async throws {
        // The first signing comes when the oldest unsigned entry reaches the interval's age, not a whole interval
        // after the start, so that verify never sees an entry older than the interval left unsigned.
        await ensurePartitions()
        var wait = await catchUp() ?? interval
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let delay = wait
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) } } catch { return }
            wait = interval
            await ensurePartitions()
            do {
                if let c = try await checkpoints.create(by: "hub") {
                    logger.info("ledger checkpoint signed", metadata: ["tree_size": "\(c.treeSize)"])
                }
            } catch {
                logger.warning("ledger checkpoint failed", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
    }

    /// The ledger's partitions for this month and the next two, made ahead (migration 24); a failure is only
    /// logged — entries of a month without its partition land in `ledger_default` and nothing is refused.
    func ensurePartitions() async {
        do {
            try await LedgerPartitions.ensure(checkpoints.db)
        } catch {
            logger.warning("ledger partitions not created", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// A hub that was stopped for longer than the interval left entries that no checkpoint covers, which
    /// `hub ledger verify` rightly reports; signing them on start closes that gap at once. Fresh entries are left
    /// to the schedule, so a start does not add a ledger entry each time.
    /// Returns how long to wait before the first scheduled signing when unsigned entries are younger than the
    /// interval (nil: a whole interval).
    func catchUp() async -> Duration? {
        do {
            let intervalMicros = interval.components.seconds * 1_000_000
            let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
            guard let oldest = try await checkpoints.oldestUnsignedMicros() else { return nil }
            guard now - oldest >= intervalMicros else { return .microseconds(oldest + intervalMicros - now) }
            if let c = try await checkpoints.create(by: "hub") {
                logger.info(
                    "ledger checkpoint signed on start (entries older than the interval were unsigned)",
                    metadata: ["tree_size": "\(c.treeSize)"]
                )
            }
        } catch {
            logger.warning("ledger checkpoint on start failed", metadata: ["error": "\(String(reflecting: error))"])
        }
        return nil
    }
}
