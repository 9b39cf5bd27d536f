import HubModel

/// 进一次门、查多项事: when plans of different departments draw the same subject in overlapping periods, the hub
/// proposes one visit for their tasks; ops accept or decline each proposal.
public enum VisitMerging {
    /// One drawn task as merging sees it.
    public struct Visit: Sendable, Hashable {
        public var taskId: String
        public var planId: String
        public var department: String
        public var subjectId: String
        public var periodStart: CalendarDate
        public var periodEnd: CalendarDate

        public init(taskId: String, planId: String, department: String, subjectId: String, periodStart: CalendarDate, periodEnd: CalendarDate) {
            self.taskId = taskId
            self.planId = planId
            self.department = department
            self.subjectId = subjectId
            self.periodStart = periodStart
            self.periodEnd = periodEnd
        }
    }

    /// A proposed joint visit: tasks of at least two departments on one subject, and the window all their periods
    /// share (the team visits inside it).
    public struct Proposal: Sendable, Hashable {
        public var subjectId: String
        public var taskIds: [String]
        public var departments: [String]
        public var windowStart: CalendarDate
        public var windowEnd: CalendarDate

        /// Visits saved if accepted: the tasks become one visit.
        public var visitsSaved: Int { taskIds.count - 1 }
    }

    /// The proposals for a set of tasks. Per subject, tasks are taken by period start (then task id); a task joins
    /// the current group while the group's shared window stays non-empty, else it starts a new group. A group
    /// becomes a proposal when it spans two or more departments. Tasks already in a joint plan are one task and
    /// need no merging.
    public static func proposals(_ visits: [Visit]) -> [Proposal] {
        var result: [Proposal] = []
        for (subjectId, tasks) in Dictionary(grouping: visits, by: \.subjectId).sorted(by: { $0.key < $1.key }) {
            let ordered = tasks.sorted { ($0.periodStart, $0.taskId) < ($1.periodStart, $1.taskId) }
            var group: [Visit] = []
            var windowStart = ordered[0].periodStart
            var windowEnd = ordered[0].periodEnd
            func close() {
                let departments = Array(Set(group.map(\.department))).sorted()
                if departments.count >= 2 {
                    result.append(
                        Proposal(
                            subjectId: subjectId,
                            taskIds: group.map(\.taskId),
                            departments: departments,
                            windowStart: windowStart,
                            windowEnd: windowEnd
                        )
                    )
                }
            }
            for visit in ordered {
                let start = max(windowStart, visit.periodStart)
                let end = min(windowEnd, visit.periodEnd)
                if group.isEmpty || start <= end {
                    if group.isEmpty {
                        (windowStart, windowEnd) = (visit.periodStart, visit.periodEnd)
                    } else {
                        (windowStart, windowEnd) = (start, end)
                    }
                    group.append(visit)
                } else {
                    close()
                    group = [visit]
                    (windowStart, windowEnd) = (visit.periodStart, visit.periodEnd)
                }
            }
            close()
        }
        return result
    }

    /// Visits needed before merging (one per task) and after accepting `accepted` proposals.
    public static func visitCounts(tasks: Int, accepted: [Proposal]) -> (before: Int, after: Int) {
        (tasks, tasks - accepted.reduce(0) { $0 + $1.visitsSaved })
    }
}
