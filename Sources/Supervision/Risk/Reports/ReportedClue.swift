import HubModel

/// One warning or clue as the warning report counts it: where it came from, what it is about, and how far it got.
/// The store reads these; the report is a pure function of them.
public struct ReportedClue: Sendable, Hashable {
    /// `RiskModelID` raw value, or the province's model name when it is not one of the five.
    public var model: String
    /// Raised by the city's models (`true`) or sent down by the province.
    public var fromCity: Bool
    /// 行政区划代码 (county level where known).
    public var regionCode: String
    /// GB/T 4754 industry code, empty when unknown.
    public var industryCode: String
    public var raisedOn: CalendarDate
    /// The verifying officer's verdict, once verified.
    public var verdict: ClueVerdict?
    /// The disposition's kind, once disposed.
    public var disposition: ClueDisposition.Kind?
    public var closed: Bool
    /// Past a due date without the step that was due (as of the report's making).
    public var overdue: Bool

    public init(
        model: String,
        fromCity: Bool,
        regionCode: String,
        industryCode: String,
        raisedOn: CalendarDate,
        verdict: ClueVerdict?,
        disposition: ClueDisposition.Kind?,
        closed: Bool,
        overdue: Bool
    ) {
        self.model = model
        self.fromCity = fromCity
        self.regionCode = regionCode
        self.industryCode = industryCode
        self.raisedOn = raisedOn
        self.verdict = verdict
        self.disposition = disposition
        self.closed = closed
        self.overdue = overdue
    }
}
