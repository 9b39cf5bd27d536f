import Foundation
import HubModel
import HubServer
import HummingbirdTesting
import NIOCore
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
            try await ClueTests.deliverTwice(t, url: url) { feedback in
                let keys = (feedback["deliveries"]?.array.compactMap { $0["localId"]?.string } ?? []).filter { $0.contains(clueId) }
                #expect(keys.sorted() == ["assigned", "closed", "disposed", "received", "verified"].map { "clue_feedback:\(clueId):\($0)" })
            }
        }
    }
}

/// The console's risk pages over HTTP: the queue, a city warning's evidence with the matched text marked in the
/// observation, the verify/dispose/close forms (a mistake answered on the page), the month's report as a page and
/// as a PDF, and its publication to the ledger and the province's outbox.
@Suite("Risk warning console", .serialized)
struct RiskConsoleTests {
    @Test("queue → evidence with highlights → forms to closure → report page, PDF and publication")
    func console() async throws {
        let t = try await TestHub.make(environment: ClueTests.environment)
        let console = ConsoleTests()
        try await t.serve { client, hub in
            try await console.users(hub)
            try await DisclosureTests.loadCalendars(hub)
            let ad =
                #"{"observationId":"AD-9","kind":"advertisement","observedOn":"2026-11-05","subject":{"uscc":"\#(ObservationTests.hospital)","name":"衡阳某医院"},"advertisement":{"medium":"web","location":"https://example.cn/ad","text":"包治百病，治愈率高达99%，无效退款<script>","advertiser":"衡阳某医院","product":"medical_service"}}"#
            let pushed = try await client.signed(.post, ObservationTests.path, body: ObservationTests.body([ad]), as: t.scjg)
            #expect(ObservationTests.statuses(pushed.json) == ["accepted"])
            let clueId = try await t.withDatabase { db in
                var id = ""
                for try await v in try await db.client.query("SELECT clue_id FROM clues WHERE model = 'false_medical_ad'", logger: db.logger)
                    .decode(String.self)
                { id = v }
                return id
            }
            #expect(clueId.hasPrefix("W"))

            let dave = try await console.signIn(client, "dave")
            let (status, queue) = try await console.get(client, "/console/risk?model=false_medical_ad", dave)
            #expect(status == .ok && queue.contains(clueId) && queue.contains("虚假医疗广告监测") && queue.contains("id=\"risk-total\">1<"))
            let (_, empty) = try await console.get(client, "/console/risk?status=closed", dave)
            #expect(empty.contains("id=\"risk-total\">0<"))

            let (_, page) = try await console.get(client, "/console/risk/clues/\(clueId)", dave)
            #expect(
                page.contains("<mark>") && page.contains("&lt;script&gt;") && !page.contains("退款<script>"),
                "matched text marked, the rest escaped"
            )
            #expect(page.contains("id=\"clue-verify\""))

            let blank = try await console.post(client, "/console/risk/clues/\(clueId)", dave, "action=verify&verdict=true_positive&findings=")
            #expect(blank.status == .badRequest && ConsoleTests.text(blank).contains("请填写核查情况"))
            for form in [
                "action=verify&verdict=true_positive&findings=%E5%B9%BF%E5%91%8A%E5%B1%9E%E5%AE%9E",
                "action=dispose&kind=rectification_ordered&deadline=\(ReportMonthText.deadline)",
                "action=close&note=",
            ] {
                let r = try await console.post(client, "/console/risk/clues/\(clueId)", dave, form)
                #expect(r.status == .seeOther || r.status == .found, "\(form): \(r.status)")
            }
            let (_, closed) = try await console.get(client, "/console/risk/clues/\(clueId)", dave)
            #expect(closed.contains("已办结") && closed.contains("责令整改，期限 \(ReportMonthText.deadline)"))
            let late = try await console.post(client, "/console/risk/clues/\(clueId)", dave, "action=dispose&kind=no_problem")
            #expect(late.status == .conflict)

            let month = ReportMonthText.current
            let (reportStatus, report) = try await console.get(client, "/console/risk/reports?month=\(month)", dave)
            #expect(reportStatus == .ok && report.contains("id=\"report-raised\">1<") && report.contains("<svg"))
            let pdf = try await client.execute(uri: "/console/risk/reports/\(month).pdf", method: .get, headers: [.cookie: dave.cookie])
            #expect(pdf.status == .ok && pdf.headers[.contentType] == "application/pdf")
            #expect(String(buffer: pdf.body).hasPrefix("%PDF-1.4"))
            let (badStatus, _) = try await console.get(client, "/console/risk/reports?month=2026-13", dave)
            #expect(badStatus == .badRequest)

            let alice = try await console.signIn(client, "alice")
            let refused = try await console.post(client, "/console/risk/reports/\(month)/publish", alice, "")
            #expect(refused.status == .forbidden, "a reviewer does not publish")
            let published = try await console.post(client, "/console/risk/reports/\(month)/publish", dave, "")
            #expect(published.status == .seeOther || published.status == .found)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'risk_report'") == 1)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'risk_report' AND local_id = 'risk_report:\(month)'") == 1)
            let (_, after) = try await console.get(client, "/console/risk/reports?month=\(month)", dave)
            #expect(after.contains("已发布第 1 版"))
        }
    }
}

/// Dates the test writes, from the day it runs (Asia/Shanghai): the clues it raises are received today.
enum ReportMonthText {
    static var today: CalendarDate { CalendarDate(dayNumber: Int((Date().timeIntervalSince1970 + 8 * 3600) / 86_400)) }
    /// This month as `YYYY-MM`.
    static var current: String { String(today.description.prefix(7)) }
    /// A rectification deadline two months ahead (a deadline in the past is refused).
    static var deadline: String { CalendarDate(dayNumber: today.dayNumber + 60).description }
}
