import Foundation
import HubClient
import HubModel
import HubServer
import HubStore
import Ingest
import Logging
import Testing

/// Fewer statements per push (issue #18, item 3): the records push records its nonce in the transaction that writes
/// the batch, and reads the department's agencies with its key and the catalog in one statement. A replay must
/// still be refused with nothing written — in a group of other pushes, alone, concurrently with the first request,
/// and for batches refused as a whole — and the next push must see a catalog change, with nothing cached.
@Suite("Single pushes: nonce in the write, nothing stale", .serialized)
struct SinglePushTests {
    struct Signed: Sendable {
        var body: String
        var nonce: String
        var now: Date
    }

    /// Sends each request at once over real sockets, signed with its own nonce and time; answers in order.
    static func send(_ requests: [Signed], port: Int, as credentials: DepartmentCredentials) async throws -> [(status: UInt, json: JSONValue)] {
        try await GroupCommitTests.pushAllAnswers(
            requests.map(\.body),
            port: port,
            as: credentials,
            signing: requests.map { ($0.now, $0.nonce) }
        ).map { ($0.status, $0.json) }
    }

    static func signed(_ bodies: [String]) -> [Signed] {
        bodies.map { Signed(body: $0, nonce: UUID().uuidString.lowercased(), now: Date()) }
    }

    static func refusedAsReplay(_ answer: (status: UInt, json: JSONValue)) -> Bool {
        answer.status == 401 && answer.json["errors"]?[0]["code"]?.string == "replayed_nonce"
    }

    @Test("group commit: replays sent among new pushes get 401 replayed_nonce, nothing written for them, the others all written")
    func replaysInsideGroups() async throws {
        let t = try await TestHub.make(environment: GroupCommitTests.environment)
        let first = Self.signed(GroupCommitTests.singlePushes(6, localId: "NR-A", batchId: "NR-AB", item: t.inspectionItem))
        let fresh = Self.signed(GroupCommitTests.singlePushes(14, localId: "NR-B", batchId: "NR-BB", item: t.inspectionItem))
        try await t.serve { client, hub in
            let written = try await Self.send(first, port: client.port!, as: t.scjg)
            #expect(written.allSatisfy { $0.status == 200 && $0.json["results"]?[0]["status"]?.string == "accepted" })
            // Each replay is the same request again (body, time, nonce): it shares groups with the new pushes.
            let answers = try await Self.send(fresh + first, port: client.port!, as: t.scjg)
            for (i, answer) in answers.enumerated() {
                if i < fresh.count {
                    #expect(answer.status == 200 && answer.json["results"]?[0]["status"]?.string == "accepted", "push \(i): \(answer.json)")
                } else {
                    #expect(Self.refusedAsReplay(answer), "replay \(i - fresh.count): \(answer.status) \(answer.json)")
                }
            }
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE local_id LIKE 'NR-A%'") == 6)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE local_id LIKE 'NR-A%' AND version > 1") == 0)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE local_id LIKE 'NR-B%' AND status = 'accepted'") == 14)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM publications WHERE local_id LIKE 'NR-%'") == 20)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM message_log WHERE batch_id LIKE 'NR-%'") == 20)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM message_log WHERE 'replayed_nonce' = ANY(error_codes)") == 6)
            #expect(try await count(hub.db, "SELECT coalesce(sum(accepted), 0)::int FROM intake_tally") == 20)
            #expect(try await count(hub.db, "SELECT coalesce(sum(duplicate), 0)::int FROM intake_tally") == 0)
            #expect(try await LedgerStore.verify(hub.db).ok)
        }
    }

    @Test("without group commit: a replay racing the first request, and replays of batches refused as a whole or all rejected")
    func replaysAlone() async throws {
        let t = try await TestHub.make(environment: ["HUB_GROUP_COMMIT_MAX_WAIT_MS": "0"])
        let item = t.inspectionItem
        let good = SampleRecords.batch(
            [SampleRecords.inspection(localId: "NR-RACE", catalogCode: item.catalogCode, implementationCode: item.code, agencyCode: item.agencyCode)],
            batchId: "NR-RACE-B"
        )
        let race = Self.signed([good])[0]
        let malformed = Self.signed(["{\"batchId\":\"NR-BAD\",\"records\":["])[0]
        let allRejected = Self.signed([
            SampleRecords.batch(
                [
                    SampleRecords.inspection(
                        localId: "NR-DIGIT",
                        catalogCode: item.catalogCode,
                        implementationCode: item.code,
                        agencyCode: item.agencyCode,
                        partyUSCC: "91330105MA2KER1H4M"
                    )
                ],
                batchId: "NR-DIGIT-B"
            )
        ])[0]
        try await t.serve { client, hub in
            #expect(hub.ingest.groupCommit == nil)
            // The same request three times at once: one is written, the others are replays.
            let raced = try await Self.send([race, race, race], port: client.port!, as: t.scjg)
            #expect(raced.count { $0.status == 200 } == 1, "\(raced.map(\.status))")
            #expect(raced.count(where: Self.refusedAsReplay) == 2, "\(raced.map(\.json))")
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE local_id = 'NR-RACE'") == 1)

            let bad = try await Self.send([malformed], port: client.port!, as: t.scjg)
            #expect(bad[0].status == 400)
            #expect(Self.refusedAsReplay(try await Self.send([malformed], port: client.port!, as: t.scjg)[0]))

            let rejected = try await Self.send([allRejected], port: client.port!, as: t.scjg)
            #expect(rejected[0].status == 200 && rejected[0].json["results"]?[0]["status"]?.string == "rejected", "\(rejected[0].json)")
            #expect(Self.refusedAsReplay(try await Self.send([allRejected], port: client.port!, as: t.scjg)[0]))

            // Nothing of the replays reached the tally or the batch rows of the message log; each refusal is logged once.
            #expect(try await count(hub.db, "SELECT coalesce(sum(accepted), 0)::int FROM intake_tally") == 1)
            #expect(try await count(hub.db, "SELECT coalesce(sum(rejected), 0)::int FROM intake_tally") == 1)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM message_log WHERE batch_id IN ('NR-RACE-B', 'NR-DIGIT-B')") == 2)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM message_log WHERE 'replayed_nonce' = ANY(error_codes)") == 4)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM request_nonces") == 3)
            #expect(try await LedgerStore.verify(hub.db).ok)
        }
    }

    @Test("group commit: the next push sees an implementation item retired meanwhile (the catalog is read per push, not cached)")
    func catalogChangeSeenByNextPush() async throws {
        let t = try await TestHub.make(environment: GroupCommitTests.environment)
        let today = CatalogDatesTests.today
        let file = TestCluster.projectRoot.appendingPathComponent("Mappings/catalog/catalog.csv")
        var rows = try CatalogFile.items(try String(contentsOf: file, encoding: .utf8), file: file.path)
        let i = try #require(rows.firstIndex { $0.code == t.inspectionItem.catalogCode })
        rows[i].status = .retired
        rows[i].effectiveFrom = today.description
        let retirement = rows[i]
        let submitted = ISO8601DateFormatter().string(from: Date())
        let pushes = Self.signed(
            (1...4).map {
                SampleRecords.batch([CatalogDatesTests.inspection("ST-\($0)", t, on: today.description, at: "00:00:01", submitted: submitted)])
            }
        )
        try await t.serve { client, hub in
            let before = try await Self.send(Array(pushes[0..<2]), port: client.port!, as: t.scjg)
            #expect(before.allSatisfy { $0.json["results"]?[0]["status"]?.string == "accepted" }, "\(before.map(\.json))")
            #expect(try await hub.catalog.importCatalog([retirement]).changed == 1)
            let after = try await Self.send(Array(pushes[2..<4]), port: client.port!, as: t.scjg)
            for answer in after {
                #expect(answer.json["results"]?[0]["status"]?.string == "rejected", "\(answer.json)")
                #expect(answer.json["results"]?[0]["errors"]?[0]["code"]?.string == "catalog_item_retired")
            }
        }
    }
}

