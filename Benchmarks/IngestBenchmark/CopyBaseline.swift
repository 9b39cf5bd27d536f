import ArgumentParser
import BenchSupport
import Foundation
import HubModel
import HubStore
import Logging
import NIOCore
import Normalization
import PostgresNIO
import Supervision

/// The floor: the same rows the hub writes for the same records, prepared in memory beforehand and streamed with
/// COPY over one connection in one transaction. Per accepted inspection that is a `record` ledger entry, the
/// record, its outbox row, and — since 行政执法公示 — a `publication` ledger entry, the `publications` row and the
/// publication's outbox row (the plan and its texts made by the hub's own pure code, `PublicationPlan.make`).
/// Only the COPY is timed (and its CPU counted: this process's for the client side, the cluster's for
/// PostgreSQL). Not written: the message log's one row per batch and the nonces (one per request), which the
/// floor has no requests for.
enum CopyBaseline {
    static let department = "BENCH"

    static func run(
        cluster: BenchCluster,
        url: String,
        records: [String],
        catalogCode: String,
        implementationCode: String
    ) async throws -> (Measured, rows: Int, counts: RowCounts) {
        let logger = cluster.logger
        let db = try HubDatabase(url: url, maxConnections: 2, logger: logger)
        return try await db.withRunning { db in
            try await Migrations.apply(db)
            // The baseline's own department: any master key seals its secret.
            let store = DepartmentStore(db: db, vault: try SecretVault(key: benchMasterKey))
            _ = try await store.add(code: department, name: "基准测试部门")
            let deptId = try await store.department(code: department)!.id
            let calendar = try await CalendarStore(db: db).workingDays()
            let reader = RecordReader(dictionaries: try DictionaryLoader.load(from: URL(fileURLWithPath: cluster.mappings + "/dictionaries")))
            var rows = Rows()
            var chain = Chain()
            var plans: [(PublicationPlan, localId: String)] = []
            for text in records {
                guard case .valid(let record) = reader.read(try JSONParser().parse(Array(text.utf8)), path: "r") else { fatalError("invalid sample") }
                let body = String(decoding: record.canonicalBytes, as: UTF8.self)
                let entry = chain.add(kind: "record", subject: "\(record.localId)#1", payload: body)
                rows.ledger.append(chain.fields(entry))
                rows.records.append([
                    .int(deptId), .text(record.localId), .int(1), .text("accepted"), .text("I"), .bytes(sha256(record.canonicalBytes)),
                    .text(body), .text(catalogCode), .text(implementationCode), .text("record-codes"), .int(entry.seq),
                ])
                rows.outbox.append([.int(entry.seq), .int(deptId), .text(record.localId), .int(1), .text(UUID().uuidString.lowercased()), .text("I")])
                if let act = PublishableAct(record: try JSONParser().parse(record.canonicalBytes), department: department) {
                    plans.append((PublicationPlan.make(act: act, localId: record.localId, calendar: calendar), record.localId))
                }
            }
            // The publications after the records' entries, as the hub chains them within a batch.
            for (id, (plan, localId)) in zip(1..., plans) {
                let entry = chain.add(
                    kind: "publication",
                    subject: "publication:" + plan.sourceKey,
                    payload: PublicationJSON.ledgerPayload(plan, version: 1)
                )
                rows.ledger.append(chain.fields(entry))
                let body = plan.publication.map { String(decoding: CanonicalJSON.encode(PublicationJSON.body($0)), as: UTF8.self) } ?? "{}"
                func text(_ s: String?) -> CopyRows.Field { s.map { .text($0) } ?? .null }
                rows.publications.append([
                    .int(Int64(id)), .text(plan.kind.rawValue), .text(department), .text(plan.sourceKey), .text(localId), .int(1),
                    .text(plan.publication?.subjectName ?? ""), text(plan.publication?.uscc), .text(plan.publication?.title ?? ""), .text(body),
                    text(plan.actDate?.description), text(plan.dueDate?.description), text(plan.duePending), .text(plan.status.rawValue),
                    text(plan.withheldReason?.rawValue), .int(entry.seq),
                ])
                if plan.status == .published {
                    rows.publicationOutbox.append([
                        .int(entry.seq), .int(deptId), .text("\(OutboundKind.publication.rawValue):\(id)"), .int(1),
                        .text(UUID().uuidString.lowercased()),
                        .text("U"), .text(OutboundKind.publication.rawValue), .text(body),
                    ])
                }
            }
            let r = rows
            let measured = try await Measured.measure(cluster, process: nil) {
                try await db.client.withTransaction(logger: logger) { conn in try await r.copy(conn, logger: logger) }
            }
            let counts = try await RowCounts.read(db, department: department)
            return (measured, counts.records, counts)
        }
    }

