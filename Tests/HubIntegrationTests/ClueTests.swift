import Exchange
import Foundation
import HTTPTypes
import HubModel
import HubServer
import HubStore
import Hummingbird
import HummingbirdTesting
import NIOCore
import ProvinceSimulator
import Supervision
import Testing

/// Clues followed to closure over signed HTTP and PostgreSQL: a provincial clue from the simulator's feed and a city
/// warning through one lifecycle, refusals with their codes, a ledger entry per step, the province's feedback
/// delivered exactly once (also after a redelivery), and the overdue flag on the right working day.
@Suite("Clues followed to closure", .serialized)
struct ClueTests {
    /// The overdue pass off: these tests run it with an injected day.
    static let environment = ["HUB_CLUE_OVERDUE_MINUTES": "0"]

    static func shanghai(_ day: String) -> Date { Date(timeIntervalSince1970: Timestamp(day + "T10:00:00+08:00")!.epochSeconds) }

    static func warning(_ model: RiskModelID, observation: String, department: String = "HY-SCJG") -> RiskWarning {
        RiskWarning(
            model: model,
            modelVersion: "2026.1",
            observationId: observation,
            department: department,
            subject: ObservedSubject(uscc: "91430405MA4L0XXXXX", name: "衡阳某某医院"),
            score: 1.5,
            threshold: 1.0,
            reasons: [
                FiredRule(
                    ruleId: "cure_rate",
                    description: "宣称治愈率或保证疗效",
                    weight: 1.0,
                    matches: [TextMatch(field: "text", offset: 4, length: 4, text: "治愈率高")],
                    facts: []
                ),
                FiredRule(ruleId: "no_approval", description: "医疗广告无审查批准文号", weight: 0.5, facts: ["广告未载明医疗广告审查证明文号"]),
            ]
        )
    }

    static func code(_ r: TestResponse) -> String { r.json["errors"]?[0]["code"]?.string ?? "" }

