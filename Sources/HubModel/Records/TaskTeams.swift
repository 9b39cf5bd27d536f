/// A random-check task as ingest checks a result against it: its plan, its departments, and per department the
/// certificate numbers that may report it (the drawn inspectors and recorded substitutes).
public struct TaskTeams: Sendable, Hashable {
    public var planId: String
    public var departments: [String]
    /// Department code → certificate numbers.
    public var inspectors: [String: Set<String>]

    public init(planId: String, departments: [String], inspectors: [String: Set<String>]) {
        self.planId = planId
        self.departments = departments
        self.inspectors = inspectors
    }
}
