import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

/// Natural persons' ID and phone numbers: masked in every answer for anyone without `pii`, every lookup by
/// party a ledger entry, no log line carrying an ID number.
@Suite("Personal data")
struct PrivacyTests {
    static let citizenID = "11010519491231002X"
    static let mobile = "13812345678"

    /// An inspection of a citizen (nature 1, 居民身份证) whose facts carry a mobile number.
    static func citizenRecord(_ t: TestHub, localId: String) -> String {
        SampleRecords.inspection(
            localId: localId,
            catalogCode: t.inspectionItem.catalogCode,
            implementationCode: t.inspectionItem.code,
            agencyCode: t.inspectionItem.agencyCode
        )
        .replacingOccurrences(
            of: "\"name\":\"衡阳市某大药房有限公司\",\"nature\":\"2\",\"idType\":\"001\",\"idNumber\":\"91330105MA2KER1H4N\"",
            with: "\"name\":\"张某\",\"nature\":\"1\",\"idType\":\"111\",\"idNumber\":\"\(citizenID)\""
        )
        .replacingOccurrences(of: "对衡阳市某大药房的日常监督检查", with: "对个体经营者张某（电话\(mobile)）的日常监督检查")
    }

    /// Every log line a hub writes, with its metadata, at debug level.
    final class LogLines: Sendable {
        let lines = Mutex<[String]>([])
        var all: String { lines.withLock { $0.joined(separator: "\n") } }
    }

    struct CapturingHandler: LogHandler {
        let sink: LogLines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            sink.lines.withLock { $0.append("\(event.level) \(event.message) \(all) \(event.error.map { "\($0)" } ?? "")") }
        }
    }

    @Test("ID and phone numbers are masked in API answers and for console users without pii; lookups are ledger entries; logs carry no ID number")
    func masking() async throws {
        let t = try await TestHub.make()
        let sink = LogLines()
        let logger = Logger(label: "hub.capture") { _ in CapturingHandler(sink: sink) }
        let hub = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: logger)
        let app = try await buildApplication(hub, host: "127.0.0.1", port: 0)
        try await app.test(.live) { client in
            try await hub.opsUsers.add(username: "carol", displayName: "审计员", password: "correct horse battery", roles: [.auditor])
            try await hub.opsUsers.add(username: "pia", displayName: "个人信息查看员", password: "correct horse battery", roles: [.auditor, .pii])
            let push = try await client.signed(
                .post,
                "/api/v1/records",
                body: SampleRecords.batch([Self.citizenRecord(t, localId: "PII-1")]),
                as: t.scjg
            )
            #expect(push.json["results"]?[0]["status"]?.string == "accepted")

            // The department's own read-back: masked (a department key has no pii permission).
            let lookup = try await client.signed(.get, "/api/v1/records/PII-1", as: t.scjg)
            let text = String(buffer: lookup.body)
            #expect(lookup.status == .ok)
            #expect(!text.contains(Self.citizenID) && !text.contains(Self.mobile))
            #expect(lookup.json["versions"]?[0]["record"]?["party"]?["idNumber"]?.string == "1****************X")
            #expect(text.contains("138****5678"))
            let xml = try await client.signed(.get, "/api/v1/records/PII-1", as: t.scjg, extraHeaders: [.accept: "application/xml"])
            #expect(!String(buffer: xml.body).contains(Self.citizenID))

            // The console: masked for an auditor, shown to a holder of pii; each lookup by party is a ledger entry.
            let console = ConsoleTests()
            let carol = try await console.signIn(client, "carol")
            let pia = try await console.signIn(client, "pia")
            let (_, byParty) = try await console.get(client, "/console/records?uscc=\(Self.citizenID)", carol)
            #expect(byParty.contains("PII-1"), "the lookup finds the record")
            #expect(!byParty.contains(Self.citizenID.dropLast()), "the number is not echoed to a user without pii")
            let (_, history) = try await console.get(client, "/console/records?department=HY-SCJG&localId=PII-1", carol)
            #expect(!history.contains(Self.citizenID) && !history.contains(Self.mobile))
            #expect(history.contains("1****************X") && history.contains("138****5678"))
            let (_, unmasked) = try await console.get(client, "/console/records?department=HY-SCJG&localId=PII-1", pia)
            #expect(unmasked.contains(Self.citizenID) && unmasked.contains(Self.mobile))

            // The ops API lookup: masked without pii, and a ledger entry too.
            let login = try await client.execute(
                uri: "/api/v1/ops/login",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"username":"carol","password":"correct horse battery"}"#)
            )
            let token = try #require(login.json["token"]?.string)
            let api = try await client.execute(
                uri: "/api/v1/ops/records?party=\(Self.citizenID)",
                method: .get,
                headers: [.authorization: "Bearer \(token)"]
            )
            #expect(api.status == .ok)
            #expect(api.json["records"]?[0]["localId"]?.string == "PII-1")
            #expect(api.json["party"]?.string == "1****************X")
            #expect(!String(buffer: api.body).contains(Self.citizenID))
            let bad = try await client.execute(uri: "/api/v1/ops/records?party=%3Cx%3E", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(bad.status == .badRequest)
            #expect(bad.json["errors"]?[0]["path"]?.string == "party")

            // Who, whom, when: three lookups (console ×1 by carol, ops API ×1) — none holding the number itself.
            let fingerprint = OpsUserStore.lookupFingerprint(Self.citizenID)
            #expect(
                try await count(
                    hub.db,
                    "SELECT count(*)::int FROM ledger WHERE subject = 'party_lookup' AND payload LIKE '%\(fingerprint)%' AND payload LIKE '%\"by\":\"carol\"%'"
                ) == 2
            )
            #expect(
                try await count(
                    hub.db,
                    "SELECT count(*)::int FROM ledger WHERE subject = 'party_lookup' AND payload LIKE '%\"channel\":\"ops_api\"%'"
                ) == 1
            )
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'ops_action' AND payload LIKE '%\(Self.citizenID)%'") == 0)
        }
        let logs = sink.all
        #expect(logs.contains("/console/records"), "requests are logged")
        #expect(!logs.contains(Self.citizenID) && !logs.contains(Self.citizenID.lowercased()), "no log line carries the ID number")
    }

    @Test("an organisation's USCC and an agency's code are not masked")
    func organisationsAreNotMasked() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            let record = SampleRecords.inspection(
                localId: "ORG-1",
                catalogCode: t.inspectionItem.catalogCode,
                implementationCode: t.inspectionItem.code,
                agencyCode: t.inspectionItem.agencyCode
            )
            _ = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([record]), as: t.scjg)
            let lookup = try await client.signed(.get, "/api/v1/records/ORG-1", as: t.scjg)
            #expect(lookup.json["versions"]?[0]["record"]?["party"]?["idNumber"]?.string == "91330105MA2KER1H4N")
            #expect(lookup.json["versions"]?[0]["record"]?["agency"]?["code"]?.string == t.inspectionItem.agencyCode)
        }
    }
}
