import Foundation
import HubModel
import HubStore
import Logging
import NIOCore
import Normalization
import PostgresNIO

/// The floor: the same rows the hub writes (ledger, records, outbox), prepared in memory beforehand and
/// streamed with COPY over one connection in one transaction. Only the COPY is timed.
enum CopyBaseline {
    static func run(
        url: String,
        records: [String],
        mappings: String,
        catalogCode: String,
        implementationCode: String,
        logger: Logger
    ) async throws -> (seconds: Double, rows: Int) {
        let db = try HubDatabase(url: url, maxConnections: 2, logger: logger)
        return try await db.withRunning { db in
            try await Migrations.apply(db)
            // The baseline's own department: any master key seals its secret.
            let store = DepartmentStore(db: db, vault: try SecretVault(key: Array(repeating: 7, count: 32)))
            _ = try await store.add(code: "BENCH", name: "基准测试部门")
            let deptId = try await store.department(code: "BENCH")!.id
            let reader = RecordReader(dictionaries: try DictionaryLoader.load(from: URL(fileURLWithPath: mappings + "/dictionaries")))
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
            let start = ContinuousClock.now
            try await db.client.withTransaction(logger: logger) { conn in
                try await ledger.copy(conn, logger: logger)
                try await recordRows.copy(conn, logger: logger)
                try await outbox.copy(conn, logger: logger)
            }
            let elapsed = ContinuousClock.now - start
            var n = 0
            for try await c in try await db.client.query("SELECT count(*)::int FROM records", logger: logger).decode(Int.self) { n = c }
            return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, n)
        }
    }
}
