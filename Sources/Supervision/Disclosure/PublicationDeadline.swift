import HubModel

/// When a result must be public (一公开), in working days after the act: random-check results within 20 working
/// days of the check (the rule several provinces set, domain brief §5). Counted with the loaded working-day
/// calendar; a year without one gives no date (the console says the calendar is missing), never a weekday guess.
public enum PublicationDeadline {
    public static let randomCheckResultWorkingDays = 20

    /// The last day to publish a random-check result checked on `checkedOn`; nil when the calendar lacks a year.
    public static func randomCheckResult(checkedOn: CalendarDate, calendar: WorkingDays) -> CalendarDate? {
        try? calendar.date(adding: randomCheckResultWorkingDays, workingDaysAfter: checkedOn)
    }
}
