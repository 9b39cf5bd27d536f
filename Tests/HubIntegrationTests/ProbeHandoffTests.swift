import HubStore
import NIOCore
import Testing

/// A probe's connection changes hands under a deadline: exactly one side must end up closing it, whichever
/// finishes first (a connection nobody closes trips PostgresConnection's deinit assertion).
@Suite struct ProbeHandoffTests {
    @Test func theCallerTakesWhatWasOffered() {
        let handoff = ProbeHandoff<Int>()
        #expect(handoff.offer(7))
        #expect(handoff.abandon() == 7)
        #expect(handoff.abandon() == nil)
    }

    @Test func anOfferAfterTheCallerGaveUpIsRefused() {
        let handoff = ProbeHandoff<Int>()
        #expect(handoff.abandon() == nil)
        #expect(!handoff.offer(7))
    }

    @Test func racingSidesCloseEachConnectionExactlyOnce() async {
        let owners = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<2_000 {
                group.addTask {
                    let handoff = ProbeHandoff<Int>()
                    async let offered = Task { handoff.offer(1) }.value
                    async let taken = Task { handoff.abandon() }.value
                    // The offerer closes a refused connection; the caller closes one it took.
                    let (o, t) = await (offered, taken)
                    return (o ? 0 : 1) + (t == nil ? 0 : 1)
                }
            }
            var counts: [Int] = []
            for await n in group { counts.append(n) }
            return counts
        }
        #expect(owners.count == 2_000)
        #expect(owners.allSatisfy { $0 == 1 })
    }
}

/// Which failed probes shut a pool: only proof that the server is gone, never a probe that merely timed out.
@Suite struct ProbeFailureTests {
    @Test func timeoutsAreNotProof() {
        #expect(ProbeFailure.isInconclusive(Deadline.Exceeded(operation: "database probe")))
        #expect(ProbeFailure.isInconclusive(ChannelError.connectTimeout(.seconds(3))))
        #expect(!ProbeFailure.isInconclusive(ChannelError.ioOnClosedChannel))
        #expect(!ProbeFailure.isInconclusive(CancellationError()))
    }
}
