import Foundation
import HubClient
import HubModel
import HubServer
import HubStore
import Ingest
import Logging
import Normalization
import PostgresNIO
import Testing

/// Group commit's deadline per group (`GroupCommit.deadline`): a group that does not finish in time answers its
/// batches 503 and the next group starts — found by the failover drill, where one group waiting on a connection
/// the killed primary had dropped held back every later batch.
extension GroupCommitTests {
    /// A writer whose first group hangs like a wait that lost its wake-up (it ignores cancellation) until the
    /// test lets it "commit"; every later group is answered at once.
    final class HangingWriter: @unchecked Sendable {
        let lock = NSLock()
        var calls: [[String]] = []
        var stuck: CheckedContinuation<Void, Never>?
        var started: CheckedContinuation<Void, Never>?
        var startedAlready = false

        func write(_ group: [IngestWrite]) async throws -> [[RecordResult]] {
            let first = lock.withLock {
                calls.append(group.map(\.department.code))
                return calls.count == 1
            }
            if first {
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    lock.lock()
                    stuck = c
                    let s = started
                    started = nil
                    startedAlready = true
                    lock.unlock()
                    s?.resume()
                }
            }
            return group.map { w in [RecordResult(index: 0, localId: w.department.code, status: .accepted, errors: [])] }
        }

        /// Returns once the first group hangs.
        func firstStarted() async {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                lock.lock()
                if startedAlready {
                    lock.unlock()
                    c.resume()
                } else {
                    started = c
                    lock.unlock()
                }
            }
        }

        /// The hung group "commits" now, long after its deadline.
        func release() {
            lock.lock()
            let c = stuck
            stuck = nil
            lock.unlock()
            c?.resume()
        }
    }

    static func write(_ department: String, id: Int64) -> IngestWrite {
        IngestWrite(
            candidates: [],
            context: ResolutionContext(),
            department: Department(id: id, code: department, name: department),
            profile: nil,
            rejectedBefore: 0,
            log: nil
        ) { _ in fatalError("the test's writer does not plan") }
    }

    @Test("a group stuck past its deadline answers its batch 503 and does not hold back the next group; its late commit answers no one")
    func stuckGroupDoesNotBlockTheNext() async throws {
        // Never connected: the writer is the test's, the store only lends its logger.
        let db = try HubDatabase(url: "postgres://nobody@127.0.0.1:1/none", maxConnections: 1, logger: Logger(label: "test"))
        let store = IngestStore(db: db, catalogCache: CatalogCache(db: db))
        let writer = HangingWriter()
        let gather = GroupCommit(store: store, maxWait: .milliseconds(1), maxBatches: 64, deadline: .milliseconds(300)) {
            try await writer.write($0)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let stuck = Task { try await gather.write(Self.write("STUCK", id: 1)) }
        await writer.firstStarted()
        // The next batch arrives while the first group hangs: answered by the next group, not behind the stuck one
        // (bounded here so that a regression fails instead of hanging the suite).
        let next = try await Deadline.run(.seconds(20), operation: "next group") { try await gather.write(Self.write("NEXT", id: 2)) }
        #expect(next.first?.localId == "NEXT")
        #expect(next.first?.status == .accepted)
        // The stuck batch: the ungrouped write's deadline answer (→ 503 database_unavailable), not a success.
        await #expect(throws: Deadline.Exceeded.self) { try await stuck.value }
        #expect(clock.now - start < .seconds(20))
        #expect(await gather.timedOut == 1)
        #expect(await gather.groups == 2)
        // The hung write "commits" after all: nobody is answered twice, nothing traps, the writer keeps going.
        writer.release()
        try await Task.sleep(for: .milliseconds(50))
        let third = try await Deadline.run(.seconds(20), operation: "third group") { try await gather.write(Self.write("THIRD", id: 3)) }
        #expect(third.first?.localId == "THIRD")
        #expect(writer.calls == [["STUCK"], ["NEXT"], ["THIRD"]])
    }

    @Test(
        "a group held on the ledger lock past its deadline: each push 503 database_unavailable with Retry-After; the resend is answered per record, written once"
    )
    func lockedGroupAnswers503() async throws {
        var environment = Self.environment
        environment["HUB_GROUP_COMMIT_DEADLINE_MS"] = "1500"
        // Each request's own write deadline far above the bound below, so only the group's deadline can answer in
        // time: on a loaded CI machine three pushes took 28 s to be answered by it, against a 30 s write deadline.
        environment["HUB_WRITE_DEADLINE_MS"] = "90000"
        let t = try await TestHub.make(environment: environment)
        let bodies = Self.singlePushes(3, localId: "GL-", batchId: "GL-B", item: t.inspectionItem)
        try await t.serve { client, hub in
            let port = client.port!
            #expect(await hub.ingest.groupCommit?.deadline == .milliseconds(1500))
            // A second session takes the ledger's append lock (what every group takes first) and holds it.
            let clock = ContinuousClock()
            let (answers, elapsed) = try await t.withDatabase { db in
                try await db.client.withConnection { conn in
                    try await conn.query("SELECT pg_advisory_lock(7411002)", logger: db.logger)
                    let start = clock.now
                    let answers = try await Self.pushAllAnswers(bodies, port: port, as: t.scjg)
                    let elapsed = clock.now - start
                    try await conn.query("SELECT pg_advisory_unlock(7411002)", logger: db.logger)
                    return (answers, elapsed)
                }
            }
            for (i, answer) in answers.enumerated() {
                #expect(answer.status == 503, "push \(i): \(answer.json)")
                #expect(answer.json["errors"]?[0]["code"]?.string == "database_unavailable")
                #expect(answer.retryAfter == "5")
            }
            // The group's deadline answered, well before the 90 s write deadline of each request.
            #expect(elapsed < .seconds(60), "answered after \(elapsed)")
            #expect(await hub.ingest.groupCommit!.timedOut >= 1)
            // The abandoned group was one transaction: once the lock is free it committed whole or not at all. The
            // resend is answered per record — accepted, or duplicate when the late commit landed — and each record
            // is written once, with its one version. Resent as a department system does: while 503, again after a
            // pause (on a loaded machine the resend's own group may meet the deadline behind the abandoned ones).
            var again = try await Self.pushAll(bodies, port: port, as: t.scjg)
            for _ in 0..<20 where again.contains(where: { $0.0 == 503 }) {
                try await Task.sleep(for: .seconds(1))
                again = try await Self.pushAll(bodies, port: port, as: t.scjg)
            }
            for (i, (status, json)) in again.enumerated() {
                #expect(status == 200, "resend \(i): \(json)")
                let state = json["results"]?[0]["status"]?.string
                #expect(state == "accepted" || state == "duplicate", "resend \(i): \(json)")
            }
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE local_id LIKE 'GL-%'") == 3)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE local_id LIKE 'GL-%' AND version = 1") == 3)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE local_id LIKE 'GL-%'") == 3)
            #expect(try await LedgerStore.verify(hub.db).ok)
        }
    }
}