extension SinglePushTests {
    /// Records each group it is given; a group holding the batch of department `REPLAY` fails as a replay of it.
    final class ReplayWriter: @unchecked Sendable {
        let lock = NSLock()
        var calls: [[String]] = []

        func write(_ group: [IngestWrite]) async throws -> [[RecordResult]] {
            let codes = group.map(\.department.code)
            lock.withLock { calls.append(codes) }
            if let i = codes.firstIndex(of: "REPLAY") { throw NonceReplayed(batches: [i]) }
            return codes.map { [RecordResult(index: 0, localId: $0, status: .accepted, errors: [])] }
        }
    }

    @Test("a replay in a group: the group is written again without it, the replay alone is answered NonceReplayed")
    func replayLeavesTheGroup() async throws {
        // Never connected: the writer is the test's, the store only lends its logger.
        let db = try HubDatabase(url: "postgres://nobody@127.0.0.1:1/none", maxConnections: 1, logger: Logger(label: "test"))
        let writer = ReplayWriter()
        let gather = GroupCommit(
            store: IngestStore(db: db, catalogCache: CatalogCache(db: db)),
            maxWait: .milliseconds(300),
            maxBatches: 3,
            deadline: .seconds(20)
        ) { try await writer.write($0) }
        // Three batches fill a group (maxBatches 3).
        let a = Task { try await gather.write(GroupCommitTests.write("A", id: 1)) }
        let replay = Task { try await gather.write(GroupCommitTests.write("REPLAY", id: 2)) }
        let c = Task { try await gather.write(GroupCommitTests.write("C", id: 3)) }
        #expect(try await a.value.first?.localId == "A")
        #expect(try await c.value.first?.localId == "C")
        await #expect(throws: NonceReplayed.self) { try await replay.value }
        #expect(await gather.groups == 1)
        let calls = writer.lock.withLock { writer.calls }
        #expect(calls.count == 2 && Set(calls[0]) == ["A", "REPLAY", "C"] && Set(calls[1]) == ["A", "C"], "\(calls)")
    }
}
