import Foundation
import HubModel
import HubServer
import HubStore
import Testing

/// The catalog sample and the importer: every version kept, nothing overwritten.
@Suite("Catalog")
struct CatalogTests {
    @Test("the sample catalog has ≥150 items over ≥8 departments, each with parsed legal-basis references and implementation items")
    func sample() async throws {
        let t = try await TestHub.make()
        try await t.withDatabase { (db: HubDatabase) async throws -> Void in
            #expect(try await count(db, "SELECT count(*)::int FROM catalog_current") >= 150)
            #expect(try await count(db, "SELECT count(DISTINCT department)::int FROM catalog_current") >= 8)
            #expect(try await count(db, "SELECT count(*)::int FROM catalog_current WHERE jsonb_array_length(legal_refs) = 0") == 0)
            #expect(
                try await count(db, "SELECT count(*)::int FROM catalog_current WHERE legal_refs @> '[{\"instrument\":\"药品管理法\",\"article\":99}]'")
                    >= 1
            )
            #expect(try await count(db, "SELECT count(DISTINCT region_code)::int FROM implementation_current") >= 8)
            #expect(try await count(db, "SELECT count(*)::int FROM catalog_current WHERE status = 'retired'") == 3)
        }
    }

    @Test("re-importing changes nothing; a changed row becomes a new version and the old one stays")
    func versions() async throws {
        let t = try await TestHub.make()
        let file = TestCluster.projectRoot.appendingPathComponent("Mappings/catalog/catalog.csv")
        let text = try String(contentsOf: file, encoding: .utf8)
        let rows = try CatalogFile.items(text, file: file.path)
        try await t.withDatabase { (db: HubDatabase) async throws -> Void in
            let store = CatalogStore(db: db)
            let again = try await store.importCatalog(rows)
            #expect(again.added == 0 && again.changed == 0 && again.unchanged == rows.count)

            var changed = rows
            changed[0].status = .retired
            changed[1].legalBasis += "；《中华人民共和国行政处罚法》第五十五条"
            let ledgerBefore = try await count(db, "SELECT count(*)::int FROM ledger")
            let summary = try await store.importCatalog(changed)
            #expect(summary.changed == 2)
            #expect(try await count(db, "SELECT count(*)::int FROM catalog_items WHERE code = '\(rows[0].code)'") == 2)
            #expect(
                try await count(db, "SELECT count(*)::int FROM catalog_current WHERE code = '\(rows[0].code)' AND status = 'retired' AND version = 2")
                    == 1
            )
            #expect(
                try await count(db, "SELECT count(*)::int FROM catalog_items WHERE code = '\(rows[0].code)' AND version = 1 AND status = 'active'")
                    == 1
            )
            #expect(try await count(db, "SELECT count(*)::int FROM ledger") == ledgerBefore + 2)
        }
    }
}
