import HubModel
import HubStore
import Hummingbird
import NIOCore
import PostgresNIO

/// `/health` (the process is up), `/ready` (PostgreSQL answers), `/metrics` (Prometheus text).
struct OperationsController {
    let db: HubDatabase
    let metrics: HubMetrics

    func addRoutes(to router: Router<HubRequestContext>) {
        router.get("health") { request, _ in
            Answer.make(.object([("status", .string("ok"))]), for: request)
        }
        router.get("ready") { request, _ in
            let ok = await db.ping()
            return Answer.make(.object([("status", .string(ok ? "ready" : "database_unavailable"))]), status: ok ? .ok : .serviceUnavailable,
                               for: request)
        }
        router.get("metrics") { _, _ in
            if let rows = try? await db.client.query("SELECT coalesce(max(seq), 0) FROM ledger", logger: db.logger) {
                for try await height in rows.decode(Int64.self) { metrics.setLedgerHeight(height) }
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
        }
    }
}
