import Foundation
import HubModel
import HubStore
import Logging
import NIOCore
import Normalization
import PostgresNIO

/// The floor: the same rows the hub writes (ledger, records, outbox), prepared in memory beforehand and
/// streamed with COPY over one connection in one transaction. Only the COPY is timed (and its CPU counted:
/// this process's for the client side, the cluster's for PostgreSQL).
enum CopyBaseline {
    static func run(
        cluster: BenchCluster,
        url: String,
        records: [String],
        catalogCode: String,
        implementationCode: String
    ) async throws -> (Measured, rows: Int) {
        let logger = cluster.logger
        let db = try HubDatabase(url: url, maxConnections: 2, logger: logger)
        return try await db.withRunning { db in
            try await Migrations.apply(db)
            // The baseline's own department: any master key seals its secret.
            let store = DepartmentStore(db: db, vault: try SecretVault(key: benchMasterKey))
            _ = try await store.add(code: "BENCH", name: "基准测试部门")
            let deptId = try await store.department(code: "BENCH")!.id
            let reader = RecordReader(dictionaries: try DictionaryLoader.load(from: URL(fileURLWithPath: cluster.mappings + "/dictionaries")))
            // The same row builder (text-format escaping) the hub uses for its own COPY.
            var ledger = CopyRows(
                table: "ledger",
                columns: ["seq", "kind", "department", "subject", "recorded_us", "payload", "prev_hash", "entry_hash"]
            )
            var recordRows = CopyRows(
                table: "records",
                columns: [
                    "department_id", "local_id", "version", "status", "operation", "content_hash", "body",
                    "catalog_code", "implementation_code", "rule", "ledger_seq",
                ]
            )
            var outbox = CopyRows(table: "outbox", columns: ["ledger_seq", "department_id", "local_id", "version", "cd_id", "cd_operation"])
            var previous = LedgerEntry.genesisHash
            let now = nowMicros()
            for (i, text) in records.enumerated() {
                guard case .valid(let record) = reader.read(try JSONParser().parse(Array(text.utf8)), path: "r") else { fatalError("invalid sample") }
                let body = String(decoding: record.canonicalBytes, as: UTF8.self)
                let entry = LedgerEntry(
                    seq: Int64(i + 1),
                    kind: "record",
                    department: "BENCH",
                    subject: "\(record.localId)#1",
                    recordedMicros: now,
                    payload: body,
                    previousHash: previous
                )
                previous = entry.hash
                ledger.append([
                    .int(entry.seq), .text("record"), .text("BENCH"), .text(entry.subject), .int(now), .text(body),
                    .bytes(entry.previousHash), .bytes(entry.hash),
                ])
                recordRows.append([
                    .int(deptId), .text(record.localId), .int(1), .text("accepted"), .text("I"), .bytes(sha256(record.canonicalBytes)),
                    .text(body), .text(catalogCode), .text(implementationCode), .text("record-codes"), .int(entry.seq),
                ])
                outbox.append([.int(entry.seq), .int(deptId), .text(record.localId), .int(1), .text(UUID().uuidString.lowercased()), .text("I")])
            }
            let (l, r, o) = (ledger, recordRows, outbox)
            let measured = try await Measured.measure(cluster, process: nil) {
                try await db.client.withTransaction(logger: logger) { conn in
                    try await l.copy(conn, logger: logger)
                    try await r.copy(conn, logger: logger)
                    try await o.copy(conn, logger: logger)
                }
            }
            var n = 0
            for try await c in try await db.client.query("SELECT count(*)::int FROM records", logger: logger).decode(Int.self) { n = c }
            return (measured, n)
        }
    }
}
