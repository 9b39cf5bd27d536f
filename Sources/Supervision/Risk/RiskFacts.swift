import HubModel

/// What the hub knows about an observation's subject when a model reads it: the facts the store gathers before
/// the pure evaluation, so that the models never do I/O.
///
/// A warning names the facts it used ("no 药品经营许可证 on file for this USCC"), so these are also its evidence.
public struct RiskFacts: Sendable, Hashable {
    /// Licences and filings on file for the subject's USCC (any state; `LicenceFact.inForce(on:)` decides).
    public var licences: [LicenceFact]
    /// Complaints against the subject in the window before the observation (this one included), and their ids.
    public var recentComplaints: Int
    public var recentComplaintIds: [String]
    /// The window the complaint count covers, in days.
    public var complaintWindowDays: Int

    public init(licences: [LicenceFact] = [], recentComplaints: Int = 0, recentComplaintIds: [String] = [], complaintWindowDays: Int = 90) {
        self.licences = licences
        self.recentComplaints = recentComplaints
        self.recentComplaintIds = recentComplaintIds
        self.complaintWindowDays = complaintWindowDays
    }

    /// Whether a licence of `kind` was in force on `date`.
    public func holds(_ kind: LicenceKind, on date: CalendarDate) -> Bool {
        licences.contains { $0.kind == kind && $0.inForce(on: date) }
    }
}
