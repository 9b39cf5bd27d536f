import Exchange
import Testing

@Suite("Retry policy")
struct RetryPolicyTests {
    struct Fixed: RandomNumberGenerator {
        var value: UInt64
        mutating func next() -> UInt64 { value }
    }

    @Test("the ceiling doubles per failure and stops at the cap")
    func ceilingDoublesAndCaps() {
        let policy = RetryPolicy(base: .milliseconds(100), cap: .seconds(2))
        var max = Fixed(value: .max)
        #expect(policy.delay(afterFailures: 1, using: &max) <= .milliseconds(100))
        #expect(policy.delay(afterFailures: 3, using: &max) <= .milliseconds(400))
        #expect(policy.delay(afterFailures: 3, using: &max) > .milliseconds(200))
        #expect(policy.delay(afterFailures: 40, using: &max) <= .seconds(2))
    }

    @Test("full jitter spreads retries between zero and the ceiling")
    func jitterSpreads() {
        let policy = RetryPolicy(base: .milliseconds(100), cap: .seconds(60))
        let delays = (0..<200).map { _ in policy.delay(afterFailures: 5).milliseconds }
        #expect(delays.allSatisfy { (0...1600).contains($0) })
        #expect(Set(delays).count > 50, "jitter should give many different delays")
    }

    @Test("Retry-After wins over the backoff")
    func retryAfterWins() {
        let policy = RetryPolicy(base: .milliseconds(100), cap: .seconds(2))
        #expect(policy.delay(afterFailures: 1, retryAfter: .seconds(7)) == .seconds(7))
        #expect(RetryPolicy.parseRetryAfter("3") == .seconds(3))
        #expect(RetryPolicy.parseRetryAfter(" 10 ") == .seconds(10))
        #expect(RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == nil)
        #expect(RetryPolicy.parseRetryAfter("-1") == nil)
    }
}
