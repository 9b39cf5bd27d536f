import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import NIOCore
import Supervision
import Testing

/// Captures real answers of the live server for `Schemas/tools/check_answers.py`, which the test command runs
/// after `swift test` to check them against the response schemas of `Schemas/openapi.yaml`.
@Suite("OpenAPI conformance (answers captured for Schemas/tools/check_answers.py)")
struct OpenAPIConformanceTests {
    static let directory = TestCluster.projectRoot.appendingPathComponent(".hub/api-samples")

    static func save(_ name: String, method: String, path: String, _ response: TestResponse) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let body = String(buffer: response.body)
        let sample = "{\"method\":\"\(method)\",\"path\":\"\(path)\",\"status\":\(response.status.code),\"body\":\(body)}"
        try sample.write(to: directory.appendingPathComponent(name + ".json"), atomically: true, encoding: .utf8)
    }

    @Test("the server's answers for every documented operation are captured")
    func capture() async throws {
        try? FileManager.default.removeItem(at: Self.directory)
        let t = try await TestHub.make()
        let item = t.inspectionItem
        try await t.serve { client, hub in
            for (name, roles) in [("alice", [OpsUser.Role.reviewer]), ("bob", [.approver])] {
                try await hub.opsUsers.add(username: name, displayName: name, password: "correct horse battery", roles: Set(roles))
            }
            let valid = SampleRecords.inspection(
                localId: "OA-1",
                catalogCode: item.catalogCode,
                implementationCode: item.code,
                agencyCode: item.agencyCode
            )
            let held = SampleRecords.inspection(
                localId: "OA-2",
                catalogCode: nil,
                implementationCode: nil,
                agencyCode: item.agencyCode,
                localCode: "SCJG-JC-7"
            )
            .replacingOccurrences(of: "《中华人民共和国药品管理法》第九十九条", with: "《食品安全法》第110条")
            let bad = valid.replacingOccurrences(of: "OA-1", with: "OA-3").replacingOccurrences(of: "91330105MA2KER1H4N", with: "91330105MA2KER1H4M")
            let push = try await client.signed(
                .post,
                "/api/v1/records",
                body: SampleRecords.batch([valid, held, bad, valid], batchId: "2026112600001"),
                as: t.scjg
            )
            #expect(push.status == .ok)
            try Self.save("push-mixed", method: "post", path: "/api/v1/records", push)
            try Self.save(
                "push-malformed",
                method: "post",
                path: "/api/v1/records",
                try await client.signed(.post, "/api/v1/records", body: "{\"records\":", as: t.scjg)
            )
            try Self.save(
                "push-unsigned",
                method: "post",
                path: "/api/v1/records",
                try await client.execute(uri: "/api/v1/records", method: .post, body: ByteBuffer(string: "{}"))
            )
            try Self.save(
                "push-media-type",
                method: "post",
                path: "/api/v1/records",
                try await client.signed(.post, "/api/v1/records", body: "x", as: t.scjg, contentType: "text/plain")
            )
            try Self.save(
                "record-history",
                method: "get",
                path: "/api/v1/records/OA-1",
                try await client.signed(.get, "/api/v1/records/OA-1", as: t.scjg)
            )
            try Self.save(
                "record-missing",
                method: "get",
                path: "/api/v1/records/NOPE",
                try await client.signed(.get, "/api/v1/records/NOPE", as: t.scjg)
            )

            let login = try await client.execute(
                uri: "/api/v1/ops/login",
                method: .post,
                body: ByteBuffer(string: "{\"username\":\"alice\",\"password\":\"correct horse battery\"}")
            )
            try Self.save("ops-login", method: "post", path: "/api/v1/ops/login", login)
            let alice: HTTPFields = [.authorization: "Bearer \(login.json["token"]?.string ?? "")"]
            let bobLogin = try await client.execute(
                uri: "/api/v1/ops/login",
                method: .post,
                body: ByteBuffer(string: "{\"username\":\"bob\",\"password\":\"correct horse battery\"}")
            )
            let bob: HTTPFields = [.authorization: "Bearer \(bobLogin.json["token"]?.string ?? "")"]
            try Self.save(
                "ops-login-bad",
                method: "post",
                path: "/api/v1/ops/login",
                try await client.execute(
                    uri: "/api/v1/ops/login",
                    method: .post,
                    body: ByteBuffer(string: "{\"username\":\"alice\",\"password\":\"wrong\"}")
                )
            )
            let list = try await client.execute(uri: "/api/v1/ops/reviews", method: .get, headers: alice)
            try Self.save("ops-reviews", method: "get", path: "/api/v1/ops/reviews", list)
            try Self.save(
                "ops-records-of-party",
                method: "get",
                path: "/api/v1/ops/records",
                try await client.execute(uri: "/api/v1/ops/records?party=91330105MA2KER1H4N", method: .get, headers: alice)
            )
            try Self.save(
                "ops-records-bad-party",
                method: "get",
                path: "/api/v1/ops/records",
                try await client.execute(uri: "/api/v1/ops/records?party=%3C", method: .get, headers: alice)
            )
            let id = list.json["reviews"]?[0]["id"]?.int ?? 0
            try Self.save(
                "ops-review",
                method: "get",
                path: "/api/v1/ops/reviews/\(id)",
                try await client.execute(uri: "/api/v1/ops/reviews/\(id)", method: .get, headers: alice)
            )
            try Self.save(
                "ops-review-missing",
                method: "get",
                path: "/api/v1/ops/reviews/999999",
                try await client.execute(uri: "/api/v1/ops/reviews/999999", method: .get, headers: alice)
            )
            let decide = "{\"relationship\":\"equivalent\",\"catalogCode\":\"43012100010000\",\"reason\":\"同源\"}"
            try Self.save(
                "ops-decide",
                method: "post",
                path: "/api/v1/ops/reviews/\(id)/decide",
                try await client.execute(uri: "/api/v1/ops/reviews/\(id)/decide", method: .post, headers: alice, body: ByteBuffer(string: decide))
            )
            try Self.save(
                "ops-approve-own",
                method: "post",
                path: "/api/v1/ops/reviews/\(id)/approve",
                try await client.execute(uri: "/api/v1/ops/reviews/\(id)/approve", method: .post, headers: alice, body: ByteBuffer(string: "{}"))
            )
            try Self.save(
                "ops-approve",
                method: "post",
                path: "/api/v1/ops/reviews/\(id)/approve",
                try await client.execute(uri: "/api/v1/ops/reviews/\(id)/approve", method: .post, headers: bob, body: ByteBuffer(string: "{}"))
            )
            try Self.save(
                "ops-unauthenticated",
                method: "get",
                path: "/api/v1/ops/reviews",
                try await client.execute(uri: "/api/v1/ops/reviews", method: .get)
            )
            try Self.save("receipts", method: "get", path: "/api/v1/receipts", try await client.signed(.get, "/api/v1/receipts?after=0", as: t.scjg))

            _ = try await hub.ledgerCheckpoints.create(by: "test")
            _ = try await hub.ledgerCheckpoints.create(by: "test")
            let heads = try await client.execute(uri: "/api/v1/ledger/checkpoints?limit=5", method: .get)
            try Self.save("ledger-checkpoints", method: "get", path: "/api/v1/ledger/checkpoints", heads)
            let sizes = heads.json["checkpoints"]?.array.compactMap { $0["treeSize"]?.int } ?? []
            try Self.save(
                "ledger-consistency",
                method: "get",
                path: "/api/v1/ledger/consistency",
                try await client.execute(uri: "/api/v1/ledger/consistency?from=\(sizes.last ?? 0)&to=\(sizes.first ?? 0)", method: .get)
            )
            try Self.save(
                "ledger-consistency-bad",
                method: "get",
                path: "/api/v1/ledger/consistency",
                try await client.execute(uri: "/api/v1/ledger/consistency?from=x", method: .get)
            )
            try Self.save(
                "ledger-consistency-missing",
                method: "get",
                path: "/api/v1/ledger/consistency",
                try await client.execute(uri: "/api/v1/ledger/consistency?from=1&to=999999", method: .get)
            )
            try await Self.captureLibraries(client, t)
            try await Self.captureRandomChecks(client, hub, t)
            try await Self.captureBulletins(client, t)
            try await Self.capturePublications(client, t)
            try await Self.captureObservations(client, t)
            try await Self.captureClues(client, hub, t)
            try await Self.captureCatalog(client, t)
        }
        let captured = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path)
        #expect(captured.count == 71 + 14 + 3)
    }

    /// The department catalog: a page, another department's (403), a cursor it did not give (400).
    static func captureCatalog(_ client: any TestClientProtocol, _ t: TestHub) async throws {
        let path = "/api/v1/catalog"
        try save("catalog", method: "get", path: path, try await client.signed(.get, "\(path)?limit=3", as: t.scjg))
        try save("catalog-other-department", method: "get", path: path, try await client.signed(.get, "\(path)?department=HY-WJ", as: t.scjg))
        try save("catalog-bad-cursor", method: "get", path: path, try await client.signed(.get, "\(path)?changedSince=abc", as: t.scjg))
    }

    /// The 一单两库 endpoints: a mixed push, a refused one, a subject, a missing subject, the inspectors.
    static func captureLibraries(_ client: any TestClientProtocol, _ t: TestHub) async throws {
        let uscc = "91330105MA2KER1H4N"
        let subjects =
            "{\"subjects\":[{\"id\":\"\(uscc)\",\"name\":\"示例大药房\",\"regionCode\":\"430405\",\"creditGrade\":\"A\"},{\"id\":\"x\",\"name\":\"x\"}]}"
        let path = "/api/v1/random-checks/subjects"
        try save("library-push", method: "post", path: path, try await client.signed(.post, path, body: subjects, as: t.scjg))
        try save("library-push-malformed", method: "post", path: path, try await client.signed(.post, path, body: "{\"subjects\":", as: t.scjg))
        let inspectors = "{\"inspectors\":[{\"certificateNo\":\"43040020260001\",\"name\":\"张伟\",\"regionCode\":\"430400\"}]}"
        let inspectorsPath = "/api/v1/random-checks/inspectors"
        try save(
            "library-push-inspectors",
            method: "post",
            path: inspectorsPath,
            try await client.signed(.post, inspectorsPath, body: inspectors, as: t.scjg)
        )
        try save("library-inspectors", method: "get", path: inspectorsPath, try await client.signed(.get, inspectorsPath, as: t.scjg))
        try save("library-subject", method: "get", path: "\(path)/\(uscc)", try await client.signed(.get, "\(path)/\(uscc)", as: t.wj))
        try save("library-subject-missing", method: "get", path: "\(path)/none", try await client.signed(.get, "\(path)/none", as: t.wj))
    }

    /// The risk observations push: a mixed batch (accepted and rejected rows), its resend (duplicates), a batch
    /// the hub cannot read.
    static func captureObservations(_ client: any TestClientProtocol, _ t: TestHub) async throws {
        let path = "/api/v1/risk/observations"
        let example = try String(
            contentsOf: TestCluster.projectRoot.appendingPathComponent("Schemas/examples/observations-valid.json"),
            encoding: .utf8
        )
        let mixed = example.replacingOccurrences(
            of: "\"observationId\": \"L-2026-0001\"",
            with: "\"observationId\": \"L-2026-0001\", \"regionCode\": \"4304\""
        )
        try save("observations-push", method: "post", path: path, try await client.signed(.post, path, body: mixed, as: t.scjg))
        try save("observations-resend", method: "post", path: path, try await client.signed(.post, path, body: mixed, as: t.scjg))
        try save(
            "observations-malformed",
            method: "post",
            path: path,
            try await client.signed(.post, path, body: "{\"observations\":", as: t.scjg)
        )
    }

    /// The random-check operations: a plan proposed, approved by another person, drawn, its public form, the
    /// department's tasks, merges, the visit report, a substitution — and their refusals.
    static func captureRandomChecks(_ client: any TestClientProtocol, _ hub: HubContext, _ t: TestHub) async throws {
        try await hub.opsUsers.add(username: "dave", displayName: "dave", password: "correct horse battery", roles: [.reviewer, .approver])
        let libraries = RandomCheckLibraries(db: hub.db)
        try await libraries.item("HY-SCJG", "43012100010000")
        try await libraries.item("HY-WJ", "43012100020000")
        try await libraries.subject("914304000000000001", grade: "D")
        for n in 0..<3 {
            try await libraries.inspector("SC-\(n)", department: "HY-SCJG")
            try await libraries.inspector("WJ-\(n)", department: "HY-WJ")
        }
        let dave = try await opsLogin(client, "dave")
        let bob = try await opsLogin(client, "bob")
        func post(_ name: String, _ path: String, _ headers: HTTPFields, _ body: String = "{}", template: String? = nil) async throws -> TestResponse
        {
            let r = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
            try save(name, method: "post", path: template ?? path, r)
            return r
        }
        func get(_ name: String, _ path: String, _ headers: HTTPFields = [:]) async throws {
            try save(name, method: "get", path: path, try await client.execute(uri: path, method: .get, headers: headers))
        }
        let plan = { (id: String, lead: String, item: String) in
            """
            {"planId":"\(id)","name":"抽查","leadDepartment":"\(lead)","items":{"\(lead)":["\(item)"]},"ratios":{"D":10000},\
            "periodStart":"2026-12-01","periodEnd":"2026-12-31"}
            """
        }
        let plans = "/api/v1/ops/random-checks/plans"
        _ = try await post("rc-propose", plans, dave, plan("OA-SC", "HY-SCJG", "43012100010000"))
        _ = try await post("rc-propose-invalid", plans, dave, "{\"planId\":\"bad id\"}")
        _ = try await post("rc-propose-exists", plans, dave, plan("OA-SC", "HY-SCJG", "43012100010000"))
        _ = try await post("rc-approve-own", plans + "/OA-SC/approve", dave)
        try await get("rc-public-before", "/api/v1/random-checks/plans/OA-SC")
        _ = try await post("rc-approve", plans + "/OA-SC/approve", bob)
        _ = try await post("rc-draw", plans + "/OA-SC/draw", dave)
        _ = try await post("rc-draw-again", plans + "/OA-SC/draw", dave)
        _ = try await post("rc-draw-missing", plans + "/NOPE/draw", dave)
        _ = try await post("rc-propose-wj", plans, dave, plan("OA-WJ", "HY-WJ", "43012100020000"))
        _ = try await post("rc-approve-wj", plans + "/OA-WJ/approve", bob)
        _ = try await post("rc-draw-wj", plans + "/OA-WJ/draw", dave)
        try await get("rc-plans", plans, dave)
        try await get("rc-public-after", "/api/v1/random-checks/plans/OA-SC")
        try await get("rc-public-missing", "/api/v1/random-checks/plans/NOPE")
        try save(
            "rc-tasks",
            method: "get",
            path: "/api/v1/random-checks/tasks",
            try await client.signed(.get, "/api/v1/random-checks/tasks?after=0", as: t.scjg)
        )
        let merges = try await client.execute(uri: "/api/v1/ops/random-checks/merges", method: .get, headers: bob)
        try save("rc-merges", method: "get", path: "/api/v1/ops/random-checks/merges", merges)
        let id = merges.json["merges"]?[0]["id"]?.int ?? 0
        _ = try await post("rc-merge-accept", "/api/v1/ops/random-checks/merges/\(id)/accept", bob)
        _ = try await post("rc-merge-decline-decided", "/api/v1/ops/random-checks/merges/\(id)/decline", bob)
        try await get("rc-visits", "/api/v1/ops/random-checks/reports/visits", bob)
        _ = try await post(
            "rc-substitution",
            "/api/v1/ops/random-checks/tasks/OA-SC-914304000000000001/substitutions",
            dave,
            "{\"department\":\"HY-SCJG\",\"replaces\":\"NOPE\",\"certificateNo\":\"SC-2\",\"reason\":\"病假\"}"
        )
    }

    /// 监管动态 and 曝光台: proposed, refused, approved (and approved again), listed for ops and the public, one
    /// item, withdrawn. Uses the users `captureRandomChecks` added (dave writes, bob approves).
    static func captureBulletins(_ client: any TestClientProtocol, _ t: TestHub) async throws {
        let item = t.penaltyItem
        let penalty = SampleRecords.penalty(
            localId: "OA-CF",
            catalogCode: item.catalogCode,
            implementationCode: item.code,
            agencyCode: item.agencyCode
        )
        _ = try await client.signed(.post, "/api/v1/records", body: SampleRecords.batch([penalty]), as: t.scjg)
        let dave = try await opsLogin(client, "dave")
        let bob = try await opsLogin(client, "bob")
        let path = "/api/v1/ops/bulletins"
        func post(_ name: String, _ uri: String, _ headers: HTTPFields, _ body: String = "{}", template: String) async throws -> TestResponse {
            let r = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
            try save(name, method: "post", path: template, r)
            return r
        }
        let exposure = #"{"kind":"exposure","department":"HY-SCJG","title":"销售劣药","body":"依法查处。","recordLocalId":"OA-CF"}"#
        let proposed = try await post("bulletin-propose", path, dave, exposure, template: path)
        _ = try await post("bulletin-propose-invalid", path, dave, #"{"kind":"news"}"#, template: path)
        _ = try await post("bulletin-propose-no-record", path, dave, exposure.replacingOccurrences(of: "OA-CF", with: "OA-NONE"), template: path)
        let id = proposed.json["id"]?.int ?? 0
        let approve = "\(path)/{id}/approve"
        _ = try await post("bulletin-approve-own", "\(path)/\(id)/approve", dave, template: approve)
        _ = try await post("bulletin-approve", "\(path)/\(id)/approve", bob, template: approve)
        _ = try await post("bulletin-approve-again", "\(path)/\(id)/approve", bob, template: approve)
        try save("bulletin-list", method: "get", path: path, try await client.execute(uri: path, method: .get, headers: bob))
        let publicPath = "/public/v1/bulletins"
        try save("bulletin-public-list", method: "get", path: publicPath, try await client.execute(uri: publicPath + "?kind=exposure", method: .get))
        try save(
            "bulletin-public-item",
            method: "get",
            path: "\(publicPath)/\(id)",
            try await client.execute(uri: "\(publicPath)/\(id)", method: .get)
        )
        let withdraw = "\(path)/{id}/withdraw"
        _ = try await post("bulletin-withdraw", "\(path)/\(id)/withdraw", bob, #"{"reason":"复议撤销"}"#, template: withdraw)
        _ = try await post("bulletin-withdraw-again", "\(path)/\(id)/withdraw", bob, #"{"reason":"复议撤销"}"#, template: withdraw)
        try save(
            "bulletin-public-missing",
            method: "get",
            path: "\(publicPath)/\(id)",
            try await client.execute(uri: "\(publicPath)/\(id)", method: .get)
        )
    }

    /// 行政执法公示: the public list (and a refused search), one publication, a missing one; withdrawals by the
    /// department and by ops, and their refusals. Uses the penalty record `captureBulletins` pushed (OA-CF).
    static func capturePublications(_ client: any TestClientProtocol, _ t: TestHub) async throws {
        let list = "/public/v1/publications"
        let page = try await client.execute(uri: list, method: .get)
        try save("publication-list", method: "get", path: list, page)
        try save("publication-list-invalid", method: "get", path: list, try await client.execute(uri: list + "?limit=0", method: .get))
        let id = page.json["items"]?[0]["id"]?.int ?? 0
        try save("publication-item", method: "get", path: "\(list)/\(id)", try await client.execute(uri: "\(list)/\(id)", method: .get))
        try save("publication-missing", method: "get", path: "\(list)/999999", try await client.execute(uri: "\(list)/999999", method: .get))
        let withdrawals = "/api/v1/publications/withdrawals"
        let refused = #"{"localId":"OA-CF","reason":"oops","date":"2026-12-01"}"#
        try save(
            "publication-withdraw-invalid",
            method: "post",
            path: withdrawals,
            try await client.signed(.post, withdrawals, body: refused, as: t.scjg)
        )
        let body = #"{"localId":"OA-CF","reason":"revoked","text":"经复议撤销","date":"2026-12-01"}"#
        try save("publication-withdraw", method: "post", path: withdrawals, try await client.signed(.post, withdrawals, body: body, as: t.scjg))
        let ops = "/api/v1/ops/publications/withdrawals"
        let dave = try await opsLogin(client, "dave")
        let again = "{\"publicationId\":\(id),\"reason\":\"revoked\",\"date\":\"2026-12-02\"}"
        let r = try await client.execute(uri: ops, method: .post, headers: dave, body: ByteBuffer(string: again))
        try save("publication-ops-withdraw-again", method: "post", path: ops, r)
    }

    /// The clue endpoints: a city warning listed, read, verified, disposed of and closed, with refusals; ops list and assignment.
    static func captureClues(_ client: any TestClientProtocol, _ hub: HubContext, _ t: TestHub) async throws {
        try await DisclosureTests.loadCalendars(hub)
        let warning = RiskWarning(
            model: .falseMedicalAd,
            modelVersion: "1",
            observationId: "OA-AD-1",
            department: "HY-SCJG",
            subject: ObservedSubject(uscc: nil, name: "某医院"),
            score: 1,
            threshold: 1,
            reasons: [
                FiredRule(
                    ruleId: "cure_rate",
                    description: "宣称治愈率",
                    weight: 1,
                    matches: [TextMatch(field: "text", offset: 0, length: 3, text: "治愈率")]
                )
            ]
        )
        let id = try await hub.clues.raise(
            [warning],
            regionCode: "430405",
            now: Date(timeIntervalSince1970: Timestamp("2026-11-02T10:00:00+08:00")!.epochSeconds)
        )[0]
        func signed(_ name: String, _ method: HTTPRequest.Method, _ path: String, _ body: String = "") async throws {
            try save(name, method: method == .get ? "get" : "post", path: path, try await client.signed(method, path, body: body, as: t.scjg))
        }
        try await signed("clues-list", .get, "/api/v1/clues")
        try await signed("clue-get", .get, "/api/v1/clues/\(id)")
        try await signed("clue-get-missing", .get, "/api/v1/clues/NOPE")
        try await signed("clue-dispose-early", .post, "/api/v1/clues/\(id)/disposition", #"{"kind":"no_problem"}"#)
        try await signed("clue-verify", .post, "/api/v1/clues/\(id)/verification", #"{"verdict":"true_positive","findings":"属实"}"#)
        try await signed("clue-verify-bad", .post, "/api/v1/clues/\(id)/verification", #"{"verdict":"maybe","findings":"x"}"#)
        try await signed("clue-dispose-bad", .post, "/api/v1/clues/\(id)/disposition", #"{"kind":"case_opened"}"#)
        try await signed("clue-dispose", .post, "/api/v1/clues/\(id)/disposition", #"{"kind":"case_opened","caseNumber":"A-1"}"#)
        try await signed("clue-close", .post, "/api/v1/clues/\(id)/closure", #"{"note":"办结"}"#)
        try await signed("clue-close-again", .post, "/api/v1/clues/\(id)/closure", "{}")
        let alice = try await opsLogin(client, "alice")
        try save(
            "ops-clues",
            method: "get",
            path: "/api/v1/ops/clues",
            try await client.execute(uri: "/api/v1/ops/clues?origin=city&limit=5", method: .get, headers: alice)
        )
        try save(
            "ops-clues-bad",
            method: "get",
            path: "/api/v1/ops/clues",
            try await client.execute(uri: "/api/v1/ops/clues?overdue=maybe", method: .get, headers: alice)
        )
        let assign = "/api/v1/ops/clues/\(id)/assignment"
        try save(
            "ops-clue-assign-closed",
            method: "post",
            path: assign,
            try await client.execute(uri: assign, method: .post, headers: alice, body: ByteBuffer(string: #"{"department":"HY-WJ"}"#))
        )
        try save(
            "ops-clue-assign-unknown",
            method: "post",
            path: assign,
            try await client.execute(uri: assign, method: .post, headers: alice, body: ByteBuffer(string: #"{"department":"NOPE"}"#))
        )
    }
}
