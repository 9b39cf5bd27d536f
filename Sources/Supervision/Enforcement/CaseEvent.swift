import HubModel

/// One stage event of a case as a department pushed it: the case (department + case number; the department is
/// the signer's), the department's own id for the event (unique within the case, so a resend is recognised), and
/// what happened.
public struct CaseEvent: Sendable, Hashable {
    public var caseNo: String
    /// The department's id of the event (≤ 64 characters), unique within the case.
    public var eventId: String
    public var data: CaseStageData

    public init(caseNo: String, eventId: String, data: CaseStageData) {
        self.caseNo = caseNo
        self.eventId = eventId
        self.data = data
    }

    public var stage: CaseStage { data.stage }
    public var date: Timestamp { data.date }

    /// The stage member alone (`{"date":…,"reviewer":…}`): what `case_events.payload` keeps, in a fixed form, so
    /// that a resend compares equal whatever its member order or optional nulls.
    public var stageJSON: JSONValue {
        func t(_ ts: Timestamp) -> JSONValue { .string(ts.text) }
        var m: [(String, JSONValue)] = [("date", t(date))]
        switch data {
        case .filing(_, let procedure, let major, let summary):
            m += [("procedure", .string(procedure.rawValue)), ("major", .bool(major))]
            if let summary { m.append(("summary", .string(summary))) }
        case .investigation(_, let evidence):
            m.append(
                (
                    "evidence",
                    .array(
                        evidence.map {
                            .object([
                                ("kind", .string($0.kind)), ("time", t($0.time)), ("handler", .string($0.handler)),
                                ("sha256", .string($0.sha256)), ("size", .number(String($0.size))),
                            ])
                        }
                    )
                )
            )
        case .notice(_, let rights, let requested, let held, let hearingDate):
            m += [
                ("rightsTold", .array(rights.map { .string($0.rawValue) })), ("hearingRequested", .bool(requested)),
                ("hearingHeld", .bool(held)),
            ]
            if let hearingDate { m.append(("hearingDate", t(hearingDate))) }
        case .legalReview(_, let reviewer, let opinion, let text):
            m += [("reviewer", .string(reviewer)), ("opinion", .string(opinion.rawValue))]
            if let text { m.append(("text", .string(text))) }
        case .collectiveDiscussion(_, let conclusion):
            m.append(("conclusion", .string(conclusion)))
        case .extension(_, let approvedBy, let limitDays):
            m += [("approvedBy", .string(approvedBy)), ("limitDays", .number(String(limitDays)))]
        case .decision(_, let number, let kinds, let fine, let localId):
            m += [("decisionNo", .string(number)), ("penaltyKinds", .array(kinds.map(JSONValue.string)))]
            if let fine { m.append(("fine", .string(fine))) }
            if let localId { m.append(("penaltyLocalId", .string(localId))) }
        case .service(_, let method):
            m.append(("method", .string(method)))
        case .execution(_, let payments, let measures):
            m += [
                ("payments", .array(payments.map { .object([("amount", .string($0.amount)), ("date", t($0.date))]) })),
                ("measures", .array(measures.map(JSONValue.string))),
            ]
        case .closure(_, let archiveNo):
            if let archiveNo { m.append(("archiveNo", .string(archiveNo))) }
        }
        return .object(m)
    }

    /// The event as pushed (`{"caseNo","eventId","<stage>":{…}}`).
    public var json: JSONValue {
        .object([("caseNo", .string(caseNo)), ("eventId", .string(eventId)), (stage.rawValue, stageJSON)])
    }
}
