import Foundation
import HubClient
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import Synchronization
import Testing

/// The hub across a PostgreSQL failover, in one process: a host list with `target_session_attrs=read-write`
/// (primary crashed, standby promoted), and one address whose server comes back (a routing proxy's view).
/// Pushes never hang and are never falsely accepted: during the gap 503 `database_unavailable` with
/// `Retry-After`, then `accepted` again within seconds, and every record answered `accepted` is stored.
/// Run by hand (`HUB_FAILOVER_TESTS=1 swift test --filter FailoverTests`), not in the default suite: they pass
/// alone (3 runs in a row) and in full runs, but one clean-clone CI run hung in "one address …" with every
/// task waiting (no thread busy) and the cause is not found yet.
@Suite("Database failover", .serialized, .enabled(if: ProcessInfo.processInfo.environment["HUB_FAILOVER_TESTS"] == "1"))
struct FailoverTests {
    /// A request in flight on a connection the server dropped may wait for the write deadline, and the test
    /// client sends its requests over one connection: a short deadline keeps the others from queueing behind it.
    static let environment = ["HUB_WRITE_DEADLINE_MS": "4000"]

    /// What one push was answered.
    struct Answer: Sendable {
        var localId: String
        var status: Int
        var recordStatus: String?
        var retryAfter: String?
        var at: ContinuousClock.Instant
    }

    /// Pushers sending one-record batches in a loop until `stop` is set, each record new.
    final class Pushers: Sendable {
        let answers = Mutex<[Answer]>([])
        let stop = Atomic<Bool>(false)
        let counter = Atomic<Int>(0)

        func run(_ client: any TestClientProtocol, _ t: TestHub, workers: Int, prefix: String) async {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<workers {
                    group.addTask {
                        while !self.stop.load(ordering: .relaxed) {
                            let n = self.counter.wrappingAdd(1, ordering: .relaxed).newValue
                            let id = "\(prefix)-\(n)"
                            let item = t.inspectionItem
                            let body = SampleRecords.batch([
                                SampleRecords.inspection(
                                    localId: id,
                                    catalogCode: item.catalogCode,
                                    implementationCode: item.code,
                                    agencyCode: item.agencyCode
                                )
                            ])
                            do {
                                let r = try await client.signed(.post, "/api/v1/records", body: body, as: t.scjg)
                                let answer = Answer(
                                    localId: id,
                                    status: Int(r.status.code),
                                    recordStatus: r.json["results"]?[0]["status"]?.string,
                                    retryAfter: r.headers[.retryAfter],
                                    at: .now
                                )
                                self.answers.withLock { $0.append(answer) }
                                if r.status.code != 200 { try? await Task.sleep(for: .milliseconds(100)) }
                            } catch {
                                self.answers.withLock { $0.append(Answer(localId: id, status: -1, at: .now)) }
                                try? await Task.sleep(for: .milliseconds(100))
                            }
                        }
                    }
                }
            }
        }

