import AsyncHTTPClient
import Foundation
import HubClient
import HubModel
import HubServer
import HubStore
import NIOCore
import Testing

/// Group commit (`GroupCommit`): concurrent one-record pushes share transactions, and each request still gets its
/// own answers, its own message log row and its own place in the ledger.
@Suite("Group commit of single pushes", .serialized)
struct GroupCommitTests {
    /// A wide window so that concurrent requests on a loaded test machine really do share groups.
    /// Many uploads of one key at once (the default allows 4 in flight per key).
    static let environment = [
        "HUB_GROUP_COMMIT_MAX_WAIT_MS": "50", "HUB_GROUP_COMMIT_MAX_BATCHES": "64", "HUB_DB_POOL": "40", "HUB_MAX_UPLOADS_PER_KEY": "64",
    ]

    /// Pushes one body per element concurrently over real sockets; returns status and answer per body, in order.
    static func pushAll(_ bodies: [String], port: Int, as credentials: DepartmentCredentials) async throws -> [(UInt, JSONValue)] {
        try await pushAllAnswers(bodies, port: port, as: credentials).map { ($0.status, $0.json) }
    }

    /// `pushAll` with each answer's `Retry-After`.
    static func pushAllAnswers(
        _ bodies: [String],
        port: Int,
        as credentials: DepartmentCredentials
    ) async throws -> [(status: UInt, json: JSONValue, retryAfter: String?)] {
        try await withThrowingTaskGroup(of: (Int, UInt, JSONValue, String?).self) { group in
            for (i, body) in bodies.enumerated() {
                group.addTask {
                    let bytes = Array(body.utf8)
                    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/records")
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: "application/json")
                    for (n, v) in RequestSigner.headers(
                        keyId: credentials.keyId,
                        secret: credentials.secret,
                        method: "POST",
                        pathWithQuery: "/api/v1/records",
                        body: bytes
                    ) {
                        request.headers.add(name: n, value: v)
                    }
                    request.body = .bytes(ByteBuffer(bytes: bytes))
                    let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
                    let answer = try await response.body.collect(upTo: 1 << 20)
                    let json = (try? JSONParser().parse(answer.readableBytesView)) ?? .null
                    return (i, response.status.code, json, response.headers.first(name: "Retry-After"))
                }
            }
            var out: [(status: UInt, json: JSONValue, retryAfter: String?)] = Array(repeating: (0, .null, nil), count: bodies.count)
            for try await (i, status, json, retryAfter) in group { out[i] = (status, json, retryAfter) }
            return out
        }
    }

    /// `count` one-record bodies: localId `localId`+i, batch id `batchId`+i, the test catalog's inspection item.
    static func singlePushes(
        _ count: Int,
        localId: String,
        batchId: String,
        item: (code: String, catalogCode: String, agencyCode: String)
    ) -> [String] {
        (0..<count).map { i in
            SampleRecords.batch(
                [
                    SampleRecords.inspection(
                        localId: "\(localId)\(i)",
                        catalogCode: item.catalogCode,
                        implementationCode: item.code,
                        agencyCode: item.agencyCode
                    )
                ],
                batchId: "\(batchId)\(i)"
            )
        }
    }

    @Test("40 concurrent one-record pushes: all accepted, fewer transactions than requests, one log row each, ledger verifies")
    func concurrentSinglePushes() async throws {
        let t = try await TestHub.make(environment: Self.environment)
        let bodies = Self.singlePushes(40, localId: "GC-", batchId: "GC-B", item: t.inspectionItem)
        try await t.serve { client, hub in
            let answers = try await Self.pushAll(bodies, port: client.port!, as: t.scjg)
            for (i, (status, json)) in answers.enumerated() {
                #expect(status == 200)
                #expect(json["batchId"]?.string == "GC-B\(i)")
                #expect(json["results"]?[0]["status"]?.string == "accepted")
                #expect(json["results"]?[0]["localId"]?.string == "GC-\(i)")
            }
            // Each answer names its own ledger entry: 40 different ones.
            #expect(Set(answers.compactMap { $0.1["results"]?[0]["ledgerSeq"]?.int }).count == 40)
            let groups = await hub.ingest.groupCommit!.groups
            #expect(groups < 40, "concurrent pushes shared transactions (\(groups) groups for 40 requests)")
            #expect(try await LedgerStore.verify(hub.db).ok)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE local_id LIKE 'GC-%' AND status = 'accepted'") == 40)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE local_id LIKE 'GC-%'") == 40)
            // The message log: one row per request, with its own batch id and count.
            #expect(try await count(hub.db, "SELECT count(*)::int FROM message_log WHERE batch_id LIKE 'GC-B%'") == 40)
            #expect(
                try await count(
                    hub.db,
                    "SELECT count(DISTINCT batch_id)::int FROM message_log WHERE batch_id LIKE 'GC-B%' AND record_count = 1 AND accepted = 1"
                ) == 40
            )
            #expect(try await count(hub.db, "SELECT coalesce(sum(accepted), 0)::int FROM intake_tally") == 40)
        }
    }

    @Test("a record the catalog contradicts, among concurrent good ones, is refused alone with its path")
    func oneBadAmongGood() async throws {
        let t = try await TestHub.make(environment: Self.environment)
        let item = t.inspectionItem
        var bodies = Self.singlePushes(20, localId: "GB-", batchId: "GB-B", item: t.inspectionItem)
        // Index 7: an implementation code the catalog does not know (a planner refusal inside the group).
        bodies[7] = SampleRecords.batch(
            [
                SampleRecords.inspection(
                    localId: "GB-7",
                    catalogCode: item.catalogCode,
                    implementationCode: item.agencyCode + "3" + "99999999999999" + "01",
                    agencyCode: item.agencyCode
                )
            ],
            batchId: "GB-B7"
        )
        // Index 11: two versions of one localId in one request next to a push of the same localId: never in one group.
        bodies[11] = SampleRecords.batch(
            [
                SampleRecords.inspection(
                    localId: "GB-3",
                    catalogCode: item.catalogCode,
                    implementationCode: item.code,
                    agencyCode: item.agencyCode,
                    result: "责令整改"
                )
            ],
            batchId: "GB-B11"
        )
        let all = bodies
        try await t.serve { client, hub in
            let answers = try await Self.pushAll(all, port: client.port!, as: t.scjg)
            for (i, (status, json)) in answers.enumerated() {
                #expect(status == 200)
                let result = json["results"]?[0] ?? .null
                if i == 7 {
                    #expect(result["status"]?.string == "rejected")
                    #expect(result["errors"]?[0]["code"]?.string == "unknown_implementation_code")
                    #expect(result["errors"]?[0]["path"]?.string == "records[0].item.implementationCode")
                } else {
                    #expect(result["status"]?.string == "accepted", "request \(i): \(json)")
                }
            }
            // GB-3 has two versions, in some order; both accepted, numbered 1 and 2.
            #expect(try await count(hub.db, "SELECT count(DISTINCT version)::int FROM records WHERE local_id = 'GB-3'") == 2)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records WHERE local_id = 'GB-7'") == 0)
            #expect(try await LedgerStore.verify(hub.db).ok)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM message_log WHERE batch_id LIKE 'GB-B%'") == 20)
            #expect(
                try await count(hub.db, "SELECT count(*)::int FROM message_log WHERE batch_id = 'GB-B7' AND status = 'rejected' AND rejected = 1")
                    == 1
            )
            #expect(try await count(hub.db, "SELECT coalesce(sum(rejected), 0)::int FROM intake_tally") == 1)
        }
    }

    @Test("with group commit off every batch is written alone, as before")
    func off() async throws {
        let t = try await TestHub.make(environment: ["HUB_GROUP_COMMIT_MAX_WAIT_MS": "0"])
        let item = t.inspectionItem
        try await t.serve { client, hub in
            #expect(hub.ingest.groupCommit == nil)
            let body = SampleRecords.batch([
                SampleRecords.inspection(localId: "OFF-1", catalogCode: item.catalogCode, implementationCode: item.code, agencyCode: item.agencyCode)
            ])
            let response = try await client.signed(.post, "/api/v1/records", body: body, as: t.scjg)
            #expect(response.json["results"]?[0]["status"]?.string == "accepted")
        }
        #expect(throws: ConfigurationError.self) { try HubConfiguration(environment: ["HUB_GROUP_COMMIT_MAX_BATCHES": "many"]) }
    }
}
