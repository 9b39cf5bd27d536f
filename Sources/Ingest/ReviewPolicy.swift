/// Who may act on a review: a pure rule the callers (ops API, console, `hub review`) apply before they ask
/// the store, so the store holds data rules only.
///
/// Four eyes is checked here too, but by the store (it needs the stored decision's author): nobody approves
/// their own decision.
public enum ReviewPolicy {
    /// What someone wants to do with a review.
    public enum Act: Sendable {
        /// Decide a review, or propose a mapping (`hub mappings import`): the reviewer role.
        case decide
        /// Approve another person's decision: the approver role.
        case approve
    }

    /// Throws `role_required` unless the holder of these roles may do `act` (an admin holds both roles).
    public static func authorize(_ act: Act, reviewer: Bool, approver: Bool) throws(ReviewError) {
        switch act {
        case .decide: guard reviewer else { throw ReviewError.role("reviewer") }
        case .approve: guard approver else { throw ReviewError.role("approver") }
        }
    }

    /// Throws `own_decision` when the approver is the person who decided.
    public static func authorizeApproval(decidedBy: String, approver: String) throws(ReviewError) {
        guard decidedBy != approver else { throw ReviewError.ownDecision }
    }
}

/// Where a review item stands.
public enum ReviewStatus: String, Sendable, CaseIterable {
    /// Waiting for a decision.
    case open
    /// Decided, waiting for a second person's approval.
    case pendingApproval = "pending_approval"
    /// Confirmed (records released or rejected) and closed.
    case closed
}
