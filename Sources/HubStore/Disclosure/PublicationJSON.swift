import HubModel
import Supervision

/// The JSON forms of a publication the hub writes: the stored redacted body and the ledger payload. Both hold
/// only what redaction let through.
package enum PublicationJSON {
    /// `{"title","subjectName","uscc","maskedIdNumber","fields":[{"key","label","value"}]}` (the `body` column).
    package static func body(_ p: RedactedPublication) -> JSONValue {
        .object([
            ("title", .string(p.title)),
            ("subjectName", .string(p.subjectName)),
            ("uscc", p.uscc.map(JSONValue.string) ?? .null),
            ("maskedIdNumber", p.maskedIdNumber.map(JSONValue.string) ?? .null),
            ("fields", .array(p.fields.map { .object([("key", .string($0.key)), ("label", .string($0.label)), ("value", .string($0.value))]) })),
        ])
    }

    /// The ledger entry of a plan: what was decided for which record version, and the published text.
    package static func ledgerPayload(_ plan: PublicationPlan, version: Int) -> String {
        let value: JSONValue = .object([
            ("sourceKey", .string(plan.sourceKey)),
            ("version", .number(String(version))),
            ("kind", .string(plan.kind.rawValue)),
            ("status", .string(plan.status.rawValue)),
            ("withheldReason", plan.withheldReason.map { .string($0.rawValue) } ?? .null),
            ("actDate", plan.actDate.map { .string($0.description) } ?? .null),
            ("dueDate", plan.dueDate.map { .string($0.description) } ?? .null),
            ("duePending", plan.duePending.map(JSONValue.string) ?? .null),
            ("publication", plan.publication.map(body) ?? .null),
        ])
        return String(decoding: CanonicalJSON.encode(value), as: UTF8.self)
    }

    /// The SQL expression of a publication row as the public side and the portals see it (`p` is `publications`).
    static let publicRowSQL = """
        jsonb_build_object('id', p.id, 'kind', p.kind, 'department', p.department_code, 'title', p.title,
            'subjectName', p.subject_name, 'uscc', p.uscc, 'maskedIdNumber', p.body->'maskedIdNumber', 'fields', p.body->'fields',
            'actDate', to_char(p.act_date, 'YYYY-MM-DD'), 'dueDate', to_char(p.due_date, 'YYYY-MM-DD'), 'duePending', p.due_pending,
            'publishedAt', to_char(p.published_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"'),
            'status', p.status,
            'withdrawal', CASE WHEN p.status = 'withdrawn' THEN jsonb_build_object('reason', p.withdrawal_reason,
                'text', p.withdrawal_text, 'date', to_char(p.withdrawn_on, 'YYYY-MM-DD')) END)
        """
}
