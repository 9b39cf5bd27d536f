import Foundation
import HubStore
import Logging
import ServiceLifecycle

/// Runs the clues' overdue pass (`ClueStore.markOverdue`) on start and every `HUB_CLUE_OVERDUE_MINUTES`: each open
/// clue past the first working day after its due date is flagged once per phase, with a `clue_overdue` ledger
/// entry that ops see. Several instances may run it: rows are taken with `SKIP LOCKED` and flagged once.
struct ClueOverdueService: Service {
    let clues: ClueStore
    /// `HUB_CLUE_OVERDUE_MINUTES`.
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let flagged = try await clues.markOverdue()
                if !flagged.isEmpty { logger.info("clues flagged overdue", metadata: ["count": "\(flagged.count)"]) }
            } catch {
                logger.warning("clue overdue pass failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { return }
        }
    }
}
