import HubModel
import Testing

@testable import Supervision

/// Case events without a database: the reader's paths and codes, every rule of `CaseRules`, and the statutory limit.
@Suite struct CaseRulesTests {
    let reader = CaseEventReader(maxEvents: 10)
    /// 2026-12-01T12:00:00+08:00, the tests' "now".
    let now = Timestamp("2026-12-01T12:00:00+08:00")!.epochSeconds
    let digest = String(repeating: "ab", count: 32)

    /// An event from its JSON text, read at `events[0]`; fails the test when it does not read.
    func event(_ json: String) throws -> CaseEvent {
        let value = try JSONParser().parse(Array(json.utf8))
        switch reader.read(value, path: "events[0]") {
        case .valid(let e): return e
        case .invalid(let errors): throw ReadFailed(errors: errors)
        }
    }

    struct ReadFailed: Error { var errors: [FieldError] }

    func errors(_ json: String) throws -> [String] {
        let value = try JSONParser().parse(Array(json.utf8))
        guard case .invalid(let errors) = reader.read(value, path: "events[0]") else { return [] }
        return errors.map { "\($0.path) \($0.code)" }
    }

    func e(_ id: String, _ stage: String, _ body: String) throws -> CaseEvent {
        try event(#"{"caseNo":"C1","eventId":"\#(id)","\#(stage)":{\#(body)}}"#)
    }

    func filing(procedure: String = "02", major: Bool = false, date: String = "2026-09-01T09:00:00+08:00") throws -> CaseEvent {
        try e("f", "filing", #""date":"\#(date)","procedure":"\#(procedure)","major":\#(major)"#)
    }
    func review(_ id: String, _ opinion: String, _ date: String) throws -> CaseEvent {
        try e(id, "legalReview", #""date":"\#(date)","reviewer":"李审核","opinion":"\#(opinion)""#)
    }
    func decision(_ date: String, id: String = "d") throws -> CaseEvent {
        try e(id, "decision", #""date":"\#(date)","decisionNo":"衡市监罚〔2026〕1号","penaltyKinds":["01","02"],"fine":"5000.00""#)
    }
    func service(_ date: String) throws -> CaseEvent { try e("s", "service", #""date":"\#(date)","method":"直接送达""#) }

    func codes(_ verdict: CaseVerdict) -> [String] {
        if case .rejected(let errors) = verdict { return errors.map { "\($0.path) \($0.code)" } }
        return []
    }

    func verdict(_ event: CaseEvent, after history: [CaseEvent]) -> CaseVerdict {
        CaseRules.evaluate(event, history: history, path: "events[3]", now: now)
    }

    // MARK: reading

    @Test func readsEveryStageAndRoundTripsThroughStageJSON() throws {
        let texts = [
            #""filing":{"date":"2026-09-01T09:00:00+08:00","procedure":"02","major":true,"summary":"无证经营"}"#,
            #""investigation":{"date":"2026-09-02T09:00:00+08:00","evidence":[{"kind":"现场笔录","time":"2026-09-02T09:30:00+08:00","handler":"王执法","sha256":"\#(digest)","size":2048}]}"#,
            #""notice":{"date":"2026-09-10T09:00:00+08:00","rightsTold":["statement","hearing"],"hearingRequested":true,"hearingHeld":true,"hearingDate":"2026-09-15T09:00:00+08:00"}"#,
            #""legalReview":{"date":"2026-09-20T09:00:00+08:00","reviewer":"李审核","opinion":"return","text":"补充证据"}"#,
            #""collectiveDiscussion":{"date":"2026-09-22T09:00:00+08:00","conclusion":"同意处罚"}"#,
            #""extension":{"date":"2026-09-23T09:00:00+08:00","approvedBy":"局长张某","limitDays":120}"#,
            #""decision":{"date":"2026-09-25T09:00:00+08:00","decisionNo":"衡市监罚〔2026〕1号","penaltyKinds":["02"],"fine":"5000.50","penaltyLocalId":"P-1"}"#,
            #""service":{"date":"2026-09-26T09:00:00+08:00","method":"直接送达"}"#,
            #""execution":{"date":"2026-10-01T09:00:00+08:00","payments":[{"amount":"5000.50","date":"2026-10-01T09:00:00+08:00"}],"measures":["加处罚款"]}"#,
            #""closure":{"date":"2026-10-10T09:00:00+08:00","archiveNo":"A-1"}"#,
        ]
        for (i, text) in texts.enumerated() {
            let read = try event(#"{"caseNo":"C1","eventId":"e\#(i)",\#(text)}"#)
            #expect(read.stage == CaseStage.allCases[i])
            // What the store keeps reads back to the same event.
            var errors: [FieldError] = []
            let again = reader.readStage(read.stage, read.stageJSON, path: "p", errors: &errors)
            #expect(errors.isEmpty && again == read.data, "\(read.stage)")
        }
    }

    @Test func readingRefusalsNameTheirPath() throws {
        #expect(try errors(#"{"caseNo":"C1","eventId":"e"}"#) == ["events[0] stage_missing"])
        #expect(
            try errors(
                #"{"caseNo":"C1","eventId":"e","filing":{"date":"2026-09-01T09:00:00+08:00","procedure":"01"},"closure":{"date":"2026-09-01T09:00:00+08:00"}}"#
            )
                == ["events[0].closure stage_ambiguous"]
        )
        #expect(
            try errors(#"{"eventId":"e x","legalReview":{"date":"2026-09-01","reviewer":"","opinion":"ok","extra":1}}"#) == [
                "events[0].caseNo required", "events[0].eventId invalid_identifier", "events[0].legalReview.extra unknown_field",
                "events[0].legalReview.date invalid_timestamp", "events[0].legalReview.reviewer empty", "events[0].legalReview.opinion invalid_value",
            ]
        )
        #expect(
            try errors(
                #"{"caseNo":"C1","eventId":"e","investigation":{"date":"2026-09-01T09:00:00+08:00","evidence":[{"kind":"笔录","time":"2026-09-01T09:00:00+08:00","handler":"王","sha256":"ABC","size":-1}]}}"#
            )
                == ["events[0].investigation.evidence[0].sha256 invalid_sha256", "events[0].investigation.evidence[0].size out_of_range"]
        )
        #expect(
            try errors(
                #"{"caseNo":"C1","eventId":"e","decision":{"date":"2026-09-01T09:00:00+08:00","decisionNo":"N","penaltyKinds":["02","99"],"fine":"5000.001"}}"#
            )
                == ["events[0].decision.penaltyKinds[1] unknown_dictionary_value", "events[0].decision.fine invalid_money"]
        )
        #expect(
            try errors(#"{"caseNo":"C1","eventId":"e","decision":{"date":"2026-09-01T09:00:00+08:00","decisionNo":"N","penaltyKinds":["02"]}}"#)
                == ["events[0].decision.fine required"]
        )
        #expect(
            try errors(#"{"caseNo":"C1","eventId":"e","notice":{"date":"2026-09-01T09:00:00+08:00","rightsTold":["statement"],"hearingHeld":true}}"#)
                == ["events[0].notice.hearingDate required"]
        )
        #expect(
            try errors(#"{"caseNo":"C1","eventId":"e","execution":{"date":"2026-09-01T09:00:00+08:00"}}"#) == [
                "events[0].execution.payments required"
            ]
        )
        // XML gives text for booleans and integers.
        #expect(
            try errors(#"{"caseNo":"C1","eventId":"e","extension":{"date":"2026-09-01T09:00:00+08:00","approvedBy":"局长","limitDays":"120"}}"#) == []
        )
    }

    @Test func batchLevelProblemsThrow() throws {
        #expect(throws: BatchError.self) { try reader.read(.object([("records", .array([]))])) }
        #expect(throws: BatchError.self) { try reader.read(.object([("events", .array([]))])) }
        #expect(throws: BatchError.self) { try reader.read(.object([("events", .array(Array(repeating: .null, count: 11)))])) }
        #expect(try reader.read(.object([("events", .array([.null]))])) == [.invalid([.wrongType("events[0]", expected: "object", found: "null")])])
    }

    // MARK: order

    @Test func filingComesFirstAndOnce() throws {
        #expect(codes(verdict(try decision("2026-09-25T09:00:00+08:00"), after: [])) == ["events[3].decision filing_missing"])
        #expect(verdict(try filing(), after: []) == .accepted(flags: []))
        let again = try e("f2", "filing", #""date":"2026-09-01T09:00:00+08:00","procedure":"02""#)
        #expect(codes(verdict(again, after: [try filing()])) == ["events[3].filing stage_repeated"])
    }

    @Test func stagesInOrderRepeatableOnesRepeat() throws {
        let history = [try filing(), try review("r", "pass", "2026-09-20T09:00:00+08:00"), try decision("2026-09-25T09:00:00+08:00")]
        let evidence = try e(
            "i",
            "investigation",
            #""date":"2026-09-26T09:00:00+08:00","evidence":[{"kind":"笔录","time":"2026-09-26T09:00:00+08:00","handler":"王","sha256":"\#(digest)","size":1}]"#
        )
        #expect(codes(verdict(evidence, after: history)) == ["events[3].investigation stage_out_of_order"])
        #expect(codes(verdict(try decision("2026-09-26T09:00:00+08:00", id: "d2"), after: history)) == ["events[3].decision stage_repeated"])
        let ext = try e("x", "extension", #""date":"2026-09-26T09:00:00+08:00","approvedBy":"局长","limitDays":120"#)
        #expect(codes(verdict(ext, after: history)) == ["events[3].extension stage_out_of_order"])
        let s = try service("2026-09-26T09:00:00+08:00")
        let pay = { (id: String, date: String) in
            try self.e(id, "execution", #""date":"\#(date)","payments":[{"amount":"100","date":"\#(date)"}]"#)
        }
        #expect(verdict(try pay("x1", "2026-09-27T09:00:00+08:00"), after: history + [s]) == .accepted(flags: []))
        #expect(
            verdict(try pay("x2", "2026-09-28T09:00:00+08:00"), after: history + [s, try pay("x1", "2026-09-27T09:00:00+08:00")])
                == .accepted(flags: [])
        )
        // Evidence and reviews repeat before the decision.
        let firstEvidence = try e(
            "i0",
            "investigation",
            #""date":"2026-09-02T09:00:00+08:00","evidence":[{"kind":"笔录","time":"2026-09-02T09:00:00+08:00","handler":"王","sha256":"\#(digest)","size":1}]"#
        )
        #expect(verdict(evidence, after: [try filing(), firstEvidence]) == .accepted(flags: []))
    }

    @Test func nothingAfterClosure() throws {
        let closure = try e("c", "closure", #""date":"2026-09-05T09:00:00+08:00""#)
        let history = [try filing(procedure: "01"), closure]
        #expect(codes(verdict(try service("2026-09-06T09:00:00+08:00"), after: history)) == ["events[3].service case_closed"])
        // A case may close right after filing (撤案).
        #expect(verdict(closure, after: [try filing(procedure: "01")]) == .accepted(flags: []))
    }

    @Test func executionNeedsServiceAndServiceNeedsDecision() throws {
        let simple = try filing(procedure: "01")
        let d = try decision("2026-09-02T09:00:00+08:00")
        let pay = try e("x", "execution", #""date":"2026-09-03T09:00:00+08:00","measures":["强制执行"]"#)
        #expect(codes(verdict(pay, after: [simple, d])) == ["events[3].execution execution_before_service"])
        #expect(codes(verdict(try service("2026-09-02T10:00:00+08:00"), after: [simple])) == ["events[3].service decision_missing"])
        #expect(verdict(pay, after: [simple, d, try service("2026-09-02T10:00:00+08:00")]) == .accepted(flags: []))
    }

    // MARK: legal review

    @Test func majorDecisionNeedsAPassingLegalReview() throws {
        let d = try decision("2026-09-25T09:00:00+08:00")
        // General procedure: major.
        #expect(codes(verdict(d, after: [try filing()])) == ["events[3].decision legal_review_missing"])
        // A returned review does not count; a later passing one does.
        let returned = try review("r1", "return", "2026-09-20T09:00:00+08:00")
        #expect(codes(verdict(d, after: [try filing(), returned])) == ["events[3].decision legal_review_missing"])
        let passed = try review("r2", "pass", "2026-09-22T09:00:00+08:00")
        #expect(verdict(d, after: [try filing(), returned, passed]) == .accepted(flags: []))
        // A pass followed by a return: the latest opinion stands.
        #expect(codes(verdict(d, after: [try filing(), passed, returned])) == ["events[3].decision legal_review_missing"])
        // Simple procedure marked major, or after a hearing: major too.
        #expect(codes(verdict(d, after: [try filing(procedure: "01", major: true)])) == ["events[3].decision legal_review_missing"])
        let hearing = try e(
            "n",
            "notice",
            #""date":"2026-09-10T09:00:00+08:00","rightsTold":["hearing"],"hearingRequested":true,"hearingHeld":true,"hearingDate":"2026-09-12T09:00:00+08:00""#
        )
        #expect(codes(verdict(d, after: [try filing(procedure: "01"), hearing])) == ["events[3].decision legal_review_missing"])
        // A simple-procedure case without a hearing decides without one.
        #expect(verdict(d, after: [try filing(procedure: "01")]) == .accepted(flags: []))
    }

    // MARK: dates

    @Test func datesAreConsistent() throws {
        let f = try filing()
        #expect(codes(verdict(try review("r", "pass", "2026-08-31T09:00:00+08:00"), after: [f])) == ["events[3].legalReview.date date_before_filing"])
        #expect(codes(verdict(try review("r", "pass", "2026-12-02T09:00:00+08:00"), after: [f])) == ["events[3].legalReview.date date_in_future"])
        // Within the skew: accepted.
        #expect(verdict(try review("r", "pass", "2026-12-01T12:04:00+08:00"), after: [f]) == .accepted(flags: []))
        // The decision not before the legal review.
        let r = try review("r", "pass", "2026-09-20T09:00:00+08:00")
        #expect(codes(verdict(try decision("2026-09-19T09:00:00+08:00"), after: [f, r])) == ["events[3].decision.date date_before_previous_stage"])
        #expect(
            codes(verdict(try service("2026-09-24T09:00:00+08:00"), after: [f, r, try decision("2026-09-25T09:00:00+08:00")])) == [
                "events[3].service.date date_before_previous_stage"
            ]
        )
        let futureEvidence = try e(
            "i",
            "investigation",
            #""date":"2026-09-02T09:00:00+08:00","evidence":[{"kind":"笔录","time":"2027-01-01T09:00:00+08:00","handler":"王","sha256":"\#(digest)","size":1}]"#
        )
        #expect(codes(verdict(futureEvidence, after: [f])) == ["events[3].investigation.evidence[0].time date_in_future"])
        let hearingFirst = try e(
            "n",
            "notice",
            #""date":"2026-09-10T09:00:00+08:00","rightsTold":["hearing"],"hearingHeld":true,"hearingDate":"2026-09-09T09:00:00+08:00""#
        )
        #expect(codes(verdict(hearingFirst, after: [f])) == ["events[3].notice.hearingDate date_before_previous_stage"])
    }

    @Test func resendIsDuplicateAndAReusedIdIsRefused() throws {
        let f = try filing()
        #expect(verdict(f, after: [f]) == .duplicate)
        #expect(codes(verdict(try filing(date: "2026-09-02T09:00:00+08:00"), after: [f])) == ["events[3].eventId event_id_reused"])
    }

    // MARK: statutory limit

    @Test func generalCaseDecidedAfterNinetyDaysIsFlagged() throws {
        let f = try filing(date: "2026-06-01T09:00:00+08:00")
        let r = try review("r", "pass", "2026-08-29T09:00:00+08:00")
        // Day 90 (2026-08-30) is within; day 91 is over.
        #expect(verdict(try decision("2026-08-30T23:00:00+08:00"), after: [f, r]) == .accepted(flags: []))
        #expect(verdict(try decision("2026-08-31T09:00:00+08:00"), after: [f, r]) == .accepted(flags: [.overLimit]))
        // Extended in time: the new limit holds.
        let ext = try e("x", "extension", #""date":"2026-08-20T09:00:00+08:00","approvedBy":"局长张某","limitDays":120"#)
        #expect(verdict(try decision("2026-09-20T09:00:00+08:00"), after: [f, ext, r]) == .accepted(flags: []))
        #expect(
            StatutoryLimits.check([f, ext, r], today: StatutoryLimits.day(Timestamp("2026-09-20T09:00:00+08:00")!)).dueOn?.description == "2026-09-29"
        )
        // An extension approved after the limit ran out does not count.
        let late = try e("x", "extension", #""date":"2026-09-05T09:00:00+08:00","approvedBy":"局长张某","limitDays":120"#)
        #expect(verdict(try decision("2026-09-20T09:00:00+08:00"), after: [f, late, r]) == .accepted(flags: [.overLimit]))
        // Simple procedure: no limit.
        #expect(StatutoryLimits.check([try filing(procedure: "01")], today: 99_999).status == .notApplicable)
        // An open case past its limit shows overdue; before it, open.
        #expect(StatutoryLimits.check([f], today: StatutoryLimits.day(Timestamp("2026-09-01T09:00:00+08:00")!)).status == .overdue)
        #expect(StatutoryLimits.check([f], today: StatutoryLimits.day(Timestamp("2026-08-01T09:00:00+08:00")!)).status == .open)
    }

    @Test func summaryOfACase() throws {
        let f = try filing()
        let ext = try e("x", "extension", #""date":"2026-09-02T09:00:00+08:00","approvedBy":"局长","limitDays":120"#)
        let summary = try #require(CaseSummary([f, ext], flags: []))
        #expect(summary.stage == .filing && summary.procedure == .general && summary.decidedAt == nil)
        #expect(CaseSummary([], flags: []) == nil)
    }
}
