import HubModel
import Logging
import PostgresNIO
import Supervision

/// Writes library batches (一单两库 and conflicts) and reads the libraries back.
///
/// A batch is one transaction: the ledger's append lock first (it also serializes library writers, so what is
/// read next stays true until commit), then the facts the batch is checked against, then `LibraryRules.plan`
/// (pure) decides every row and this applies the writes: one ledger entry per changed row and, for items,
/// subjects and inspectors, one outbox row for the province. Conflicts stay in the city: they are personal
/// declarations of inspectors, and the province's 双随机 system is sent draws that already avoid them.
public struct LibraryStore: Sendable {
    public let db: HubDatabase

    public init(db: HubDatabase) { self.db = db }

    /// Checks and writes one batch signed (or imported) for department `signer`; one result per outcome, in order.
    public func write(_ outcomes: [LibraryReader.Outcome], kind: LibraryKind, signer: String) async throws -> [LibraryResult] {
        let logger = db.logger
        return try await db.client.transaction(logger: logger) { conn in
            var chain = try await LedgerChain(conn, logger: logger)
            let facts = try await Self.facts(for: outcomes, kind: kind, signer: signer, on: conn, logger: logger)
            let decisions = LibraryRules.plan(outcomes, kind: kind, facts: facts)
            var writes: [(LibraryChange, Int64)] = []
            var results: [LibraryResult] = []
            results.reserveCapacity(decisions.count)
            for (index, decision) in decisions.enumerated() {
                switch decision {
                case .write(let change):
                    let entry = chain.add(change.ledgerDraft(department: signer))
                    writes.append((change, entry.seq))
                    results.append(LibraryResult(index: index, status: .accepted, key: change.key, operation: change.operation, ledgerSeq: entry.seq))
                case .unchanged(let key):
                    results.append(LibraryResult(index: index, status: .unchanged, key: key))
                case .rejected(let errors):
                    results.append(LibraryResult(index: index, status: .rejected, errors: errors))
                }
            }
            try await chain.flush(conn, logger: logger)
            try await Self.apply(writes, kind: kind, signer: signer, on: conn, logger: logger)
            return results
        }
    }

    /// What the rules need for this batch, read inside the transaction after the ledger lock.
    static func facts(
        for outcomes: [LibraryReader.Outcome],
        kind: LibraryKind,
        signer: String,
        on conn: PostgresConnection,
        logger: Logger
    ) async throws -> LibraryFacts {
        var facts = LibraryFacts(signer: signer)
        let rows: [LibraryRow] = outcomes.compactMap { if case .valid(let e) = $0 { LibraryRules.owned(e.row, by: signer) } else { nil } }
        let keys = Array(Set(rows.map(\.key)))
        switch kind {
        case .items:
            let codes = Array(Set(rows.compactMap { if case .item(let i, _) = $0 { i.catalogCode } else { nil } }))
            for try await code in try await conn.query("SELECT DISTINCT code FROM catalog_items WHERE code = ANY(\(codes))", logger: logger)
                .decode(String.self)
            {
                facts.catalogCodes.insert(code)
            }
            for try await code in try await conn.query("SELECT code FROM departments", logger: logger).decode(String.self) {
                facts.departments.insert(code)
            }
            for row in try await LibraryQueries.items(
                where: "department_code || ':' || catalog_code = ANY($1)",
                LibraryQueries.keys(keys),
                on: conn,
                logger: logger
            ) {
                facts.stored[row.row.key] = row.row
            }
        case .subjects:
            for row in try await LibraryQueries.subjects(where: "subject_id = ANY($1)", LibraryQueries.keys(keys), on: conn, logger: logger) {
                facts.stored[row.row.key] = row.row
            }
        case .inspectors:
            for row in try await LibraryQueries.inspectors(where: "certificate_no = ANY($1)", LibraryQueries.keys(keys), on: conn, logger: logger) {
                facts.stored[row.row.key] = row.row
            }
        case .conflicts:
            for row in try await LibraryQueries.conflicts(
                where: "certificate_no || ':' || subject_id = ANY($1)",
                LibraryQueries.keys(keys),
                on: conn,
                logger: logger
            ) {
                facts.stored[row.row.key] = row.row
            }
            let certificates = Array(Set(rows.compactMap { if case .conflict(let c, _) = $0 { c.certificateNo } else { nil } }))
            for try await (certificate, department) in try await conn.query(
                "SELECT certificate_no, department_code FROM rc_inspectors WHERE certificate_no = ANY(\(certificates))",
                logger: logger
            ).decode((String, String).self) {
                facts.inspectorDepartments[certificate] = department
            }
        }
        return facts
    }

    /// Applies the decided changes of one batch, set-based: one statement per table whatever the batch size (a key
    /// changed twice in the batch is written in its last state; the ledger and the outbox keep every change), then
    /// the rows for the province in one statement (conflicts excepted).
    static func apply(_ writes: [(LibraryChange, Int64)], kind: LibraryKind, signer: String, on conn: PostgresConnection, logger: Logger) async throws
    {
        guard !writes.isEmpty else { return }
        var last: [String: Int] = [:]
        for (i, write) in writes.enumerated() { last[write.0.key] = i }
        let final = writes.indices.filter { last[writes[$0].0.key] == $0 }.map { writes[$0] }
        let outbound: OutboundKind?
        switch kind {
        case .items:
            outbound = .checkItem
            try await LibraryWrites.items(final, on: conn, logger: logger)
        case .subjects:
            outbound = .subject
            try await LibraryWrites.subjects(final, signer: signer, on: conn, logger: logger)
        case .inspectors:
            outbound = .inspector
            try await LibraryWrites.inspectors(final, on: conn, logger: logger)
        case .conflicts:
            outbound = nil
            try await LibraryWrites.conflicts(final, on: conn, logger: logger)
        }
        if let outbound {
            let rows = writes.map { change, seq in
                OutboxStore.OutboundRow(key: change.key, operation: change.operation == .delete ? "D" : "U", body: change.body, ledgerSeq: seq)
            }
            try await OutboxStore.enqueue(outbound, rows: rows, department: signer, on: conn, logger: logger)
        }
    }
}
