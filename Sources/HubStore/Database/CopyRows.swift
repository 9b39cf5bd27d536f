import Logging
import NIOCore
import PostgresNIO

/// Rows for `COPY … FROM STDIN` in PostgreSQL's text format, the fastest way to write many rows.
///
/// The ledger, records and outbox of a batch go in with COPY inside the batch transaction: the ledger's
/// append lock is held while they are written, so the less time the write takes, the more batches the
/// hub takes per second.
public struct CopyRows: Sendable {
    public enum Field: Sendable {
        case text(String)
        case int(Int64)
        case bytes([UInt8])
        case null
    }

    public let table: String
    public let columns: [String]
    public private(set) var buffer = ByteBuffer()
    public private(set) var count = 0

    public init(table: String, columns: [String]) {
        self.table = table
        self.columns = columns
    }

    public mutating func append(_ fields: [Field]) {
        precondition(fields.count == columns.count)
        for (i, field) in fields.enumerated() {
            if i > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            switch field {
            case .text(let s): Self.writeEscaped(s, into: &buffer)
            case .int(let n): buffer.writeString(String(n))
            case .bytes(let b): buffer.writeString("\\\\x" + b.hex)
            case .null: buffer.writeString("\\N")
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
        count += 1
    }

    /// Appends the rows of `other` (same table and columns): the rows of a group commit's batches go in with one COPY.
    public mutating func append(contentsOf other: CopyRows) {
        precondition(other.table == table && other.columns == columns)
        var rows = other.buffer
        buffer.writeBuffer(&rows)
        count += other.count
    }

    /// Streams the rows with COPY on `conn` (inside the caller's transaction).
    ///
    /// Bounded by `deadline`: when the server drops the connection at the start of a COPY, PostgresNIO 1.33.2
    /// can lose the continuation it waits on ("leaked its continuation"), and the caller would wait forever —
    /// a request never answered, a shutdown that never finishes. Past the deadline the caller gets an error
    /// (its transaction fails and nothing is written); the lost wait is abandoned and the connection closed —
    /// it is wedged in copy mode, and a ROLLBACK sent on it would wait forever too. The pool replaces it.
    public func copy(_ conn: PostgresConnection, logger: Logger, deadline: Duration = .seconds(30)) async throws {
        guard count > 0 else { return }
        let data = buffer
        let table = self.table
        let columns = self.columns
        do {
            try await Deadline.run(deadline, operation: "COPY \(table)") {
                try await conn.copyFrom(table: table, columns: columns, logger: logger) { writer in try await writer.write(data) }
            }
        } catch let error as Deadline.Exceeded {
            logger.error("COPY did not finish: closing its connection", metadata: ["table": "\(table)"])
            try? await conn.close()
            throw error
        }
    }

    /// Backslash, tab, newline and carriage return are the characters the text format escapes.
    static func writeEscaped(_ s: String, into buffer: inout ByteBuffer) {
        var s = s
        let plain = s.withUTF8 { bytes in
            for b in bytes where b == 0x5C || b == 0x09 || b == 0x0A || b == 0x0D { return false }
            return true
        }
        if plain {
            buffer.writeString(s)
            return
        }
        for b in s.utf8 {
            switch b {
            case 0x5C: buffer.writeBytes([0x5C, 0x5C])
            case 0x09: buffer.writeBytes([0x5C, UInt8(ascii: "t")])
            case 0x0A: buffer.writeBytes([0x5C, UInt8(ascii: "n")])
            case 0x0D: buffer.writeBytes([0x5C, UInt8(ascii: "r")])
            default: buffer.writeInteger(b)
            }
        }
    }
}
