import HubModel

/// Whether a record may report a random-check task (`taskId`): the task exists, belongs to the record's
/// `planId`, names the signing department, and every inspector of the inspection was drawn for that department
/// or recorded as a substitute. Pure: the store reads the teams (`ResolutionContext.taskTeams`).
public enum TaskResultCheck {
    public static func problems(_ record: CanonicalRecord, department: String, teams: [String: TaskTeams], path: String) -> [FieldError] {
        guard let taskId = record.taskId else { return [] }
        guard let team = teams[taskId] else {
            return [FieldError(path: "\(path).taskId", code: "unknown_task", zh: "没有该双随机抽查任务", en: "no random-check task \(taskId)")]
        }
        guard record.planId == team.planId else {
            return [
                FieldError(
                    path: "\(path).planId",
                    code: "task_plan_mismatch",
                    zh: "该任务属于计划 \(team.planId)，与 planId 不符",
                    en: "the task belongs to plan \(team.planId), not to planId"
                )
            ]
        }
        guard team.departments.contains(department) else {
            return [
                FieldError(
                    path: "\(path).taskId",
                    code: "task_not_of_department",
                    zh: "该任务不属于报送部门",
                    en: "the task is not one of the signing department's"
                )
            ]
        }
        let allowed = team.inspectors[department] ?? []
        var errors: [FieldError] = []
        for (index, inspector) in (record.tree["inspection"]?["inspectors"]?.arrayValue ?? []).enumerated() {
            guard let certificate = inspector["certificateNo"]?.stringValue, !allowed.contains(certificate) else { continue }
            errors.append(
                FieldError(
                    path: "\(path).inspection.inspectors[\(index)].certificateNo",
                    code: "inspector_not_drawn",
                    zh: "该执法人员不是本任务抽中的人员，也未登记为替换人员",
                    en: "this inspector was neither drawn for the task nor recorded as a substitute"
                )
            )
        }
        return errors
    }

    /// The inspection's date (the check's timestamp), when the record reports a task with an inspection.
    public static func checkedAt(_ record: CanonicalRecord) -> String? {
        guard record.taskId != nil else { return nil }
        return record.tree["inspection"]?["date"]?.stringValue
    }
}
