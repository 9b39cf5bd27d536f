import Foundation
import HubModel
import Ingest
import Logging
import NIOCore
import Normalization
import PostgresNIO
import Supervision

/// The one writer of record versions: applies an `IngestPlan` inside the caller's transaction, after the
/// ledger lock. Used by ingest (new versions) and by a review's release (held versions decided).
///
/// Set-based on purpose: whatever the batch size, the versions cost a handful of statements — new versions
/// and outbox rows go in with COPY (the outbox's `cd_id` is a `UUID` chosen here, once), released versions are
/// updated with one statement. Only the ids the database assigns (an automatic mapping release, a review item)
/// are written before the versions that cite them.
struct RecordWriter {
    let department: Department
    let catalogDepartment: String?
    let logger: Logger

    /// Writes the plan; returns the versions as stored, aligned with `plan.versions`.
    func apply(_ plan: IngestPlan, conn: PostgresConnection, chain: inout LedgerChain) async throws -> [StoredVersion] {
        let prepared = try await prepare(plan, conn: conn, chain: &chain)
        // The entries first: the outbox rows point at them.
        try await chain.flush(conn, logger: logger)
        try await prepared.rows.write(department: department.id, conn, logger: logger)
        try await finish(plan, prepared, conn: conn)
        return prepared.written
    }

    /// A plan chained and turned into rows, not yet written: what `apply` writes, and what a group commit
    /// (`IngestStore.write(group:)`) merges with the other batches' rows into one COPY per table.
    struct Prepared {
        var rows: Rows
        /// The versions as they will be stored, aligned with `plan.versions`.
        var written: [StoredVersion]
        var publications: [PublicationWriter.Pending]
    }

    /// Everything that must precede the rows: mapping releases and review items (ids the database assigns),
    /// the versions' and publications' ledger entries chained (not flushed), and the rows built.
    func prepare(_ plan: IngestPlan, conn: PostgresConnection, chain: inout LedgerChain) async throws -> Prepared {
        // Automatic matches become mapping releases (ledger entries first, so records can cite them).
        var releases: [String: Int64] = [:]
        for auto in plan.automaticReleases {
            releases[auto.localCode] = try await MappingStore.insert(
                department: department,
                localCode: auto.localCode,
                catalogCode: auto.catalogCode,
                implementationCode: nil,
                relationship: "equivalent",
                rule: "legal-basis-auto",
                decidedBy: "hub-matcher",
                reason: "唯一候选事项法定依据同源 (exactly one candidate with the same instrument and article)",
                evidence: auto.evidence,
                reviewId: nil,
                status: "confirmed",
                conn: conn,
                chain: &chain,
                logger: logger
            )
        }
        let reviews = try await openReviews(plan.reviews, conn: conn)

        var rows = Rows()
        var written: [StoredVersion] = []
        written.reserveCapacity(plan.versions.count)
        for v in plan.versions {
            var stored = StoredVersion(version: v.version, contentHash: v.contentHash, status: v.status, operation: v.operation)
            var release: Int64?
            switch v.state {
            case let .accepted(catalogCode, implementationCode, rule, ref):
                release =
                    switch ref {
                    case .stored(let id)?: id
                    case .automatic(let code)?: releases[code]
                    case nil: nil
                    }
                let entry = chain.add(v.entry(department: department.code, release: release)!)
                stored.ledgerSeq = entry.seq
                stored.entryHash = entry.hashHex
                stored.catalogCode = catalogCode
                stored.implementationCode = implementationCode
                stored.rule = rule.rawValue
                if let receipt = v.receipt {
                    rows.receipt(
                        department: department.id,
                        v,
                        status: .accepted,
                        detail: receipt.acceptedDetail(
                            ledgerSeq: entry.seq,
                            entryHash: entry.hashHex,
                            catalogCode: catalogCode,
                            implementationCode: implementationCode
                        )
                    )
                }
            case .held(let ref):
                stored.reviewId =
                    switch ref {
                    case .stored(let id)?: id
                    case .item(let code)?: reviews[code]
                    case nil: nil
                    }
            case .rejected(let detail):
                rows.receipt(department: department.id, v, status: .rejected, detail: detail)
            }
            rows.append(department: department.id, v, stored: stored, release: release)
            written.append(stored)
        }
        // Publications (行政执法公示) of the accepted versions: planned and chained with the records' entries.
        let publications = PublicationWriter(department: department, logger: logger)
        var pending = try await publications.plans(plan.versions, written: written, conn: conn)
        PublicationWriter.chain(&pending, department: department.code, chain: &chain)
        return Prepared(rows: rows, written: written, publications: pending)
    }

    /// What follows the rows (after the chain was flushed and the rows written): task results and publications.
    func finish(_ plan: IngestPlan, _ prepared: Prepared, conn: PostgresConnection) async throws {
        try await writeTaskResults(plan.versions, written: prepared.written, conn: conn)
        try await PublicationWriter(department: department, logger: logger).write(prepared.publications, conn: conn)
    }

