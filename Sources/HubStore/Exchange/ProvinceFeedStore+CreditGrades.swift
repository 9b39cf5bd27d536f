import HubModel
import PostgresNIO

extension ProvinceFeedStore {
    /// Applies one page of the province's credit-grade feed to the 检查对象名录库 with its feed cursor, in one
    /// transaction: reads what the library holds for the page's subjects (locked), lets `CreditGradeFeed.plan`
    /// decide, writes each changed subject (`credit_source = 'province'`) with one `random_check_library` ledger
    /// entry, and saves the cursor. Subjects the library does not hold are left out (returned in `unknown`).
    public func store(creditGrades entries: [CreditGradeFeed.Entry], checkpoint: String, cursor: Int) async throws -> CreditGradeFeed.Plan {
        try await db.client.withTransaction(logger: db.logger) { conn in
            let ids = Array(Set(entries.map(\.subjectId))).sorted()
            var current: [String: CreditGradeFeed.Current] = [:]
            for try await (id, grade, date) in try await conn.query(
                """
                SELECT subject_id, credit_grade::text, to_char(credit_date, 'YYYY-MM-DD') FROM rc_subjects
                WHERE subject_id = ANY(\(ids)) ORDER BY subject_id FOR UPDATE
                """,
                logger: db.logger
            ).decode((String, String, String?).self) {
                current[id] = CreditGradeFeed.Current(grade: grade, date: date.flatMap(CalendarDate.init))
            }
            let plan = CreditGradeFeed.plan(entries, current: current)
            if !plan.changes.isEmpty {
                var chain = try await LedgerChain(conn, logger: db.logger)
                var seqs: [Int64] = []
                for change in plan.changes {
                    let payload = CanonicalJSON.string(
                        .object([
                            ("action", .string("credit_grade")), ("subjectId", .string(change.subjectId)),
                            ("grade", .string(change.entry.grade)), ("date", .string(change.entry.date.description)),
                            ("source", .string("province")), ("previousGrade", .string(change.previous.grade)),
                            ("previousDate", change.previous.date.map { .string($0.description) } ?? .null),
                        ])
                    )
                    seqs.append(chain.add(kind: .randomCheckLibrary, department: "", subject: "subject:" + change.subjectId, payload: payload).seq)
                }
                try await chain.flush(conn, logger: db.logger)
                try await conn.query(
                    """
                    UPDATE rc_subjects s SET credit_grade = t.grade, credit_date = t.date::date, credit_source = 'province',
                           ledger_seq = t.seq, updated_at = now()
                    FROM unnest(\(plan.changes.map(\.subjectId))::text[], \(plan.changes.map(\.entry.grade))::text[],
                                \(plan.changes.map(\.entry.date.description))::text[], \(seqs)::bigint[]) AS t(id, grade, date, seq)
                    WHERE s.subject_id = t.id
                    """,
                    logger: db.logger
                )
            }
            try await SyncCheckpoints(db: db).save(checkpoint, cursor: String(cursor), on: conn)
            return plan
        }
    }
}
