import HubModel

/// A clue as the lifecycle reads it: what it is and where it stands. Value type, built from the `clues` row.
public struct ClueState: Sendable, Hashable {
    public var clueId: String
    public var origin: ClueOrigin
    public var status: ClueStatus
    /// The assigned department (nil while pending).
    public var department: String?
    public var verification: ClueVerification?
    public var disposition: ClueDisposition?
    public var assignedOn: CalendarDate?
    public var verificationDue: CalendarDate?
    public var verifiedOn: CalendarDate?
    public var disposalDue: CalendarDate?
    public var disposedOn: CalendarDate?
    public var closedOn: CalendarDate?
    /// The first working day after the current phase's due date: the clue is overdue from this day on.
    public var overdueFrom: CalendarDate?
    /// The status whose deadline was already flagged (`clue_overdue`), so that each phase is flagged once.
    public var escalatedPhase: ClueStatus?

    public init(
        clueId: String,
        origin: ClueOrigin,
        status: ClueStatus = .pending,
        department: String? = nil,
        verification: ClueVerification? = nil,
        disposition: ClueDisposition? = nil,
        assignedOn: CalendarDate? = nil,
        verificationDue: CalendarDate? = nil,
        verifiedOn: CalendarDate? = nil,
        disposalDue: CalendarDate? = nil,
        disposedOn: CalendarDate? = nil,
        closedOn: CalendarDate? = nil,
        overdueFrom: CalendarDate? = nil,
        escalatedPhase: ClueStatus? = nil
    ) {
        self.clueId = clueId
        self.origin = origin
        self.status = status
        self.department = department
        self.verification = verification
        self.disposition = disposition
        self.assignedOn = assignedOn
        self.verificationDue = verificationDue
        self.verifiedOn = verifiedOn
        self.disposalDue = disposalDue
        self.disposedOn = disposedOn
        self.closedOn = closedOn
        self.overdueFrom = overdueFrom
        self.escalatedPhase = escalatedPhase
    }

    /// Overdue on `today`: an open phase whose due date has passed by at least one working day.
    public func isOverdue(on today: CalendarDate) -> Bool {
        guard let overdueFrom, status == .assigned || status == .verified else { return false }
        return today >= overdueFrom
    }
}
