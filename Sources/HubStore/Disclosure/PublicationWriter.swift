import Foundation
import HubModel
import Ingest
import Logging
import PostgresNIO
import Supervision

/// Turns accepted record versions into publications (行政执法公示) inside the record writer's transaction: the
/// decision is the pure `PublicationPlan.make`; this applies it. One ledger entry `publication` per plan (its
/// payload is the redacted text, or the reason it is withheld — never the unredacted record), and one outbox
/// row `publication` per published item for the provincial portals. Set-based like `RecordWriter`.
struct PublicationWriter {
    let department: Department
    let logger: Logger

    /// A plan and where it came from, with its ledger entry once chained.
    struct Pending {
        var plan: PublicationPlan
        var localId: String
        var version: Int
        var ledgerSeq: Int64 = 0
    }

    /// The plans of the accepted, publishable versions (deletes and other kinds make none). Reads the working-day
    /// calendar only when there is something to publish.
    func plans(_ versions: [PlannedVersion], written: [StoredVersion], conn: PostgresConnection) async throws -> [Pending] {
        var acts: [(PublishableAct, PlannedVersion)] = []
        let parser = JSONParser()
        for (v, stored) in zip(versions, written) {
            guard stored.status == .accepted, v.operation != RecordOperation.delete.rawValue, let body = v.body,
                let tree = v.tree ?? (try? parser.parse(body)), let act = PublishableAct(record: tree, department: department.code)
            else { continue }
            acts.append((act, v))
        }
        guard !acts.isEmpty else { return [] }
        let calendar = try await CalendarStore.workingDays(on: conn, logger: logger)
        // The last version of a record in the batch wins, as for the record itself.
        var byKey: [String: Int] = [:]
        var out: [Pending] = []
        for (act, v) in acts {
            let pending = Pending(
                plan: PublicationPlan.make(act: act, localId: v.localId, calendar: calendar),
                localId: v.localId,
                version: v.version
            )
            if let i = byKey[pending.plan.sourceKey] {
                out[i] = pending
            } else {
                byKey[pending.plan.sourceKey] = out.count
                out.append(pending)
            }
        }
        return out
    }

    /// Chains one ledger entry per plan (before the caller flushes the chain).
    static func chain(_ pending: inout [Pending], department: String, chain: inout LedgerChain) {
        for i in pending.indices {
            let entry = chain.add(
                LedgerDraft(
                    kind: .publication,
                    department: department,
                    subject: "publication:" + pending[i].plan.sourceKey,
                    payload: PublicationJSON.ledgerPayload(pending[i].plan, version: pending[i].version)
                )
            )
            pending[i].ledgerSeq = entry.seq
        }
    }

    /// Writes the publications (a newer version updates the same row; a withdrawn one stays withdrawn) and queues
    /// the published ones for the province.
    func write(_ pending: [Pending], conn: PostgresConnection) async throws {
        guard !pending.isEmpty else { return }
        let p = pending.map(\.plan)
        func body(_ plan: PublicationPlan) -> String {
            guard let pub = plan.publication else { return "{}" }
            return String(decoding: CanonicalJSON.encode(PublicationJSON.body(pub)), as: UTF8.self)
        }
        let rows = try await conn.query(
            """
            INSERT INTO publications (kind, department_code, source_key, local_id, record_version, subject_name, uscc, title, body,
                                      act_date, due_date, due_pending, status, withheld_reason, ledger_seq)
            SELECT t.kind, \(department.code), t.key, t.lid, t.ver, t.name, nullif(t.uscc, ''), t.title, t.body::jsonb,
                   nullif(t.act, '')::date, nullif(t.due, '')::date, nullif(t.pending, ''), t.status, nullif(t.reason, ''), t.seq
            FROM unnest(\(p.map(\.kind.rawValue))::text[], \(p.map(\.sourceKey))::text[], \(pending.map(\.localId))::text[],
                        \(pending.map(\.version))::int[], \(p.map { $0.publication?.subjectName ?? "" })::text[],
                        \(p.map { $0.publication?.uscc ?? "" })::text[], \(p.map { $0.publication?.title ?? "" })::text[],
                        \(p.map(body))::text[], \(p.map { $0.actDate?.description ?? "" })::text[],
                        \(p.map { $0.dueDate?.description ?? "" })::text[], \(p.map { $0.duePending ?? "" })::text[],
                        \(p.map(\.status.rawValue))::text[], \(p.map { $0.withheldReason?.rawValue ?? "" })::text[],
                        \(pending.map(\.ledgerSeq))::bigint[])
                 AS t(kind, key, lid, ver, name, uscc, title, body, act, due, pending, status, reason, seq)
            ON CONFLICT (source_key) DO UPDATE SET
                kind = excluded.kind, record_version = excluded.record_version, subject_name = excluded.subject_name,
                uscc = excluded.uscc, title = excluded.title, body = excluded.body, act_date = excluded.act_date,
                due_date = excluded.due_date, due_pending = excluded.due_pending,
                status = CASE WHEN publications.status = 'withdrawn' THEN 'withdrawn' ELSE excluded.status END,
                withheld_reason = CASE WHEN publications.status = 'withdrawn' THEN NULL ELSE excluded.withheld_reason END,
                ledger_seq = excluded.ledger_seq, updated_at = now()
            RETURNING id, source_key
            """,
            logger: logger
        )
        var ids: [String: Int64] = [:]
        for try await (id, key) in rows.decode((Int64, String).self) { ids[key] = id }
        let published = pending.compactMap { item -> (Int64, Pending)? in
            guard item.plan.status == .published, let id = ids[item.plan.sourceKey] else { return nil }
            return (id, item)
        }
        guard !published.isEmpty else { return }
        try await PublicationStore.enqueue(
            published.map { (id: $0.0, seq: $0.1.ledgerSeq) },
            department: department.code,
            conn: conn,
            logger: logger
        )
    }
}
