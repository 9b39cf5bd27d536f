import HubModel
import HubStore
import Hummingbird
import NIOCore
import PostgresNIO

/// `/health` (the process is up), `/ready` (PostgreSQL answers), `/metrics` (Prometheus text, for the
/// holder of the metrics bearer token only: its counters name departments and volumes).
struct OperationsController {
    let db: HubDatabase
    let ledger: LedgerReader
    let metrics: HubMetrics
    let metricsToken: String

    func addRoutes(to router: Router<HubRequestContext>) {
        router.get("health") { request, _ in
            Answer.make(.object([("status", .string("ok"))]), for: request)
        }
        router.get("ready") { request, _ in
            let ok = await db.ping()
            return Answer.make(
                .object([("status", .string(ok ? "ready" : "database_unavailable"))]),
                status: ok ? .ok : .serviceUnavailable,
                for: request
            )
        }
        router.get("metrics") { request, _ in
            let sent = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
            guard let sent, constantTimeEqual(sent, metricsToken) else {
                throw HubHTTPError(
                    .unauthorized,
                    code: "metrics_token_required",
                    zh: "读取 /metrics 须提供监控令牌（Authorization: Bearer，见 HUB_METRICS_TOKEN）",
                    en: "/metrics needs the metrics bearer token (Authorization: Bearer, see HUB_METRICS_TOKEN)",
                    path: "Authorization"
                )
            }
            if let height = try? await ledger.height() { metrics.setLedgerHeight(height) }
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer()))
            )
        }
    }
}
