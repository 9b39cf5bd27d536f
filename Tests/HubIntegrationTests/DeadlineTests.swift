import HubStore
import Testing

/// `Deadline` guards waits that a library may never wake (PostgresNIO's COPY on a dropped connection).
@Suite("Deadline")
struct DeadlineTests {
    final class Flag: @unchecked Sendable { var value = false }

    @Test("an operation that never returns fails at its deadline instead of hanging the caller")
    func neverReturns() async throws {
        let started = ContinuousClock.now
        await #expect(throws: Deadline.Exceeded.self) {
            try await Deadline.run(.milliseconds(200), operation: "stuck") {
                // A wait nobody resumes and that ignores cancellation, like a leaked continuation.
                await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }
            }
        }
        // A hang is forever; the bound is loose because two busy cores can delay any wake-up by seconds.
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test("an operation that finishes in time gives its own result or error")
    func finishes() async throws {
        let flag = Flag()
        try await Deadline.run(.seconds(5), operation: "quick") { flag.value = true }
        #expect(flag.value)
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await Deadline.run(.seconds(5), operation: "fails") { throw Boom() } }
    }
}
