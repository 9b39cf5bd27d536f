/// Who may be drawn for one task of one department (回避 included): the department's active inspectors whose
/// region covers the subject's, with the plan's specialty when it names one, without a declared conflict with
/// the subject, and without the inspectors who checked this subject for this department last time.
///
/// Built once per draw from the libraries; `eligible` is then a pure lookup per task.
public struct InspectorPool: Sendable {
    private let byDepartment: [String: [Inspector]]
    private let conflicts: Set<String>
    private let lastTeams: [String: Set<String>]
    private let specialty: String?

    /// - Parameters:
    ///   - inspectors: the libraries' inspectors of the plan's departments.
    ///   - conflicts: the declared conflicts of interest.
    ///   - lastTeams: `department|subjectId` → the certificate numbers of the department's last task on the subject.
    public init(inspectors: [Inspector], conflicts: [InterestConflict], lastTeams: [String: Set<String>], specialty: String?) {
        self.byDepartment = Dictionary(grouping: inspectors.filter { $0.status == .active }, by: \.departmentCode)
        self.conflicts = Set(conflicts.map { $0.certificateNo + "|" + $0.subjectId })
        self.lastTeams = lastTeams
        self.specialty = specialty
    }

    public static func lastTeamKey(department: String, subjectId: String) -> String { department + "|" + subjectId }

    public func eligible(department: String, subject: InspectionSubject) -> [String] {
        let last = lastTeams[Self.lastTeamKey(department: department, subjectId: subject.id)] ?? []
        return (byDepartment[department] ?? []).compactMap { inspector in
            guard inspector.covers(subjectRegion: subject.regionCode) else { return nil }
            if let specialty, !inspector.specialties.contains(specialty) { return nil }
            if conflicts.contains(inspector.certificateNo + "|" + subject.id) || last.contains(inspector.certificateNo) { return nil }
            return inspector.certificateNo
        }
    }
}
