import HubModel
import Supervision

/// A publication as the public side shows it: redacted text, dates, status and withdrawal. Never a withheld one.
public struct PublicPublication: Sendable, Hashable {
    public var id: Int64
    public var kind: PublicationKind
    public var department: String
    public var departmentName: String
    public var title: String
    public var subjectName: String
    public var uscc: String?
    public var maskedIdNumber: String?
    public var fields: [PublishableAct.Field]
    public var actDate: String?
    public var dueDate: String?
    public var duePending: String?
    /// `YYYY-MM-DDTHH:MM:SS+08:00`.
    public var publishedAt: String
    public var status: PublicationStatus
    public var withdrawal: Withdrawal?

    public struct Withdrawal: Sendable, Hashable {
        public var reason: WithdrawalReason
        public var text: String?
        public var date: String
    }

    /// The columns `from(_:)` reads, in order (`p` is `publications`, `d` is `departments`).
    static let columns = """
        p.id, p.kind, p.department_code, coalesce(d.name, p.department_code), p.title, p.subject_name, p.uscc, p.body::text,
        to_char(p.act_date, 'YYYY-MM-DD'), to_char(p.due_date, 'YYYY-MM-DD'), p.due_pending,
        to_char(p.published_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'), p.status,
        p.withdrawal_reason, p.withdrawal_text, to_char(p.withdrawn_on, 'YYYY-MM-DD')
        """

    typealias Row = (
        Int64, String, String, String, String, String, String?, String, String?, String?, String?, String, String, String?, String?, String?
    )

    init(_ r: Row) {
        let body = (try? JSONParser().parse(Array(r.7.utf8))) ?? .null
        id = r.0
        kind = PublicationKind(rawValue: r.1) ?? .penalty
        department = r.2
        departmentName = r.3
        title = r.4
        subjectName = r.5
        uscc = r.6
        maskedIdNumber = body["maskedIdNumber"]?.stringValue
        fields = (body["fields"]?.arrayValue ?? []).compactMap { f in
            guard let k = f["key"]?.stringValue, let l = f["label"]?.stringValue, let v = f["value"]?.stringValue else { return nil }
            return PublishableAct.Field(k, l, v)
        }
        actDate = r.8
        dueDate = r.9
        duePending = r.10
        publishedAt = r.11
        status = PublicationStatus(rawValue: r.12) ?? .published
        withdrawal = r.13.flatMap(WithdrawalReason.init(rawValue:)).map { Withdrawal(reason: $0, text: r.14, date: r.15 ?? "") }
    }

    /// The JSON of the public API and of the portal rows.
    public var json: JSONValue {
        func opt(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        return .object([
            ("id", .number(String(id))), ("kind", .string(kind.rawValue)), ("kindName", .string(kind.chineseName)),
            ("department", .string(department)), ("departmentName", .string(departmentName)), ("title", .string(title)),
            ("subjectName", .string(subjectName)), ("uscc", opt(uscc)), ("maskedIdNumber", opt(maskedIdNumber)),
            ("fields", .array(fields.map { .object([("key", .string($0.key)), ("label", .string($0.label)), ("value", .string($0.value))]) })),
            ("actDate", opt(actDate)), ("dueDate", opt(dueDate)), ("duePending", opt(duePending)), ("publishedAt", .string(publishedAt)),
            ("status", .string(status.rawValue)), ("statusName", .string(status.chineseName)),
            (
                "withdrawal",
                withdrawal.map {
                    .object([
                        ("reason", .string($0.reason.rawValue)), ("reasonName", .string($0.reason.chineseName)), ("text", opt($0.text)),
                        ("date", .string($0.date)),
                    ])
                } ?? .null
            ),
        ])
    }
}