    /// Delivers the outbox to the simulator, then again after the `clue_feedback` rows are put back as if the
    /// answers had been lost; `check` reads what the simulator kept after each round, and no row may be accepted twice.
    static func deliverTwice(_ t: TestHub, url: String, check: (JSONValue) throws -> Void) async throws {
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
            try check(try await SupervisionExchangeTests.get(url + "/sim/clue-feedback"))
            let stats = try await SupervisionExchangeTests.get(url + "/sim/stats")
            #expect(stats.n("acceptedTwice") == 0)
        }
    }

    @Test(
        "a provincial clue: feed → assigned → refusals → verified → disposed (case opened) → closed; feedback reaches the province once, also when redelivered"
    )
    func provincialClue() async throws {
        let t = try await TestHub.make(environment: Self.environment)
        let platform = try TestProvince.unreliablePlatform()
        await platform.issue(
            clue: RiskClue(
                seq: 0,
                clueId: "FX-0001",
                model: "非法销售处方药品",
                departments: ["HY-SCJG", "HY-WJ"],
                subjectUSCC: "91330105MA2KER1H4N",
                subjectName: "衡阳市某大药房有限公司",
                summary: "网店销售处方药未核验处方",
                evidence: "商品页：无需处方，下单即发",
                issuedAt: "2026-11-26T09:00:00+08:00"
            )
        )
        try await TestProvince.serve(platform) { url in
            let pull = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            let service = ProvincePullService(
                hub: pull,
                client: ProvinceClient(configuration: TestProvince.settings(url: url, timeout: .seconds(5)).province!)
            )
            try await t.serve { client, hub in
                try await DisclosureTests.loadCalendars(hub)
                try await pull.db.withRunning { _ in
                    await service.pullOnce()
                    await service.pullOnce()
                }
                // Kept once, assigned to the first named department, with its verification deadline.
                let list = try await client.signed(.get, "/api/v1/clues", as: t.scjg).json["clues"]!.array
                #expect(list.count == 1)
                let listed = list[0]
                #expect(listed["model"]?.string == "非法销售处方药品", "the province's body as before")
                #expect(listed["status"]?.string == "assigned" && listed["assignedDepartment"]?.string == "HY-SCJG")
                #expect(listed["verificationDue"]?.string?.count == 10)
                let wjList = try await client.signed(.get, "/api/v1/clues", as: t.wj).json["clues"]!.array
                #expect(wjList.first?["status"]?.string == "assigned", "a co-named department reads it too")

                // Refusals: another department answers; steps out of order; a case without its number.
                let verify = #"{"verdict":"true_positive","findings":"网店确未核验处方，已固定证据"}"#
                let wrong = try await client.signed(.post, "/api/v1/clues/FX-0001/verification", body: verify, as: t.wj)
                #expect(wrong.status == .forbidden && Self.code(wrong) == "wrong_department")
                let early = try await client.signed(.post, "/api/v1/clues/FX-0001/disposition", body: #"{"kind":"no_problem"}"#, as: t.scjg)
                #expect(early.status == .conflict && Self.code(early) == "step_out_of_order")
                let unknown = try await client.signed(.post, "/api/v1/clues/NOPE/verification", body: verify, as: t.scjg)
                #expect(unknown.status == .notFound && Self.code(unknown) == "clue_not_found")
                let badVerdict = try await client.signed(.post, "/api/v1/clues/FX-0001/verification", body: #"{"verdict":"maybe"}"#, as: t.scjg)
                #expect(badVerdict.status == .badRequest && Self.code(badVerdict) == "invalid_verdict")
                let typo = try await client.signed(
                    .post,
                    "/api/v1/clues/FX-0001/verification",
                    body: #"{"verdict":"true_positive","finding":"x"}"#,
                    as: t.scjg
                )
                #expect(typo.status == .badRequest && Self.code(typo) == "unknown_field")

                let verified = try await client.signed(.post, "/api/v1/clues/FX-0001/verification", body: verify, as: t.scjg)
                #expect(verified.status == .ok && verified.json["result"]?.string == "applied")
                #expect(verified.json["clue"]?["status"]?.string == "verified" && verified.json["clue"]?["disposalDue"]?.string != nil)
                let again = try await client.signed(.post, "/api/v1/clues/FX-0001/verification", body: verify, as: t.scjg)
                #expect(again.status == .ok && again.json["result"]?.string == "duplicate", "a resend after a lost answer writes nothing")
                let noNumber = try await client.signed(.post, "/api/v1/clues/FX-0001/disposition", body: #"{"kind":"case_opened"}"#, as: t.scjg)
                #expect(noNumber.status == .badRequest && Self.code(noNumber) == "case_number_required")
                let disposed = try await client.signed(
                    .post,
                    "/api/v1/clues/FX-0001/disposition",
                    body: #"{"kind":"case_opened","caseNumber":"衡市监立〔2026〕101号"}"#,
                    as: t.scjg
                )
                #expect(disposed.status == .ok && disposed.json["clue"]?["disposition"]?["caseNumber"]?.string == "衡市监立〔2026〕101号")
                let closed = try await client.signed(.post, "/api/v1/clues/FX-0001/closure", body: #"{"note":"已立案查处"}"#, as: t.scjg)
                #expect(closed.status == .ok && closed.json["clue"]?["status"]?.string == "closed")
                let late = try await client.signed(.post, "/api/v1/clues/FX-0001/disposition", body: #"{"kind":"no_problem"}"#, as: t.scjg)
                #expect(late.status == .conflict && Self.code(late) == "clue_closed")

                let detail = try await client.signed(.get, "/api/v1/clues/FX-0001", as: t.scjg)
                #expect(detail.json["steps"]?.array.compactMap { $0["step"]?.string } == ["received", "assigned", "verified", "disposed", "closed"])
                #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE subject = 'clue:FX-0001'") == 5)
                #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'clue_feedback'") == 4)
                #expect(try await count(hub.db, "SELECT count(*)::int FROM clues") == 1, "pulled twice, kept once")
            }
            // Delivery through faults, then once more after the rows are put back as if the answer had been lost.
            try await Self.deliverTwice(t, url: url) { feedback in
                let keys = feedback["deliveries"]?.array.compactMap { $0["localId"]?.string } ?? []
                #expect(
                    keys.sorted() == [
                        "clue_feedback:FX-0001:assigned", "clue_feedback:FX-0001:closed", "clue_feedback:FX-0001:disposed",
                        "clue_feedback:FX-0001:verified",
                    ]
                )
                #expect(feedback["steps"]?.n("disposed") == 1)
            }
        }
    }

    @Test(
        "a city warning: raised once per model, department and observation, assigned by the map, a false positive closes at once; ops assign the unmapped"
    )
    func cityWarning() async throws {
        let t = try await TestHub.make(environment: Self.environment)
        try await t.serve { client, hub in
            try await DisclosureTests.loadCalendars(hub)
            try await hub.opsUsers.add(username: "olga", displayName: "olga", password: "correct horse battery", roles: [.reviewer])
            let ops = try await opsLogin(client, "olga")
            let now = Self.shanghai("2026-11-02")
            let ad = Self.warning(.falseMedicalAd, observation: "AD-1")
            let ids = try await hub.db.client.withTransaction(logger: hub.logger) { conn in
                try await hub.clues.raise([ad, Self.warning(.illegalFundraising, observation: "C-1")], regionCode: "430405", on: conn, now: now)
            }
            #expect(ids.count == 2 && ids.allSatisfy { $0.hasPrefix("W") })
            let again = try await hub.clues.raise([ad], regionCode: "430405", now: now)
            #expect(again == [ids[0]], "the same warning is not raised twice")
            #expect(try await count(hub.db, "SELECT count(*)::int FROM clues WHERE origin = 'city'") == 2)

            let adClue = try #require(try await hub.clues.detail(ids[0]))
            #expect(adClue.clue.status == .assigned && adClue.clue.state.department == "HY-SCJG")
            #expect(adClue.clue.state.verificationDue == CalendarDate("2026-11-23") && adClue.clue.regionCode == "430405")
            #expect(adClue.clue.evidence["reasons"]?[0]["matches"]?[0]["text"]?.string == "治愈率高")
            let fund = try #require(try await hub.clues.detail(ids[1]))
            #expect(fund.clue.status == .pending, "HY-JRJ is not a department of this hub: ops assign it")

            // Listed for the department with the reasons; the false positive closes it at once.
            let listed = try await client.signed(.get, "/api/v1/clues", as: t.scjg).json["clues"]!.array
            #expect(listed.first?["clueId"]?.string == ids[0] && listed.first?["reasons"]?.array.count == 2)
            let fp = try await client.signed(
                .post,
                "/api/v1/clues/\(ids[0])/verification",
                body: #"{"verdict":"false_positive","findings":"该院持有效医疗广告审查证明，文字系转载误报"}"#,
                as: t.scjg
            )
            #expect(fp.json["clue"]?["status"]?.string == "closed" && fp.json["clue"]?["disposition"]?["kind"]?.string == "no_problem")
            #expect(
                try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'clue_feedback'") == 5,
                "the province hears of each city warning (received, with its reasons) and of every step"
            )
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind LIKE 'clue_%'") == 5)

            // Ops: the pending clue in the list, assigned to 卫健 (a department the hub knows), then answered there.
            let pending = try await client.execute(uri: "/api/v1/ops/clues?status=pending&origin=city", method: .get, headers: ops)
            #expect(pending.json["total"]?.int == 1 && pending.json["clues"]?[0]["clueId"]?.string == ids[1])
            let bad = try await client.execute(uri: "/api/v1/ops/clues?status=nope", method: .get, headers: ops)
            #expect(bad.status == .badRequest && Self.code(bad) == "invalid_query_parameter")
            let nowhere = try await client.execute(
                uri: "/api/v1/ops/clues/\(ids[1])/assignment",
                method: .post,
                headers: ops,
                body: ByteBuffer(string: #"{"department":"HY-JRJ"}"#)
            )
            #expect(nowhere.status == .badRequest && Self.code(nowhere) == "unknown_department")
            let assigned = try await client.execute(
                uri: "/api/v1/ops/clues/\(ids[1])/assignment",
                method: .post,
                headers: ops,
                body: ByteBuffer(string: #"{"department":"HY-WJ"}"#)
            )
            #expect(assigned.status == .ok && assigned.json["clue"]?["assignedDepartment"]?.string == "HY-WJ")
            let byScjg = try await client.signed(
                .post,
                "/api/v1/clues/\(ids[1])/verification",
                body: #"{"verdict":"true_positive","findings":"x"}"#,
                as: t.scjg
            )
            #expect(byScjg.status == .notFound, "a department neither assigned nor named does not see the clue")
            let byWj = try await client.signed(
                .post,
                "/api/v1/clues/\(ids[1])/verification",
                body: #"{"verdict":"true_positive","findings":"以高息揽储，已移送"}"#,
                as: t.wj
            )
            #expect(byWj.json["clue"]?["status"]?.string == "verified")
            let transfer = try await client.signed(
                .post,
                "/api/v1/clues/\(ids[1])/disposition",
                body: #"{"kind":"transferred","department":"HY-GA","reason":"涉嫌非法吸收公众存款罪，移送公安"}"#,
                as: t.wj
            )
            #expect(transfer.json["clue"]?["disposition"]?["kind"]?.string == "transferred")

            // What the reports read.
            let reported = try await hub.clues.reported(from: CalendarDate("2026-11-01")!, to: CalendarDate("2026-11-30")!)
            let report = WarningReport(month: ReportMonth("2026-11")!, clues: reported)
            let (adLine, fundLine) = (report.models[0], report.models[1])
            #expect(adLine.raised == 1 && adLine.falsePositives == 1 && adLine.closed == 1 && fundLine.raised == 1 && fundLine.truePositives == 1)
            #expect(report.dispositions.map(\.key).sorted() == ["no_problem", "transferred"])
            #expect(report.byRegion.map(\.count) == [2])
            #expect(
                reported.count == 2 && reported.allSatisfy { $0.fromCity && $0.regionCode == "430405" && $0.raisedOn == CalendarDate("2026-11-02") }
            )
            #expect(reported.map(\.verdict) == [.falsePositive, .truePositive] && reported.map(\.closed) == [true, false])
            #expect(try await hub.clues.reported(from: CalendarDate("2026-12-01")!, to: CalendarDate("2026-12-31")!).isEmpty)
            let page = try await hub.clues.list(ClueStore.Filter(origin: .city), limit: 1)
            #expect(page.total == 2 && page.clues.count == 1)
        }
    }

    @Test(
        "overdue from the first working day after the due date (国庆, then a 调休 Saturday), flagged once; a year without a calendar leaves the clue pending"
    )
    func overdue() async throws {
        let t = try await TestHub.make(environment: Self.environment)
        try await t.serve { _, hub in
            try await DisclosureTests.loadCalendars(hub, shippedOnly: true)
            let clues = ClueStore(
                db: hub.db,
                assignment: ClueAssignmentMap([.falseMedicalAd: "HY-SCJG"]),
                deadlines: ClueDeadlines(verificationDays: 2, disposalDays: 3)
            )
            let ids = try await clues.raise([Self.warning(.falseMedicalAd, observation: "AD-9")], regionCode: nil, now: Self.shanghai("2026-09-30"))
            let clue = try #require(try await clues.detail(ids[0]))
            #expect(clue.clue.state.verificationDue == CalendarDate("2026-10-09") && clue.clue.state.overdueFrom == CalendarDate("2026-10-10"))
            #expect(try await clues.markOverdue(now: Self.shanghai("2026-10-09")).isEmpty, "the due day is in time")
            #expect(try await clues.markOverdue(now: Self.shanghai("2026-10-10")) == ids, "overdue on the 调休 Saturday")
            #expect(try await clues.markOverdue(now: Self.shanghai("2026-10-12")).isEmpty, "flagged once")
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'clue_overdue'") == 1)
            let overdue = try await clues.list(ClueStore.Filter(overdue: true), now: Self.shanghai("2026-10-10"))
            #expect(overdue.clues.map(\.clueId) == ids)
            #expect(try await clues.list(ClueStore.Filter(overdue: true), now: Self.shanghai("2026-10-09")).total == 0)
            #expect(
                try await clues.list(ClueStore.Filter(overdue: true), now: Self.shanghai("2026-10-12")).clues.filter { $0.escalatedAt != nil }.count
                    == 1
            )
            let detail = try #require(try await clues.detail(ids[0]))
            #expect(detail.steps.map(\.step) == ["received", "assigned", "overdue"] && detail.clue.escalatedAt != nil)

            // 15 working days from Mon 2026-12-21 run into 2027, which has no calendar here: pending, with the reason.
            let late = try await hub.clues.raise(
                [Self.warning(.falseMedicalAd, observation: "AD-10")],
                regionCode: nil,
                now: Self.shanghai("2026-12-21")
            )
            let pending = try #require(try await hub.clues.detail(late[0]))
            #expect(pending.clue.status == .pending && pending.clue.duePending?.contains("2027") == true)
        }
    }
}
