import Hummingbird

/// Counts and times every request by its route pattern (not its raw path, which would explode labels).
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let metrics: HubMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let route = { context.endpointPath ?? "unmatched" }
        do {
            let response = try await next(request, context)
            metrics.request(method: request.method.rawValue, route: route(), status: response.status.code)
            metrics.requestDuration(route: route(), ContinuousClock.now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(method: request.method.rawValue, route: route(), status: status)
            metrics.requestDuration(route: route(), ContinuousClock.now - start)
            throw error
        }
    }
}
