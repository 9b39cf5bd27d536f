import Foundation
import HubModel
import HubServer
import Testing

/// The whole path of issue #14 over signed HTTP and PostgreSQL: an observation pushed by a department is judged by
/// the five models in its batch's transaction, the warning becomes a city clue assigned by the map, the
/// department answers it to closure, and every step reaches the provincial simulator exactly once.
@Suite("Risk warning: observation → warning → closure → the province", .serialized)
struct RiskWarningFlowTests {
    /// A prescription drug sold online by a pharmacy with no 药品经营许可证 on file, without a prescription check.
    static let listing =
        #"{"observationId":"RX-1","kind":"listing","observedOn":"2026-11-02","subject":{"uscc":"\#(ObservationTests.pharmacy)","name":"衡阳某大药房"},"listing":{"platform":"某电商平台","shop":"某大药房旗舰店","productName":"阿莫西林胶囊","category":"drug","prescription":true,"prescriptionChecked":false,"seller":"衡阳某大药房","text":"无需处方，下单即发"}}"#

    @Test(
        "a listing without a licence raises two warnings once; the prescription clue is verified, disposed and closed; the province gets each step once"
    )
    func observationToProvince() async throws {
        let t = try await TestHub.make(environment: ClueTests.environment)
        let platform = try TestProvince.unreliablePlatform()
        try await TestProvince.serve(platform) { url in
            try await t.serve { client, hub in
                try await DisclosureTests.loadCalendars(hub)
                let pushed = try await client.signed(.post, ObservationTests.path, body: ObservationTests.body([Self.listing]), as: t.scjg)
                #expect(ObservationTests.statuses(pushed.json) == ["accepted"])
                let resent = try await client.signed(.post, ObservationTests.path, body: ObservationTests.body([Self.listing]), as: t.scjg)
                #expect(ObservationTests.statuses(resent.json) == ["duplicate"])

                let raised = try await client.signed(.get, "/api/v1/clues", as: t.scjg).json["clues"]!.array
                let models = Set(raised.compactMap { $0["model"]?.string })
                #expect(models == ["illegal_drug_sales", "illegal_prescription_sales"], "raised once, not again on the resend")
                let rx = try #require(raised.first { $0["model"]?.string == "illegal_prescription_sales" })
                let clueId = try #require(rx["clueId"]?.string)
                #expect(rx["status"]?.string == "assigned" && rx["assignedDepartment"]?.string == "HY-SCJG")
                let detail = try await client.signed(.get, "/api/v1/clues/\(clueId)", as: t.scjg).json
                let reasons = detail["clue"]?["reasons"]?.array ?? detail["reasons"]?.array ?? []
                #expect(!reasons.isEmpty, "the warning says why")

                let verified = try await client.signed(
                    .post,
                    "/api/v1/clues/\(clueId)/verification",
                    body: #"{"verdict":"true_positive","findings":"网店页面确无处方审核环节，已截图取证"}"#,
                    as: t.scjg
                )
                #expect(verified.status == .ok)
                let disposed = try await client.signed(
                    .post,
                    "/api/v1/clues/\(clueId)/disposition",
                    body: #"{"kind":"case_opened","caseNumber":"衡市监立〔2026〕88号"}"#,
                    as: t.scjg
                )
                #expect(disposed.status == .ok)
                let closed = try await client.signed(.post, "/api/v1/clues/\(clueId)/closure", body: #"{"note":"已立案"}"#, as: t.scjg)
                #expect(closed.status == .ok && closed.json["clue"]?["status"]?.string == "closed")
                #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE subject = 'clue:\(clueId)'") == 5)
            }
            let clueId = try await t.withDatabase { db in
                var id = ""
                for try await v in try await db.client.query(
                    "SELECT clue_id FROM clues WHERE model = 'illegal_prescription_sales'",
                    logger: db.logger
                )
                .decode(String.self) { id = v }
                return id
            }
            // Delivered, then delivered again after the rows are put back as if the answers had been lost.
            let settings = TestProvince.settings(url: url)
            for round in 1...2 {
                if round == 2 {
                    try await t.withDatabase { db in
                        try await db.client.query(
                            "UPDATE outbox SET state = 'pending', next_attempt_at = now() WHERE kind = 'clue_feedback'",
                            logger: db.logger
                        )
                    }
                }
                let delivery = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
                #expect(try await TestProvince.deliver([delivery], settings: settings, databaseURL: t.databaseURL))
                let feedback = try await SupervisionExchangeTests.get(url + "/sim/clue-feedback")
                let keys = (feedback["deliveries"]?.array.compactMap { $0["localId"]?.string } ?? []).filter { $0.contains(clueId) }
                #expect(keys.sorted() == ["assigned", "closed", "disposed", "received", "verified"].map { "clue_feedback:\(clueId):\($0)" })
                let stats = try await SupervisionExchangeTests.get(url + "/sim/stats")
                #expect(stats.n("acceptedTwice") == 0)
            }
        }
    }
}
