import Foundation
import HTTPTypes
import HubClient
import HubServer
import HubStore
import HummingbirdTesting
import NIOCore
import Testing

/// Every way a request can fail authentication is refused with 401/403 and writes nothing.
@Suite("Authentication")
struct AuthenticationTests {
    @Test("unsigned, badly signed, expired, replayed, unknown-key and other-department requests are refused and write nothing")
    func refusals() async throws {
        let t = try await TestHub.make()
        let item = t.inspectionItem
        try await t.serve { client, hub in
            let body = SampleRecords.batch([
                SampleRecords.inspection(localId: "AUTH-1", catalogCode: item.catalogCode, implementationCode: item.code, agencyCode: item.agencyCode)
            ])
            let bytes = ByteBuffer(string: body)
            let before = try await count(hub.db, "SELECT (SELECT count(*) FROM ledger) + (SELECT count(*) FROM records)::int")

            // Unsigned.
            let unsigned = try await client.execute(uri: "/api/v1/records", method: .post, headers: [.contentType: "application/json"], body: bytes)
            #expect(unsigned.status == .unauthorized)
            #expect(unsigned.json["errors"]?[0]["code"]?.string == "unsigned")

            // Signed with the wrong secret.
            let forged = DepartmentCredentials(department: "HY-SCJG", name: "", keyId: t.scjg.keyId, secret: String(repeating: "0", count: 64))
            let bad = try await client.signed(.post, "/api/v1/records", body: body, as: forged)
            #expect(bad.status == .unauthorized)
            #expect(bad.json["errors"]?[0]["code"]?.string == "bad_signature")

            // A body changed after signing.
            var headers: HTTPFields = [.contentType: "application/json"]
            for (n, v) in RequestSigner.headers(
                keyId: t.scjg.keyId,
                secret: t.scjg.secret,
                method: "POST",
                pathWithQuery: "/api/v1/records",
                body: Array(body.utf8)
            ) {
                headers[HTTPField.Name(n)!] = v
            }
            let tampered = try await client.execute(
                uri: "/api/v1/records",
                method: .post,
                headers: headers,
                body: ByteBuffer(string: body.replacingOccurrences(of: "AUTH-1", with: "AUTH-2"))
            )
            #expect(tampered.json["errors"]?[0]["code"]?.string == "bad_signature")

            // Expired (10 minutes old) and from the future.
            let expired = try await client.signed(.post, "/api/v1/records", body: body, as: t.scjg, timestamp: Date().addingTimeInterval(-600))
            #expect(expired.status == .unauthorized)
            #expect(expired.json["errors"]?[0]["code"]?.string == "timestamp_out_of_window")
            let future = try await client.signed(.post, "/api/v1/records", body: body, as: t.scjg, timestamp: Date().addingTimeInterval(600))
            #expect(future.json["errors"]?[0]["code"]?.string == "timestamp_out_of_window")

            // A hostile timestamp must not overflow the window arithmetic (it would trap the whole server).
            for hostile in ["-9223372036854775808", "9223372036854775807", "99999999999999999999", "1e9", " 1"] {
                let r = try await client.execute(
                    uri: "/api/v1/records",
                    method: .post,
                    headers: [
                        HTTPField.Name("X-Hub-Key")!: t.scjg.keyId, HTTPField.Name("X-Hub-Timestamp")!: hostile,
                        HTTPField.Name("X-Hub-Nonce")!: "n", HTTPField.Name("X-Hub-Signature")!: "0",
                    ],
                    body: bytes
                )
                #expect(r.json["errors"]?[0]["code"]?.string == "timestamp_out_of_window", "\(hostile)")
            }
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)

            // Unknown key.
            let stranger = DepartmentCredentials(department: "X", name: "", keyId: "hk_doesnotexist", secret: t.scjg.secret)
            let unknown = try await client.signed(.post, "/api/v1/records", body: body, as: stranger)
            #expect(unknown.json["errors"]?[0]["code"]?.string == "unknown_key")

            // Claiming to be another department.
            let claim = try await client.signed(
                .post,
                "/api/v1/records",
                body: body,
                as: t.scjg,
                extraHeaders: [HTTPField.Name("X-Hub-Department")!: "HY-WJ"]
            )
            #expect(claim.status == .forbidden)
            #expect(claim.json["errors"]?[0]["code"]?.string == "department_mismatch")

            #expect(try await count(hub.db, "SELECT (SELECT count(*) FROM ledger) + (SELECT count(*) FROM records)::int") == before)

            // A good request, then the very same request replayed (same nonce, same signature).
            let nonce = UUID().uuidString
            let now = Date()
            let good = try await client.signed(.post, "/api/v1/records", body: body, as: t.scjg, timestamp: now, nonce: nonce)
            #expect(good.status == .ok)
            let afterGood = try await count(hub.db, "SELECT (SELECT count(*) FROM ledger) + (SELECT count(*) FROM records)::int")
            let replay = try await client.signed(.post, "/api/v1/records", body: body, as: t.scjg, timestamp: now, nonce: nonce)
            #expect(replay.status == .unauthorized)
            #expect(replay.json["errors"]?[0]["code"]?.string == "replayed_nonce")
            #expect(try await count(hub.db, "SELECT (SELECT count(*) FROM ledger) + (SELECT count(*) FROM records)::int") == afterGood)

            // Every refusal carries both languages.
            for r in [unsigned, bad, expired, unknown, claim, replay] {
                #expect(r.json["errors"]?[0]["messageZh"]?.string?.isEmpty == false)
                #expect(r.json["errors"]?[0]["messageEn"]?.string?.isEmpty == false)
            }
        }
    }

    @Test("departments are isolated: the same localId in two departments are two records")
    func isolation() async throws {
        let t = try await TestHub.make()
        let item = t.inspectionItem
        try await t.serve { client, hub in
            let record = SampleRecords.inspection(
                localId: "SHARED-1",
                catalogCode: item.catalogCode,
                implementationCode: item.code,
                agencyCode: item.agencyCode
            )
            // Both departments may file for this agency here, so that only the department tells the records apart.
            let wj = try #require(try await hub.departments.department(code: "HY-WJ"))
            try await hub.departments.addAgencies([DepartmentAgency(code: item.agencyCode, name: nil, source: .cli)], department: wj)
            let a = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([record]), as: t.scjg)
            let b = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([record]), as: t.wj)
            #expect(a.json["results"]?[0]["status"]?.string == "accepted")
            // Not a duplicate of the other department's record: its own first version.
            #expect(b.json["results"]?[0]["status"]?.string == "accepted")
            #expect(b.json["results"]?[0]["version"]?.int == 1)
            #expect(try await count(hub.db, "SELECT count(DISTINCT department_id)::int FROM records WHERE local_id = 'SHARED-1'") == 2)
        }
    }

    @Test("health and readiness need no signature; metrics need the metrics token, and count records and the ledger height")
    func operations() async throws {
        let t = try await TestHub.make()
        let item = t.inspectionItem
        try await t.serve { client, hub in
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.json["status"]?.string == "ready")
            let record = SampleRecords.inspection(
                localId: "M-1",
                catalogCode: item.catalogCode,
                implementationCode: item.code,
                agencyCode: item.agencyCode
            )
            _ = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([record]), as: t.scjg)
            let refused = try await client.execute(uri: "/metrics", method: .get)
            #expect(refused.status == .unauthorized)
            #expect(refused.json["errors"]?[0]["code"]?.string == "metrics_token_required")
            let wrong = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer not-the-token"])
            #expect(wrong.status == .unauthorized)
            let metrics = String(
                buffer: try await client.execute(
                    uri: "/metrics",
                    method: .get,
                    headers: [.authorization: "Bearer \(hub.metricsToken)"]
                ).body
            )
            #expect(metrics.contains("hub_records_total{status=\"accepted\",department=\"HY-SCJG\"} 1"))
            #expect(metrics.contains("hub_http_requests_total"))
            // 211 catalog entries from the sample import, then the record and its publication.
            #expect(metrics.contains("hub_ledger_height 213"))
        }
    }
}
