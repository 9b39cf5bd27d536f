import Foundation
import HubModel
import Normalization
import PostgresNIO

/// The catalog index the matcher reads, rebuilt when the catalog changed.
///
/// The index is a value built from `catalog_current`; the cache holds one and checks a cheap fingerprint
/// (newest version timestamp, row count, count of versions in force by now) at most every few seconds, so several hub instances see a
/// catalog import within that interval without a restart.
public actor CatalogCache {
    let db: HubDatabase
    let checkInterval: Duration
    var index: CatalogIndex?
    var fingerprint: String?
    var checkedAt: ContinuousClock.Instant?

    /// The instrument alias table (`Mappings/catalog/instrument-aliases.csv`) every index is built with.
    let aliases: InstrumentAliases

    public init(db: HubDatabase, aliases: InstrumentAliases = .none, checkInterval: Duration = .seconds(5)) {
        self.db = db
        self.aliases = aliases
        self.checkInterval = checkInterval
    }

    public func current() async throws -> CatalogIndex {
        let now = ContinuousClock.now
        if let index, let checkedAt, now - checkedAt < checkInterval { return index }
        var print = ""
        // The count of versions in force by now moves when a future-dated version reaches its day, with no write.
        for try await (n, effective, newest) in try await db.client.query(
            "SELECT count(*)::int, (count(*) FILTER (WHERE effective_from <= now()))::int, coalesce(max(recorded_at)::text, '') FROM catalog_items",
            logger: db.logger
        ).decode((Int, Int, String).self) {
            print = "\(n)/\(effective)/\(newest)"
        }
        checkedAt = now
        if let index, print == fingerprint { return index }
        var entries: [CatalogEntry] = []
        let rows = try await db.client.query(
            """
            SELECT code, name, item_type, department, legal_basis, legal_refs::text, status FROM catalog_current ORDER BY code
            """,
            logger: db.logger
        )
        for try await (code, name, type, department, basis, refs, status) in rows.decode(
            (String, String, String, String, String, String, String).self
        ) {
            let references = (try? JSONDecoder().decode([LegalReference].self, from: Data(refs.utf8))) ?? CitationParser.parse(basis)
            entries.append(
                CatalogEntry(
                    code: code,
                    name: name,
                    itemType: ItemType(rawValue: type) ?? .other,
                    department: department,
                    legalBasis: basis,
                    references: references,
                    active: status == "active"
                )
            )
        }
        let built = CatalogIndex(entries, aliases: aliases)
        index = built
        fingerprint = print
        return built
    }

    /// Forget the index (after an import in this process).
    public func invalidate() { checkedAt = nil }
}