        var all: [Answer] { answers.withLock { $0 } }
        func accepted(after instant: ContinuousClock.Instant) -> Answer? {
            all.filter { $0.recordStatus == "accepted" && $0.at > instant }.min { $0.at < $1.at }
        }
    }

    /// Pushes while `outage` runs, then until `recovered` answers come back accepted; checks every answer and
    /// the ledger. Returns the seconds from `outage`'s end to the first accepted answer after it.
    func pushThrough(_ t: TestHub, _ client: any TestClientProtocol, _ hub: HubContext, outage: () async throws -> Void) async throws -> Double {
        let pushers = Pushers()
        let pushing = Task { await pushers.run(client, t, workers: 3, prefix: "HA") }
        // Some accepted before the outage.
        for _ in 0..<100 where pushers.all.count(where: { $0.recordStatus == "accepted" }) < 6 { try await Task.sleep(for: .milliseconds(50)) }
        try await outage()
        let restored = ContinuousClock.now
        // A request in flight on a connection the server dropped may wait for the write deadline (PostgresNIO
        // does not always fail it), so the loops that were pushing can be held up; a department's next request
        // is what must go through: a fresh loop measures the recovery.
        let after = Pushers()
        let probing = Task { await after.run(client, t, workers: 1, prefix: "HB") }
        var back: Answer?
        for _ in 0..<300 {
            back = after.accepted(after: restored)
            if back != nil { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(500))
        pushers.stop.store(true, ordering: .relaxed)
        after.stop.store(true, ordering: .relaxed)
        await pushing.value
        await probing.value

        let answers = pushers.all + after.all
        let firstBack = try #require(back, "no push was accepted after the database came back")
        for a in answers {
            if a.status == 200 {
                #expect(a.recordStatus == "accepted", "\(a.localId): \(a.recordStatus ?? "-")")
            } else if a.status != -1 {
                // -1: the test client gave up (20 s) on a request held up as above — no answer, never `accepted`.
                #expect(a.status == 503, "\(a.localId) answered \(a.status)")
                #expect(a.retryAfter != nil, "\(a.localId): 503 without Retry-After")
            }
        }
        #expect(answers.contains { $0.status == 503 || $0.status == -1 }, "the outage was not seen: every push accepted")
        // Every record answered accepted is stored, with its ledger entry.
        let accepted = answers.filter { $0.recordStatus == "accepted" }.map(\.localId)
        let list = accepted.map { "'\($0)'" }.joined(separator: ",")
        #expect(
            try await count(
                hub.db,
                "SELECT count(DISTINCT r.local_id)::int FROM records r JOIN ledger l ON l.seq = r.ledger_seq WHERE r.local_id IN (\(list))"
            ) == accepted.count
        )
        // A resend of a batch answered 503 is taken now, or is a duplicate when its commit had gone through
        // unseen; a resend of an accepted one is a duplicate.
        let item = t.inspectionItem
        for a in answers.filter({ $0.status == 503 || $0.status == -1 }).prefix(4) + answers.filter({ $0.recordStatus == "accepted" }).prefix(2) {
            let body = SampleRecords.batch([
                SampleRecords.inspection(
                    localId: a.localId,
                    catalogCode: item.catalogCode,
                    implementationCode: item.code,
                    agencyCode: item.agencyCode
                )
            ])
            let again = try await client.signed(.post, "/api/v1/records", body: body, as: t.scjg)
            let status = again.json["results"]?[0]["status"]?.string
            if a.recordStatus == "accepted" {
                #expect(status == "duplicate", "\(a.localId)")
            } else {
                #expect(status == "accepted" || status == "duplicate", "\(a.localId): \(status ?? "-")")
            }
        }
        #expect(try await LedgerStore.verify(hub.db).ok)
        return Double((firstBack.at - restored).components.seconds) + Double((firstBack.at - restored).components.attoseconds) / 1e18
    }

    @Test(
        "URL 'standby,primary' with read-write: the hub writes to the primary; primary crashed, standby promoted: 503 with Retry-After in the gap, accepted within seconds on the new primary, same process, nothing accepted lost"
    )
    func hostListFailover() async throws {
        let pair = try await ReplicaPair.start(standby: true)
        defer { pair.stopAll() }
        let standby = try #require(pair.standbyPort)
        let t = try await TestHub.make(
            environment: Self.environment,
            database: pair.database(ports: [standby, pair.primaryPort], query: "target_session_attrs=read-write")
        )
        try await t.serve { client, hub in
            #expect(hub.db.url.endpoints.map(\.port) == [standby, pair.primaryPort])
            let seconds = try await pushThrough(t, client, hub) {
                #expect(hub.db.endpoint.port == pair.primaryPort)
                try pair.crashPrimary()
                try await Task.sleep(for: .seconds(1))
                try pair.promoteStandby()
                // The recovery is timed from the pool's swap to the promoted standby (the watch's round and a
                // probe: about 4 s here), which must come within 10 s.
                for _ in 0..<100 where hub.db.endpoint.port != standby { try await Task.sleep(for: .milliseconds(100)) }
                #expect(hub.db.endpoint.port == standby, "the pool did not move to the promoted standby within 10 s")
            }
            #expect(hub.db.endpoint.port == standby)
            #expect(seconds < 10, "accepted again \(seconds) s after the pool moved")
            print("failover: first accepted push \(String(format: "%.2f", seconds)) s after the pool moved to the promoted standby")
        }
    }

    @Test(
        "one address (a routing proxy's view): the server gone and back on the same port is used again within seconds, not after the pool's one-minute breaker"
    )
    func sameAddressRestart() async throws {
        let pair = try await ReplicaPair.start(standby: false)
        defer { pair.stopAll() }
        let t = try await TestHub.make(environment: Self.environment, database: pair.database(ports: [pair.primaryPort]))
        try await t.serve { client, hub in
            let seconds = try await pushThrough(t, client, hub) {
                try pair.crashPrimary()
                // Longer than the watch's one-second round, so the loss is seen (a 503) and not only waited out.
                try await Task.sleep(for: .seconds(3))
                try pair.startPrimary()
            }
            #expect(seconds < 10, "accepted again \(seconds) s after the restart")
            print("restart behind one address: first accepted push \(String(format: "%.2f", seconds)) s after the server was back")
        }
    }

    @Test(
        "HUB_DATABASE_READ_URL: with the primary down, the public feed and the reconciliation report are answered by the standby, while pushes answer 503"
    )
    func readsFromStandby() async throws {
        let pair = try await ReplicaPair.start(standby: true)
        defer { pair.stopAll() }
        let standby = try #require(pair.standbyPort)
        let t = try await TestHub.make(
            environment: ["HUB_DATABASE_READ_URL": pair.database(ports: [standby]).app],
            database: pair.database(ports: [pair.primaryPort])
        )
        try await t.serve { client, hub in
            #expect(hub.readDB.endpoint.port == standby && hub.db.endpoint.port == pair.primaryPort)
            let item = t.inspectionItem
            let body = SampleRecords.batch([
                SampleRecords.inspection(localId: "READ-1", catalogCode: item.catalogCode, implementationCode: item.code, agencyCode: item.agencyCode)
            ])
            let pushed = try await client.signed(.post, "/api/v1/records", body: body, as: t.scjg)
            #expect(pushed.json["results"]?[0]["status"]?.string == "accepted")
            // Synchronous replication flushed the commit on the standby; replaying it may take a moment.
            var received = 0
            for _ in 0..<50 {
                received = try await hub.reconciliation.report(day: SyncDay.today).first { $0.department == "HY-SCJG" }?.received ?? 0
                if received == 1 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(received == 1)
            try pair.crashPrimary()
            let feed = try await client.execute(uri: "/public/v1/bulletins?kind=news", method: .get)
            #expect(feed.status == .ok)
            let page = try await client.execute(uri: "/public/news", method: .get)
            #expect(page.status == .ok)
            let report = try await hub.reconciliation.report(day: SyncDay.today)
            #expect(report.first { $0.department == "HY-SCJG" }?.received == 1)
            let refused = try await client.signed(.post, "/api/v1/records", body: body.replacingOccurrences(of: "READ-1", with: "READ-2"), as: t.scjg)
            #expect(refused.status == .serviceUnavailable && refused.headers[.retryAfter] != nil)
        }
    }
}