    /// The accepted versions that report a random-check task become the department's result for it
    /// (`checked_on` = the inspection's date in Asia/Shanghai; `publish_due` = 20 working days later by the loaded
    /// calendar, NULL while a year of it is missing);
    /// a task is done once every department of it reported.
    func writeTaskResults(_ versions: [PlannedVersion], written: [StoredVersion], conn: PostgresConnection) async throws {
        var taskIds: [String] = []
        var localIds: [String] = []
        var checkedAt: [String] = []
        var seqs: [Int64] = []
        for (v, stored) in zip(versions, written) {
            guard let result = v.taskResult, stored.status == .accepted, let seq = stored.ledgerSeq else { continue }
            taskIds.append(result.taskId)
            localIds.append(v.localId)
            checkedAt.append(result.checkedAt)
            seqs.append(seq)
        }
        guard !taskIds.isEmpty else { return }
        try await conn.query(
            """
            INSERT INTO rc_task_results (task_id, department_code, local_id, checked_on, ledger_seq)
            SELECT DISTINCT ON (t.task) t.task, \(department.code), t.lid, (t.checked::timestamptz AT TIME ZONE 'Asia/Shanghai')::date, t.seq
            FROM unnest(\(taskIds)::text[], \(localIds)::text[], \(checkedAt)::text[], \(seqs)::bigint[]) WITH ORDINALITY AS t(task, lid, checked, seq, n)
            ORDER BY t.task, t.n DESC
            ON CONFLICT (task_id, department_code)
            DO UPDATE SET local_id = excluded.local_id, checked_on = excluded.checked_on, ledger_seq = excluded.ledger_seq
            """,
            logger: logger
        )
        // The publication deadline: 20 working days after the check, counted with the loaded calendar.
        let calendar = try await CalendarStore.workingDays(on: conn, logger: logger)
        var dueTasks: [String] = []
        var dueDates: [String] = []
        for try await (task, checked) in try await conn.query(
            """
            SELECT task_id, to_char(checked_on, 'YYYY-MM-DD') FROM rc_task_results
            WHERE task_id = ANY(\(taskIds)) AND department_code = \(department.code)
            """,
            logger: logger
        ).decode((String, String).self) {
            guard let day = CalendarDate(checked), let due = PublicationDeadline.randomCheckResult(checkedOn: day, calendar: calendar) else {
                continue
            }
            dueTasks.append(task)
            dueDates.append(due.description)
        }
        try await conn.query(
            """
            UPDATE rc_task_results r SET publish_due = d.due::date
            FROM unnest(\(dueTasks)::text[], \(dueDates)::text[]) AS d(task, due)
            WHERE r.task_id = d.task AND r.department_code = \(department.code)
            """,
            logger: logger
        )
        try await conn.query(
            """
            UPDATE rc_tasks t SET status = 'done', result_at = now()
            WHERE t.task_id = ANY(\(taskIds)) AND t.status = 'open'
              AND NOT EXISTS (SELECT 1 FROM unnest(t.departments) AS d(code)
                              WHERE NOT EXISTS (SELECT 1 FROM rc_task_results r WHERE r.task_id = t.task_id AND r.department_code = d.code))
            """,
            logger: logger
        )
    }

    /// Opens a review item per held local item, or refreshes the unresolved one; returns local code → review id.
    func openReviews(_ drafts: [ReviewDraft], conn: PostgresConnection) async throws -> [String: Int64] {
        guard !drafts.isEmpty else { return [:] }
        let rows = try await conn.query(
            """
            INSERT INTO review_items (department_id, local_code, local_name, legal_basis, record_kind, reason, catalog_department, candidates)
            SELECT \(department.id), code, nullif(name, ''), nullif(basis, ''), kind, reason, \(catalogDepartment), cands
            FROM unnest(\(drafts.map(\.localCode))::text[], \(drafts.map { $0.localName ?? "" })::text[], \(drafts.map { $0.legalBasis ?? "" })::text[],
                        \(drafts.map(\.recordKind.rawValue))::text[], \(drafts.map(\.reason.rawValue))::text[], \(drafts.map(\.candidates))::text[])
                 AS t(code, name, basis, kind, reason, cands)
            ON CONFLICT (department_id, local_code) WHERE status IN ('open', 'pending_approval')
            DO UPDATE SET last_seen_at = now()
            RETURNING local_code, id
            """,
            logger: logger
        )
        var out: [String: Int64] = [:]
        for try await (code, id) in rows.decode((String, Int64).self) { out[code] = id }
        return out
    }

    /// The rows of one plan: new versions, outbox rows and receipts with COPY; decided held versions as arrays
    /// for one UPDATE.
    struct Rows {
        var records = CopyRows(
            table: "records",
            columns: [
                "department_id", "local_id", "version", "status", "operation", "content_hash", "body", "catalog_code",
                "implementation_code", "rule", "mapping_release", "review_id", "ledger_seq", "batch_id",
            ]
        )
        /// `received_at` is `now` (PostgreSQL's input for the transaction's start, as the new version's own
        /// `received_at`) or, for a released version, when it was received: the outbox counts it on that day.
        var outbox = CopyRows(
            table: "outbox",
            columns: ["ledger_seq", "department_id", "local_id", "version", "cd_id", "cd_operation", "received_at"]
        )
        var receipts = CopyRows(table: "receipts", columns: ["department_id", "local_id", "version", "kind", "status", "detail"])
        var updates = Updates()

