import AsyncHTTPClient
import Foundation
import HubModel
import HubServer
import HubStore
import ProvinceSimulator
import Supervision
import Testing

/// Enforcement cases over signed HTTP and PostgreSQL: stage events in JSON and XML, the rules at the door with
/// their paths and codes, the timeline, the statutory-limit flag, one ledger entry per accepted event, idempotent
/// resends, and delivery of every event to the province exactly once.
@Suite("Enforcement cases", .serialized)
struct CaseTests {
    static let digest = String(repeating: "ab", count: 32)

    static func body(_ events: [String]) -> String { #"{"events":["# + events.joined(separator: ",") + "]}" }

    static func event(_ caseNo: String, _ id: String, _ stage: String, _ members: String) -> String {
        #"{"caseNo":"\#(caseNo)","eventId":"\#(id)","\#(stage)":{\#(members)}}"#
    }

    /// Every stage of a general-procedure case, dated from `day` (an ISO date) on.
    static func fullCase(_ caseNo: String, filed: String = "2026-09-01", decided: String = "2026-09-18") -> [String] {
        [
            event(caseNo, "E1", "filing", #""date":"\#(filed)T09:00:00+08:00","procedure":"02","summary":"销售过期食品""#),
            event(
                caseNo,
                "E2",
                "investigation",
                #""date":"\#(filed)T10:00:00+08:00","evidence":[{"kind":"现场笔录","time":"\#(filed)T10:00:00+08:00","handler":"王执法","sha256":"\#(digest)","size":20480}]"#
            ),
            event(caseNo, "E3", "notice", #""date":"\#(filed)T11:00:00+08:00","rightsTold":["statement","hearing"],"hearingRequested":false"#),
            event(caseNo, "E4", "legalReview", #""date":"\#(filed)T15:00:00+08:00","reviewer":"李审核","opinion":"return","text":"补充证据""#),
            event(caseNo, "E5", "legalReview", #""date":"\#(filed)T16:00:00+08:00","reviewer":"李审核","opinion":"pass""#),
            event(caseNo, "E6", "collectiveDiscussion", #""date":"\#(filed)T17:00:00+08:00","conclusion":"同意处罚""#),
            event(
                caseNo,
                "E7",
                "decision",
                #""date":"\#(decided)T09:00:00+08:00","decisionNo":"衡市监罚〔2026〕88号","penaltyKinds":["01","02"],"fine":"5000.00","penaltyLocalId":"P-88""#
            ),
            event(caseNo, "E8", "service", #""date":"\#(decided)T10:00:00+08:00","method":"直接送达""#),
            event(
                caseNo,
                "E9",
                "execution",
                #""date":"\#(decided)T11:00:00+08:00","payments":[{"amount":"5000.00","date":"\#(decided)T11:00:00+08:00"}]"#
            ),
            event(caseNo, "E10", "closure", #""date":"\#(decided)T12:00:00+08:00","archiveNo":"GD-88""#),
        ]
    }

    static func statuses(_ answer: JSONValue) -> [String] { answer["results"]?.array.map { $0["status"]?.string ?? "?" } ?? [] }
    static func errors(_ answer: JSONValue, _ index: Int) -> [String] {
        answer["results"]?[index]["errors"]?.array.map { ($0["path"]?.string ?? "") + " " + ($0["code"]?.string ?? "") } ?? []
    }

    /// The case number as a path segment: everything but ASCII letters, digits and `-` percent-encoded.
    static func encoded(_ caseNo: String) -> String {
        caseNo.addingPercentEncoding(
            withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        )!
    }

    @Test("a full case through every stage in JSON: per-event answers, one ledger entry and outbox row each, the timeline; a resend is duplicate")
    func fullCaseInJSON() async throws {
        let t = try await TestHub.make()
        let caseNo = "衡市监立〔2026〕88号"
        try await t.serve { client, hub in
            let ledgerBefore = try await count(hub.db, "SELECT count(*)::int FROM ledger")
            let answer = try await client.signed(.post, "/api/v1/cases/events", body: Self.body(Self.fullCase(caseNo)), as: t.scjg)
            #expect(answer.status == .ok, "\(String(buffer: answer.body))")
            #expect(Self.statuses(answer.json) == Array(repeating: "accepted", count: 10))
            #expect(answer.json["results"]?[6]["seq"]?.int == 7 && answer.json["results"]?[6]["ledgerSeq"]?.int != nil)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger") == ledgerBefore + 10)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'case_event' AND department = 'HY-SCJG'") == 10)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'case_event'") == 10)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM cases WHERE stage = 'closure' AND flags = '{}'") == 1)

            let timeline = try await client.signed(.get, "/api/v1/cases/\(Self.encoded(caseNo))", as: t.scjg)
            #expect(timeline.status == .ok, "\(String(buffer: timeline.body))")
            #expect(timeline.json["stage"]?.string == "closure" && timeline.json["procedure"]?.string == "02")
            #expect(timeline.json["majorDecision"]?.boolValue == true)
            #expect(timeline.json["limit"]?["status"]?.string == "within_limit" && timeline.json["limit"]?["dueOn"]?.string == "2026-11-30")
            let stages = timeline.json["events"]?.array.compactMap { $0["stage"]?.string }
            #expect(
                stages == [
                    "filing", "investigation", "notice", "legalReview", "legalReview", "collectiveDiscussion", "decision", "service", "execution",
                    "closure",
                ]
            )
            #expect(timeline.json["events"]?[1]["investigation"]?["evidence"]?[0]["sha256"]?.string == Self.digest)
            #expect(timeline.json["events"]?[6]["decision"]?["fine"]?.string == "5000.00")

            // Another department does not see the case; an unknown case is 404.
            let other = try await client.signed(.get, "/api/v1/cases/\(Self.encoded(caseNo))", as: t.wj)
            #expect(other.status == .notFound && other.json["errors"]?[0]["code"]?.string == "case_not_found")

            // The same batch again: every event duplicate, nothing written.
            let again = try await client.signed(.post, "/api/v1/cases/events", body: Self.body(Self.fullCase(caseNo)), as: t.scjg)
            #expect(Self.statuses(again.json) == Array(repeating: "duplicate", count: 10))
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger") == ledgerBefore + 10)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM outbox WHERE kind = 'case_event'") == 10)

            // The hub's own role may only add events, never change or remove one (as for the ledger).
            await #expect(throws: (any Error).self) {
                try await hub.db.client.query("UPDATE case_events SET stage = 'closure' WHERE seq = 1", logger: hub.logger)
            }
            await #expect(throws: (any Error).self) { try await hub.db.client.query("DELETE FROM case_events", logger: hub.logger) }

            // Nothing after closure.
            let late = try await client.signed(
                .post,
                "/api/v1/cases/events",
                body: Self.body([Self.event(caseNo, "E11", "execution", #""date":"2026-10-01T09:00:00+08:00","measures":["加处罚款"]"#)]),
                as: t.scjg
            )
            #expect(Self.errors(late.json, 0) == ["events[0].execution case_closed"])
        }
    }

    @Test("a full case in XML, validated against case-events-v1.xsd; a schema violation answered per event")
    func fullCaseInXML() async throws {
        let t = try await TestHub.make()
        let url = TestCluster.projectRoot.appendingPathComponent("Schemas/examples/case-events-valid.xml")
        let xml = try String(contentsOf: url, encoding: .utf8)
        try await t.serve { client, hub in
            let answer = try await client.signed(.post, "/api/v1/cases/events", body: xml, as: t.scjg, contentType: "application/xml; charset=utf-8")
            #expect(answer.status == .ok, "\(String(buffer: answer.body))")
            #expect(Self.statuses(answer.json) == Array(repeating: "accepted", count: 8))
            let timeline = try await client.signed(.get, "/api/v1/cases/\(Self.encoded("衡市监立〔2026〕88号"))", as: t.scjg)
            #expect(timeline.json["stage"]?.string == "closure" && timeline.json["events"]?.array.count == 8)

            let bad = """
                <?xml version="1.0" encoding="UTF-8"?>
                <events><event><caseNo>X-1</caseNo><eventId>E1</eventId><filing><date>2026-09-01</date><procedure>02</procedure></filing></event>
                <event><caseNo>X-2</caseNo><eventId>E1</eventId><filing><date>2026-09-01T09:00:00+08:00</date><procedure>01</procedure></filing></event>
                <event><caseNo>X-2</caseNo><eventId>E2</eventId><decision><date>2026-09-01T10:00:00+08:00</date><decisionNo>N-1</decisionNo>
                  <penaltyKinds><code>01</code></penaltyKinds></decision></event></events>
                """
            let refused = try await client.signed(.post, "/api/v1/cases/events", body: bad, as: t.scjg, contentType: "application/xml")
            #expect(Self.statuses(refused.json) == ["rejected", "accepted", "rejected"])
            #expect(Self.errors(refused.json, 0) == ["events[0].filing.date invalid_timestamp"])
            // The reader would take any child name in a list; the XSD names it, and its refusal stands for the event.
            #expect(Self.errors(refused.json, 2).allSatisfy { $0.hasPrefix("events[2].decision.penaltyKinds") && $0.hasSuffix("schema_violation") })
            #expect(!Self.errors(refused.json, 2).isEmpty)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM cases") == 2)
        }
    }

    @Test("rules at the door: legal_review_missing before a passing review, accepted after; execution before service; order and dates")
    func rulesAtTheDoor() async throws {
        let t = try await TestHub.make()
        let c = "衡市监立〔2026〕90号"
        try await t.serve { client, hub in
            func push(_ events: [String]) async throws -> JSONValue {
                let answer = try await client.signed(.post, "/api/v1/cases/events", body: Self.body(events), as: t.scjg)
                #expect(answer.status == .ok, "\(String(buffer: answer.body))")
                return answer.json
            }
            let decision = Self.event(c, "D", "decision", #""date":"2026-10-10T09:00:00+08:00","decisionNo":"衡市监罚〔2026〕90号","penaltyKinds":["01"]"#)
            let first = try await push([
                Self.event(c, "S", "service", #""date":"2026-10-01T09:00:00+08:00","method":"直接送达""#),
                Self.event(c, "F", "filing", #""date":"2026-10-01T09:00:00+08:00","procedure":"01","major":true"#),
                decision,
                Self.event(c, "R1", "legalReview", #""date":"2026-10-05T09:00:00+08:00","reviewer":"李审核","opinion":"return""#),
                decision,
            ])
            #expect(Self.statuses(first) == ["rejected", "accepted", "rejected", "accepted", "rejected"])
            #expect(Self.errors(first, 0) == ["events[0].service filing_missing"])
            #expect(Self.errors(first, 2) == ["events[2].decision legal_review_missing"])
            #expect(Self.errors(first, 4) == ["events[4].decision legal_review_missing"])
            #expect(first["results"]?[2]["errors"]?[0]["messageZh"]?.string?.contains("法制审核") == true)

            let second = try await push([
                Self.event(c, "R2", "legalReview", #""date":"2026-10-09T09:00:00+08:00","reviewer":"李审核","opinion":"pass""#),
                Self.event(c, "X", "execution", #""date":"2026-10-11T09:00:00+08:00","measures":["加处罚款"]"#),
                decision,
                Self.event(c, "X", "execution", #""date":"2026-10-11T09:00:00+08:00","measures":["加处罚款"]"#),
                Self.event(c, "S", "service", #""date":"2026-10-09T09:00:00+08:00","method":"直接送达""#),
                Self.event(c, "S2", "service", #""date":"2026-10-10T10:00:00+08:00","method":"直接送达""#),
                Self.event(
                    c,
                    "I",
                    "investigation",
                    #""date":"2026-10-11T09:00:00+08:00","evidence":[{"kind":"笔录","time":"2026-10-11T09:00:00+08:00","handler":"王","sha256":"\#(Self.digest)","size":1}]"#
                ),
                Self.event(c, "Z", "closure", #""date":"2099-01-01T09:00:00+08:00""#),
            ])
            #expect(Self.statuses(second) == ["accepted", "rejected", "accepted", "rejected", "rejected", "accepted", "rejected", "rejected"])
            #expect(Self.errors(second, 1) == ["events[1].execution execution_before_service"])
            #expect(Self.errors(second, 3) == ["events[3].execution execution_before_service"])
            #expect(Self.errors(second, 4) == ["events[4].service.date date_before_previous_stage"])
            #expect(Self.errors(second, 6) == ["events[6].investigation stage_out_of_order"])
            #expect(Self.errors(second, 7) == ["events[7].closure.date date_in_future"])
            #expect(try await count(hub.db, "SELECT count(*)::int FROM case_events") == 5)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM ledger WHERE kind = 'case_event'") == 5)

            // A batch-level problem: 400, nothing written.
            let whole = try await client.signed(.post, "/api/v1/cases/events", body: #"{"events":[],"x":1}"#, as: t.scjg)
            #expect(whole.status == .badRequest)
            let codes = whole.json["errors"]?.array.compactMap { $0["code"]?.string }
            #expect(codes == ["unknown_field", "empty"])
        }
    }

    @Test("a general case decided after 90 days is accepted, flagged over_limit and shown so; an approved extension in time is not")
    func overLimit() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            let late = Self.fullCase("LATE-1", filed: "2026-06-01", decided: "2026-09-10")
            var extended = Self.fullCase("EXT-1", filed: "2026-06-01", decided: "2026-09-10")
            extended.insert(Self.event("EXT-1", "X1", "extension", #""date":"2026-08-20T09:00:00+08:00","approvedBy":"局长张某","limitDays":120"#), at: 6)
            let answer = try await client.signed(.post, "/api/v1/cases/events", body: Self.body(late + extended), as: t.scjg)
            #expect(Self.statuses(answer.json).allSatisfy { $0 == "accepted" } && Self.statuses(answer.json).count == 21)
            #expect(answer.json["results"]?[6]["flags"]?.array.compactMap(\.string) == ["over_limit"])
            #expect(answer.json["results"]?[17]["flags"] == nil)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM cases WHERE 'over_limit' = ANY(flags)") == 1)
            let timeline = try await client.signed(.get, "/api/v1/cases/LATE-1", as: t.scjg)
            #expect(timeline.json["flags"]?.array.compactMap(\.string) == ["over_limit"])
            #expect(timeline.json["limit"]?["status"]?.string == "over_limit" && timeline.json["limit"]?["dueOn"]?.string == "2026-08-30")
            #expect(timeline.json["events"]?[6]["flags"]?.array.compactMap(\.string) == ["over_limit"])
            let ext = try await client.signed(.get, "/api/v1/cases/EXT-1", as: t.scjg)
            #expect(ext.json["limit"]?["status"]?.string == "within_limit" && ext.json["limit"]?["limitDays"]?.int == 120)
            #expect(ext.json["flags"]?.array.isEmpty == true)
        }
    }

    @Test(
        "hub cases show prints the timeline with its flag; an unknown case is an error",
        .enabled(if: FileManager.default.isExecutableFile(atPath: hubExecutable.path), "needs the hub executable (swift build --build-tests)")
    )
    func commandLine() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, _ in
            let late = Self.fullCase("LATE-2", filed: "2026-06-01", decided: "2026-09-10")
            let answer = try await client.signed(.post, "/api/v1/cases/events", body: Self.body(late), as: t.scjg)
            #expect(Self.statuses(answer.json).count { $0 == "accepted" } == 10)
        }
        let password = CommandLineFourEyesTests.password
        let shown = try CommandLineFourEyesTests.hub(["cases", "show", "HY-SCJG", "LATE-2"], databaseURL: t.databaseURL, password: password)
        #expect(shown.status == 0, "\(shown.output)")
        #expect(shown.output.contains("一般程序") && shown.output.contains("当前环节 结案归档") && shown.output.contains("期限 2026-08-30"))
        #expect(shown.output.contains("7. 2026-09-10T09:00:00+08:00  决定  E7") && shown.output.contains("[over_limit]"))
        let json = try CommandLineFourEyesTests.hub(["cases", "show", "HY-SCJG", "LATE-2", "--json"], databaseURL: t.databaseURL, password: password)
        #expect(json.output.contains(#""status":"over_limit""#))
        let missing = try CommandLineFourEyesTests.hub(["cases", "show", "HY-WJ", "LATE-2"], databaseURL: t.databaseURL, password: password)
        #expect(missing.status != 0 && missing.output.contains("没有案件"))
    }

    @Test("every accepted event reaches the province exactly once through faults")
    func deliveredOnce() async throws {
        let t = try await TestHub.make()
        let platform = try TestProvince.unreliablePlatform()
        try await TestProvince.serve(platform) { url in
            try await t.serve { client, _ in
                let events = Self.fullCase("P-1") + Self.fullCase("P-2")
                let answer = try await client.signed(.post, "/api/v1/cases/events", body: Self.body(events), as: t.scjg)
                #expect(Self.statuses(answer.json) == Array(repeating: "accepted", count: 20))
                // A resend queues nothing more.
                _ = try await client.signed(.post, "/api/v1/cases/events", body: Self.body(events), as: t.scjg)
            }
            var settings = TestProvince.settings(url: url)
            settings.batchSize = 3
            let delivery = try HubContext(configuration: t.hub.configuration, databaseURL: t.databaseURL, logger: TestCluster.logger)
            #expect(try await TestProvince.deliver([delivery], settings: settings, databaseURL: t.databaseURL))
            let stats = try await SupervisionExchangeTests.get(url + "/sim/stats")
            #expect(stats.n("accepted") == 20)
            #expect(stats.n("acceptedTwice") == 0)
            #expect(stats.n("rejectedFinal") == 0)
            let kept = try await SupervisionExchangeTests.get(url + "/sim/supervision")
            #expect(kept["counts"]?.n("case_event") == 20)
            let row = kept["tables"]?["case_event"]?["case_event:P-1:E7"]?["data"]
            #expect(row?["stage"]?.string == "decision" && row?["seq"]?.int == 7 && row?["departmentCode"]?.string == "HY-SCJG")
            try await t.withDatabase { (db: HubDatabase) async throws in
                #expect(try await count(db, "SELECT count(*)::int FROM outbox WHERE kind = 'case_event' AND state = 'delivered'") == 20)
            }
        }
    }
}
