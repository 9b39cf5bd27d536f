/// The day of the act a record reports, in Asia/Shanghai: the catalog is read as it stood on that day.
///
/// One field per kind, the one that fixes the act in law: an inspection's `inspection.date` (the day of the
/// check); a penalty's `penalty.decidedAt` (the decision, not the filing: an item retired between filing and
/// decision can no longer ground a decision); a coercion's (and `other`'s) `coercion.startAt` (the measure is
/// taken, there is no separate decision date in the contract). Every kind's section requires its field, so a
/// record that passed the schema has an act date.
public enum ActDate {
    /// The member of the kind's section that dates the act.
    public static func field(of kind: RecordKind) -> String {
        switch kind {
        case .inspection: "date"
        case .penalty: "decidedAt"
        case .coercion, .other: "startAt"
        }
    }

    /// The act's day for a canonical record tree (nil when the field is absent or not a timestamp).
    public static func of(_ tree: JSONValue) -> CalendarDate? {
        guard case .string(let k)? = tree["kind"], let kind = RecordKind(rawValue: k),
            case .string(let text)? = tree[kind.section]?[field(of: kind)]
        else { return nil }
        return day(of: text)
    }

    /// The day of a timestamp in Asia/Shanghai (UTC+8 all year, no daylight saving).
    public static func day(of timestamp: String) -> CalendarDate? {
        guard let t = Timestamp(timestamp) else { return nil }
        return CalendarDate(dayNumber: Int(((t.epochSeconds + 8 * 3600) / 86_400).rounded(.down)))
    }
}

extension CanonicalRecord {
    /// The day of the act the record reports (`ActDate`).
    public var actDate: CalendarDate? { ActDate.of(tree) }
}