        /// Columns of the decided held versions; empty text and 0 stand for NULL (the arrays carry no NULLs).
        struct Updates {
            var localIds: [String] = [], versions: [Int] = [], statuses: [String] = [], bodies: [String] = []
            var catalogCodes: [String] = [], implementationCodes: [String] = [], rules: [String] = [], rejections: [String] = []
            var releases: [Int64] = [], reviews: [Int64] = [], seqs: [Int64] = []
        }

        mutating func append(department: Int64, _ v: PlannedVersion, stored: StoredVersion, release: Int64?) {
            func text(_ s: String?) -> CopyRows.Field { s.map { .text($0) } ?? .null }
            func int(_ n: Int64?) -> CopyRows.Field { n.map { .int($0) } ?? .null }
            let body = v.body.map { String(decoding: $0, as: UTF8.self) }
            switch v.write {
            case .insert:
                records.append([
                    .int(department), .text(v.localId), .int(Int64(v.version)), .text(stored.status.rawValue), .text(v.operation),
                    .bytes(v.contentHash), text(body), text(stored.catalogCode), text(stored.implementationCode), text(stored.rule),
                    int(release), int(stored.reviewId), int(stored.ledgerSeq), text(v.batchId),
                ])
            case .update:
                updates.localIds.append(v.localId)
                updates.versions.append(v.version)
                updates.statuses.append(stored.status.rawValue)
                updates.bodies.append(body ?? "")
                updates.catalogCodes.append(stored.catalogCode ?? "")
                updates.implementationCodes.append(stored.implementationCode ?? "")
                updates.rules.append(stored.rule ?? "")
                if case .rejected(let detail) = v.state { updates.rejections.append(detail) } else { updates.rejections.append("") }
                updates.releases.append(release ?? 0)
                updates.reviews.append(stored.reviewId ?? 0)
                updates.seqs.append(stored.ledgerSeq ?? 0)
            }
            // An accepted version is queued for the province; `cd_id` is its provincial idempotency key, chosen once.
            if let seq = stored.ledgerSeq {
                outbox.append([
                    .int(seq), .int(department), .text(v.localId), .int(Int64(v.version)),
                    .text(UUID().uuidString.lowercased()), .text(v.operation), .text(v.receivedAt ?? "now"),
                ])
            }
        }

        mutating func receipt(department: Int64, _ v: PlannedVersion, status: RecordResult.Status, detail: String) {
            receipts.append([.int(department), .text(v.localId), .int(Int64(v.version)), .text("review"), .text(status.rawValue), .text(detail)])
        }

        /// The rows of several departments' plans written as one: one COPY per table (each row carries its
        /// department). Only inserts merge; a group commit's plans have no updates (those come from a review's release).
        static func merged(_ parts: [Rows]) -> Rows {
            var out = Rows()
            for part in parts {
                precondition(part.updates.localIds.isEmpty, "only new versions are written by a group commit")
                out.records.append(contentsOf: part.records)
                out.outbox.append(contentsOf: part.outbox)
                out.receipts.append(contentsOf: part.receipts)
            }
            return out
        }

        /// Writes the versions, then the outbox rows and receipts (their ledger entries are already in this transaction).
        func write(department: Int64, _ conn: PostgresConnection, logger: Logger) async throws {
            try await records.copy(conn, logger: logger)
            if !updates.localIds.isEmpty {
                let u = updates
                try await conn.query(
                    """
                    UPDATE records r SET status = t.status, body = coalesce(nullif(t.body, ''), r.body),
                        catalog_code = nullif(t.catalog_code, ''), implementation_code = nullif(t.implementation_code, ''),
                        rule = nullif(t.rule, ''), mapping_release = nullif(t.release, 0), ledger_seq = nullif(t.seq, 0),
                        review_id = CASE WHEN t.status = 'held' THEN nullif(t.review, 0) ELSE r.review_id END,
                        rejection = nullif(t.rejection, '')
                    FROM unnest(\(u.localIds)::text[], \(u.versions)::int[], \(u.statuses)::text[], \(u.bodies)::text[],
                                \(u.catalogCodes)::text[], \(u.implementationCodes)::text[], \(u.rules)::text[], \(u.rejections)::text[],
                                \(u.releases)::bigint[], \(u.reviews)::bigint[], \(u.seqs)::bigint[])
                         AS t(local_id, version, status, body, catalog_code, implementation_code, rule, rejection, release, review, seq)
                    WHERE r.department_id = \(department) AND r.local_id = t.local_id AND r.version = t.version
                    """,
                    logger: logger
                )
            }
            try await outbox.copy(conn, logger: logger)
            try await receipts.copy(conn, logger: logger)
        }
    }
}
