import HubModel
import Logging
import PostgresNIO

/// The ledger's monthly partitions (migration 24): made ahead by `ledger_ensure_months` (a SECURITY DEFINER
/// function, so the hub's role, which owns no table, can call it), listed for the console and the archive.
public enum LedgerPartitions {
    /// Whether a table is one of the ledger's partitions (`ledger_legacy`, `ledger_default`, `ledger_yYYYYmMM`).
    static func isPartition(_ table: String) -> Bool {
        if table == "ledger_legacy" || table == "ledger_default" { return true }
        let rest = table.dropFirst("ledger_y".count)
        return table.hasPrefix("ledger_y") && rest.count == 7 && rest.dropFirst(4).first == "m"
            && rest.filter({ $0 != "m" }).allSatisfy(\.isNumber)
    }

    /// Creates this month's and the next `ahead` months' partitions where missing (+08:00 months); returns
    /// the names it created. Cheap when they exist; run on start and with every checkpoint round. Writes
    /// never depend on it: `ledger_default` takes a month nobody created. The function takes an `int`: the
    /// value goes as `Int32` (PostgreSQL does not narrow a `bigint` argument to find a function).
    @discardableResult
    public static func ensure(_ db: HubDatabase, ahead: Int = 2) async throws -> [String] {
        var made: [String] = []
        for try await name in try await db.client.query("SELECT ledger_ensure_months(\(Int32(ahead)))", logger: db.logger).decode(String.self) {
            made.append(name)
        }
        if !made.isEmpty { db.logger.info("ledger partitions created", metadata: ["partitions": "\(made.joined(separator: ","))"]) }
        return made
    }

    /// One partition and its bound as PostgreSQL states it.
    public struct Partition: Sendable, Hashable {
        public var name: String
        public var bound: String
    }

    public static func list(_ db: HubDatabase) async throws -> [Partition] {
        var out: [Partition] = []
        for try await (name, bound) in try await db.client.query(
            """
            SELECT c.relname::text, pg_get_expr(c.relpartbound, c.oid)
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'ledger'::regclass ORDER BY c.relname
            """,
            logger: db.logger
        ).decode((String, String).self) { out.append(Partition(name: name, bound: bound)) }
        return out
    }
}
