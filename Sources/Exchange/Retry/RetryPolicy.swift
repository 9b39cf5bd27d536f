import Foundation

/// Exponential backoff with full jitter, capped, with the server's `Retry-After` taking precedence.
///
/// Full jitter (a uniform draw in [0, min(cap, base·2ⁿ)]) spreads several hub instances apart after a
/// shared outage instead of having them hammer the province in step. Pure: the random source is passed in.
public struct RetryPolicy: Sendable, Hashable {
    public var base: Duration
    public var cap: Duration
    /// Row-level retryable rejections allowed before a record is moved to the dead-letter state.
    public var maxAttempts: Int

    public init(base: Duration = .milliseconds(200), cap: Duration = .seconds(60), maxAttempts: Int = 12) {
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
    }

    /// The delay before try number `attempt + 1` (`attempt` failures so far, from 1).
    public func delay(afterFailures attempt: Int, retryAfter: Duration? = nil, using random: inout some RandomNumberGenerator) -> Duration {
        if let retryAfter { return min(retryAfter, cap * 10) }
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(cap, base * (1 << exponent))
        let ms = max(ceiling.milliseconds, 1)
        return .milliseconds(Int64.random(in: 0...ms, using: &random))
    }

    public func delay(afterFailures attempt: Int, retryAfter: Duration? = nil) -> Duration {
        var g = SystemRandomNumberGenerator()
        return delay(afterFailures: attempt, retryAfter: retryAfter, using: &g)
    }

    /// `Retry-After` as delay-seconds (the HTTP-date form is not used by the province and is ignored).
    public static func parseRetryAfter(_ header: String?) -> Duration? {
        guard let header, let seconds = Int(header.trimmingCharacters(in: .whitespaces)), seconds >= 0 else { return nil }
        return .seconds(min(seconds, 3600))
    }
}

extension Duration {
    public var milliseconds: Int64 {
        let (s, atto) = components
        return s * 1000 + atto / 1_000_000_000_000_000
    }
}
