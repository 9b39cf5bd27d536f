import HubModel
import Logging
import PostgresNIO

/// The provincial tables the outbox carries besides records (双随机一公开, the portals' bulletins), each row in the `cd_*` envelope.
public enum OutboundKind: String, Sendable, CaseIterable {
    case record
    /// A line of a department's 抽查事项清单 (joint items name their departments).
    case checkItem = "rc_item"
    /// An entry of the 检查对象名录库.
    case subject = "rc_subject"
    /// An entry of the 执法检查人员名录库.
    case inspector = "rc_inspector"
    /// A plan as approved, with its draw's commitment.
    case plan = "rc_plan"
    /// A draw: seed, candidates hash, candidates and tasks (`Supervision.PublishedDraw`).
    case draw = "rc_draw"
    /// One task with its inspectors.
    case task = "rc_task"
    /// A bulletin (监管动态 or 曝光台) for the provincial service and work portals: published, or withdrawn.
    case bulletin = "portal_bulletin"
    /// A stage event of an enforcement case (行政执法全过程记录).
    case caseEvent = "case_event"
    /// A publication (行政执法公示) for the provincial service and work portals: as published, and again when
    /// withdrawn (撤回), each time with the redacted text only.
    case publication = "portal_publication"
    /// A step of a provincial clue's lifecycle (assigned, verified, disposed, closed) reported back to the province,
    /// keyed `clueId:step` (`ClueStore`).
    case clueFeedback = "clue_feedback"
    /// A monthly warning report (风险预警报告) as published: its figures and its PDF's SHA-256, one version per publication.
    case riskReport = "risk_report"
    /// An agency's implementation item as published, adjusted or withdrawn through a claim (认领发布), keyed by its
    /// implementation code (`ClaimStore`).
    case catalogClaim = "catalog_claim"
    /// An item set by local legislation (地方设立事项) sent to the province for coding, under its provisional code.
    case localItem = "local_item"
}

extension OutboxStore {
    /// Queues one non-record row for the province in the caller's transaction, next to the ledger entry `ledgerSeq`
    /// that records it. `key` identifies the row in its table (e.g. a subject id); the outbox's `local_id` is
    /// `kind:key`, so the per-key order rule (no version overtakes an earlier one) holds for these rows too, and
    /// `version` counts the rows queued for that key. `department` is a department code known to the hub.
    package static func enqueue(
        _ kind: OutboundKind,
        key: String,
        department: String,
        operation: Character = "U",
        body: String,
        ledgerSeq: Int64,
        on conn: PostgresConnection,
        logger: Logger
    ) async throws {
        precondition(kind != .record, "record versions are queued by RecordWriter")
        let localId = kind.rawValue + ":" + key
        let rows = try await conn.query(
            """
            INSERT INTO outbox (ledger_seq, department_id, local_id, version, cd_id, cd_operation, kind, body)
            SELECT \(ledgerSeq), d.id, \(localId),
                   coalesce((SELECT max(version) FROM outbox o WHERE o.department_id = d.id AND o.local_id = \(localId)), 0) + 1,
                   gen_random_uuid(), \(String(operation)), \(kind.rawValue), \(body)
            FROM departments d WHERE d.code = \(department)
            RETURNING id
            """,
            logger: logger
        )
        for try await _ in rows.decode(Int64.self) { return }
        throw UnknownDepartment(code: department)
    }

    /// An outbox row named a department the hub does not know: a caller's bug, never a client's input.
    package struct UnknownDepartment: Error, Sendable {
        package var code: String
    }
}
