/// The province's credit-grade feed (信用风险分类结果, `GET /province/v1/credit-grades`): entries
/// `{"seq","subjectId","grade":"A|B|C|D","date":"YYYY-MM-DD"}`. Pure: reading an entry and deciding what a page
/// changes in the subject library; the store applies the decision.
public enum CreditGradeFeed {
    /// One grade as the province published it.
    public struct Entry: Sendable, Hashable {
        public var subjectId: String
        /// `A`–`D`.
        public var grade: String
        public var date: CalendarDate

        public init(subjectId: String, grade: String, date: CalendarDate) {
            self.subjectId = subjectId
            self.grade = grade
            self.date = date
        }
    }

    /// Reads one entry; a malformed one is refused with the reason, and the feed goes on past it (one bad row of
    /// the province must not hold every later grade back).
    public static func entry(_ v: JSONValue) -> Result<Entry, FieldError> {
        let seq = v["seq"]?.intValue.map(String.init) ?? "?"
        guard let subjectId = v["subjectId"]?.stringValue, !subjectId.isEmpty, subjectId.utf8.count <= 64 else {
            return .failure(
                FieldError(path: "credit-grades[\(seq)].subjectId", code: "invalid_subject_id", zh: "缺少主体标识或过长", en: "subjectId missing or too long")
            )
        }
        guard let grade = v["grade"]?.stringValue, ["A", "B", "C", "D"].contains(grade) else {
            return .failure(
                FieldError(
                    path: "credit-grades[\(seq)].grade",
                    code: "invalid_credit_grade",
                    zh: "信用等级应为 A、B、C、D 之一",
                    en: "grade must be one of A, B, C, D"
                )
            )
        }
        guard let text = v["date"]?.stringValue, let date = CalendarDate(text) else {
            return .failure(
                FieldError(path: "credit-grades[\(seq)].date", code: "invalid_date", zh: "日期格式应为 YYYY-MM-DD", en: "date must be YYYY-MM-DD")
            )
        }
        return .success(Entry(subjectId: subjectId, grade: grade, date: date))
    }

    /// What the library holds for a subject now.
    public struct Current: Sendable, Hashable {
        public var grade: String
        public var date: CalendarDate?

        public init(grade: String, date: CalendarDate?) {
            self.grade = grade
            self.date = date
        }
    }

    /// A subject whose grade a page changes: the newest entry for it, and what the library held before.
    public struct Change: Sendable, Hashable {
        public var subjectId: String
        public var entry: Entry
        public var previous: Current
    }

    /// What a page does: the subjects whose grade changes (in feed order), and the counts.
    public struct Plan: Sendable, Hashable {
        public var changes: [Change] = []
        /// The same grade and date as held, or older than the held grade's date.
        public var unchanged = 0
        /// Subjects not in the 检查对象名录库: not created from a grade alone.
        public var unknown: [String] = []
    }

    /// Decides a page against the library. A grade dated before the one held is not applied (the feed may repeat
    /// an old page after a crash); a later or same-day different grade replaces it.
    public static func plan(_ entries: [Entry], current: [String: Current]) -> Plan {
        var held = current
        var changed: [String: Int] = [:]
        var plan = Plan()
        for entry in entries {
            guard let now = held[entry.subjectId] else {
                plan.unknown.append(entry.subjectId)
                continue
            }
            if let date = now.date, entry.date < date || (entry.date == date && entry.grade == now.grade) {
                plan.unchanged += 1
                continue
            }
            let next = Current(grade: entry.grade, date: entry.date)
            if let index = changed[entry.subjectId] {
                plan.changes[index].entry = entry
            } else {
                changed[entry.subjectId] = plan.changes.count
                plan.changes.append(Change(subjectId: entry.subjectId, entry: entry, previous: now))
            }
            held[entry.subjectId] = next
        }
        return plan
    }
}
