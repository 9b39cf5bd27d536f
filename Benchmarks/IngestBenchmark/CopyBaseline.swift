import Foundation
import HubModel
import HubStore
import Logging
import NIOCore
import PostgresNIO

/// The floor: the same rows the hub writes (ledger, records, outbox), prepared in memory beforehand and
/// streamed with COPY over one connection in one transaction. Only the COPY is timed.
enum CopyBaseline {
    static func run(url: String, records: [String], mappings: String, catalogCode: String, implementationCode: String,
                    logger: Logger) async throws -> (seconds: Double, rows: Int) {
        let db = try HubDatabase(url: url, maxConnections: 2, logger: logger)
        return try await db.withRunning { db in
            try await Migrations.apply(db)
            let store = DepartmentStore(db: db)
            _ = try await store.add(code: "BENCH", name: "基准测试部门")
            let deptId = try await store.department(code: "BENCH")!.id
            let reader = RecordReader(dictionaries: try DictionaryLoader.load(from: URL(fileURLWithPath: mappings + "/dictionaries")))
            var ledgerRows = [UInt8](), recordRows = [UInt8](), outboxRows = [UInt8]()
            var previous = LedgerEntry.genesisHash
            let now = nowMicros()
            for (i, text) in records.enumerated() {
                guard case .valid(let record) = reader.read(try JSONParser().parse(Array(text.utf8)), path: "r") else { fatalError("invalid sample") }
                let body = String(decoding: record.canonicalBytes, as: UTF8.self)
                let hash = sha256(record.canonicalBytes)
                let entry = LedgerEntry(seq: Int64(i + 1), kind: "record", department: "BENCH", subject: "\(record.localId)#1",
                                        recordedMicros: now, payload: body, previousHash: previous)
                previous = entry.hash
                ledgerRows += Array("\(entry.seq)\trecord\tBENCH\t\(escape(entry.subject))\t\(now)\t\(escape(body))\t\\\\x\(entry.previousHash.hex)\t\\\\x\(entry.hash.hex)\n".utf8)
                recordRows += Array("\(deptId)\t\(escape(record.localId))\t1\taccepted\tI\t\\\\x\(hash.hex)\t\(escape(body))\t\(catalogCode)\t\(implementationCode)\trecord-codes\t\(entry.seq)\n".utf8)
                outboxRows += Array("\(entry.seq)\t\(deptId)\t\(escape(record.localId))\t1\t\(UUID().uuidString.lowercased())\tI\n".utf8)
            }
            let (ledger, recordsBuffer, outbox) = (ByteBuffer(bytes: ledgerRows), ByteBuffer(bytes: recordRows), ByteBuffer(bytes: outboxRows))
            let start = ContinuousClock.now
            try await db.client.withTransaction(logger: logger) { conn in
                try await conn.copyFrom(table: "ledger", columns: ["seq", "kind", "department", "subject", "recorded_us", "payload", "prev_hash", "entry_hash"],
                                        logger: logger) { w in try await w.write(ledger) }
                try await conn.copyFrom(table: "records", columns: ["department_id", "local_id", "version", "status", "operation", "content_hash", "body",
                                                                    "catalog_code", "implementation_code", "rule", "ledger_seq"], logger: logger) { w in
                    try await w.write(recordsBuffer)
                }
                try await conn.copyFrom(table: "outbox", columns: ["ledger_seq", "department_id", "local_id", "version", "cd_id", "cd_operation"],
                                        logger: logger) { w in try await w.write(outbox) }
            }
            let elapsed = ContinuousClock.now - start
            var n = 0
            for try await c in try await db.client.query("SELECT count(*)::int FROM records", logger: logger).decode(Int.self) { n = c }
            return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, n)
        }
    }

    /// COPY text format: backslash, tab, newline and carriage return are escaped.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
