import HubModel

/// What a case's accepted events add up to: what the `cases` row keeps and the timeline shows.
public struct CaseSummary: Sendable, Hashable {
    public var procedure: CaseProcedure
    public var major: Bool
    /// The furthest stage reached (an extension does not move a case on).
    public var stage: CaseStage
    public var flags: Set<CaseFlag>
    public var openedAt: Timestamp
    public var decidedAt: Timestamp?
    public var closedAt: Timestamp?

    /// The summary of `events` (filing first, as `CaseRules` keeps them); nil before the filing.
    public init?(_ events: [CaseEvent], flags: Set<CaseFlag>) {
        guard case .filing(let opened, let procedure, let major, _)? = events.first?.data else { return nil }
        self.procedure = procedure
        self.major = major
        self.stage = events.filter { $0.stage != .extension }.max { $0.stage.rank < $1.stage.rank }!.stage
        self.flags = flags
        self.openedAt = opened
        self.decidedAt = events.first { $0.stage == .decision }?.date
        self.closedAt = events.first { $0.stage == .closure }?.date
    }
}
