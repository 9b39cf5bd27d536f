import HubStore
import Logging
import ServiceLifecycle

/// Forgets used nonces once their timestamp window has passed, every minute.
struct NonceSweeper: Service {
    let departments: DepartmentStore
    let windowSeconds: Int
    let logger: Logger

    func run() async throws {
        // The first sweep waits a minute: on a fresh database the migrations run as the server starts.
        do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(60)) } } catch { return }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                // Kept well past the acceptance span (±window) so clock skew never reopens a replay.
                try await departments.sweepNonces(olderThanSeconds: windowSeconds * 2 + 120)
            } catch {
                logger.warning("nonce sweep failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            // Graceful shutdown must not wait out the pause: cancel the sleep when shutdown begins.
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(60)) }
            } catch {
                return
            }
        }
    }
}
