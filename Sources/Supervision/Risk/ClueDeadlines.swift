import HubModel

/// How many working days (工作日, DOMAIN §8) each phase of a clue has.
///
/// Verification: **15 working days** from assignment. 市场监督管理行政处罚程序规定（2022 修正）第十八条: a lead found
/// through supervision, complaints or reports is verified (核查) within 15 working days of receipt and the head of the
/// department decides whether to open a case. Disposal: **15 more working days** from verification — the same
/// article's extension (特殊情况 may extend by 15 working days), used here as the outer bound by which a true positive
/// must be disposed of (a case opened, rectification ordered, a transfer made). Both are the same for the province's
/// clues and the city's warnings; a deployment that agrees other limits with the province changes `standard`.
public struct ClueDeadlines: Sendable, Hashable {
    public var verificationDays: Int
    public var disposalDays: Int

    public init(verificationDays: Int, disposalDays: Int) {
        self.verificationDays = verificationDays
        self.disposalDays = disposalDays
    }

    public static let standard = ClueDeadlines(verificationDays: 15, disposalDays: 15)

    /// A phase's due date `days` working days after `start`, and the day it becomes overdue: the first working day
    /// after the due date (a deadline on a Friday is overdue on Monday, or on the 调休 Saturday if one comes first).
    /// A year without a calendar throws `WorkingDays.MissingYear` — the operator loads it; nothing is guessed.
    public static func due(
        _ days: Int,
        after start: CalendarDate,
        calendar: WorkingDays
    ) throws(WorkingDays.MissingYear) -> (due: CalendarDate, overdueFrom: CalendarDate) {
        let due = try calendar.date(adding: days, workingDaysAfter: start)
        return (due, try calendar.date(adding: 1, workingDaysAfter: due))
    }
}
