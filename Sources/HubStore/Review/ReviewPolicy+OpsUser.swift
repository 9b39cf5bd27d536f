import Ingest

extension ReviewPolicy {
    /// `authorize(_:reviewer:approver:)` for an ops account (an admin holds both roles).
    public static func authorize(_ act: Act, _ user: OpsUser) throws(ReviewError) {
        try authorize(act, reviewer: user.can(.reviewer), approver: user.can(.approver))
    }
}