    /// The ledger entries of the floor, chained from genesis.
    struct Chain {
        var seq: Int64 = 0
        var previous = LedgerEntry.genesisHash
        let now = nowMicros()

        mutating func add(kind: String, subject: String, payload: String) -> LedgerEntry {
            seq += 1
            let entry = LedgerEntry(
                seq: seq,
                kind: kind,
                department: department,
                subject: subject,
                recordedMicros: now,
                payload: payload,
                previousHash: previous
            )
            previous = entry.hash
            return entry
        }

        func fields(_ e: LedgerEntry) -> [CopyRows.Field] {
            [
                .int(e.seq), .text(e.kind), .text(e.department), .text(e.subject), .int(e.recordedMicros), .text(e.payload), .bytes(e.previousHash),
                .bytes(e.hash),
            ]
        }
    }

    /// The floor's rows, one COPY per table (the ledger first: the other rows point at its entries).
    struct Rows {
        var ledger = CopyRows(
            table: "ledger",
            columns: ["seq", "kind", "department", "subject", "recorded_us", "payload", "prev_hash", "entry_hash"]
        )
        var records = CopyRows(
            table: "records",
            columns: [
                "department_id", "local_id", "version", "status", "operation", "content_hash", "body",
                "catalog_code", "implementation_code", "rule", "ledger_seq",
            ]
        )
        var outbox = CopyRows(table: "outbox", columns: ["ledger_seq", "department_id", "local_id", "version", "cd_id", "cd_operation"])
        var publications = CopyRows(
            table: "publications",
            columns: [
                "id", "kind", "department_code", "source_key", "local_id", "record_version", "subject_name", "uscc", "title", "body",
                "act_date", "due_date", "due_pending", "status", "withheld_reason", "ledger_seq",
            ]
        )
        var publicationOutbox = CopyRows(
            table: "outbox",
            columns: ["ledger_seq", "department_id", "local_id", "version", "cd_id", "cd_operation", "kind", "body"]
        )

        func copy(_ conn: PostgresConnection, logger: Logger) async throws {
            for rows in [ledger, records, outbox, publications, publicationOutbox] {
                try await rows.copy(conn, logger: logger, deadline: .seconds(900))
            }
        }
    }
}

/// The rows one department's records made, by table (and ledger/outbox kind): read from the hub's database after
/// a run and from the floor's after its COPY, so the benchmark shows both sides wrote the same rows.
struct RowCounts: Equatable, CustomStringConvertible {
    var records = 0
    var recordEntries = 0
    var publicationEntries = 0
    var recordOutbox = 0
    var publicationOutbox = 0
    var publications = 0

    static func read(url: String, department: String, logger: Logger) async throws -> RowCounts {
        try await HubDatabase(url: url, maxConnections: 1, logger: logger).withRunning { db in try await read(db, department: department) }
    }

    static func read(_ db: HubDatabase, department: String) async throws -> RowCounts {
        let query: PostgresQuery = """
            SELECT (SELECT count(*) FROM records r JOIN departments d ON d.id = r.department_id WHERE d.code = \(department))::int,
                   (SELECT count(*) FROM ledger WHERE department = \(department) AND kind = 'record')::int,
                   (SELECT count(*) FROM ledger WHERE department = \(department) AND kind = 'publication')::int,
                   (SELECT count(*) FROM outbox o JOIN departments d ON d.id = o.department_id WHERE d.code = \(department) AND o.kind = 'record')::int,
                   (SELECT count(*) FROM outbox o JOIN departments d ON d.id = o.department_id WHERE d.code = \(department) AND o.kind = \(OutboundKind.publication.rawValue))::int,
                   (SELECT count(*) FROM publications WHERE department_code = \(department))::int
            """
        for try await (a, b, c, d, e, f) in try await db.client.query(query, logger: db.logger).decode((Int, Int, Int, Int, Int, Int).self) {
            return RowCounts(records: a, recordEntries: b, publicationEntries: c, recordOutbox: d, publicationOutbox: e, publications: f)
        }
        return RowCounts()
    }

    var description: String {
        "records \(records), ledger record \(recordEntries) + publication \(publicationEntries), outbox record \(recordOutbox) + publication \(publicationOutbox), publications \(publications)"
    }
}

extension RowCounts {
    /// Prints both sides' rows and stops the benchmark when they differ (the ratio would compare unequal work).
    static func check(hub: RowCounts?, copy: RowCounts) throws {
        guard let hub else {
            log("  rows written by COPY: \(copy)")
            return
        }
        log("  rows written, hub:  \(hub)\n  rows written, COPY: \(copy)")
        guard hub == copy else { throw ValidationError("the COPY floor wrote other rows than the hub: hub \(hub), COPY \(copy)") }
    }
}
