import HubModel

/// The statutory time limit of a case (行政处罚法 第六十条): a general-procedure case is decided within 90 days of
/// filing, unless the limit is extended with approval (an `extension` event naming who approved it and the new
/// limit in days from filing). An extension counts only when approved before the limit then in force ran out.
/// Days are calendar days in Asia/Shanghai. A case decided late is accepted and flagged `over_limit`, never
/// refused: the decision happened, and the record must say so.
public enum StatutoryLimits {
    public static let generalProcedureDays = 90

    /// Where a case stands against its limit.
    public enum Status: String, Sendable, Hashable {
        /// The simple procedure: no limit applies.
        case notApplicable = "not_applicable"
        /// Open, the limit not yet passed.
        case open
        /// Open and past its limit.
        case overdue
        /// Decided within the limit.
        case withinLimit = "within_limit"
        /// Decided after the limit.
        case overLimit = "over_limit"
    }

    /// A case's limit: the days allowed from filing, the last day, and how it stands.
    public struct Check: Sendable, Hashable {
        public var status: Status
        public var limitDays: Int?
        public var dueOn: CalendarDate?
    }

    /// The day (Asia/Shanghai) a time falls on.
    public static func day(_ time: Timestamp) -> Int { day(epochSeconds: time.epochSeconds) }

    /// The day (Asia/Shanghai) of a moment given in seconds since 1970.
    public static func day(epochSeconds: Double) -> Int { Int(((epochSeconds + 8 * 3600) / 86_400).rounded(.down)) }

    /// The limit in force for `events` (filing first), in days from filing; nil for the simple procedure.
    public static func limitDays(_ events: [CaseEvent]) -> Int? {
        guard case .filing(let filed, .general, _, _)? = events.first?.data else { return nil }
        var limit = generalProcedureDays
        let extensions: [(Int, Int)] = events.compactMap {
            if case .extension(let date, _, let days) = $0.data { (day(date) - day(filed), days) } else { nil }
        }
        for (approvedOn, days) in extensions.sorted(by: { $0.0 < $1.0 }) where approvedOn <= limit {
            limit = max(limit, days)
        }
        return limit
    }

    /// How `events` stand against the limit on day `today` (Asia/Shanghai day number).
    public static func check(_ events: [CaseEvent], today: Int) -> Check {
        guard let filing = events.first, filing.stage == .filing, let limit = limitDays(events) else {
            return Check(status: .notApplicable)
        }
        let opened = day(filing.date)
        let due = CalendarDate(dayNumber: opened + limit)
        if let decision = events.first(where: { $0.stage == .decision }) {
            return Check(status: day(decision.date) - opened > limit ? .overLimit : .withinLimit, limitDays: limit, dueOn: due)
        }
        return Check(status: today - opened > limit ? .overdue : .open, limitDays: limit, dueOn: due)
    }
}
