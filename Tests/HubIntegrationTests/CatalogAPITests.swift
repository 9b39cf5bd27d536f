import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import HummingbirdTesting
import PostgresNIO
import Testing

/// `GET /api/v1/catalog`: the catalog of a department's agencies for its own systems, paged by an opaque cursor
/// that never skips a change, in JSON and XML.
@Suite("Catalog API for department systems")
struct CatalogAPITests {
    static let xml: HTTPFields = [.accept: "application/xml"]

    /// Every page from `cursor` on, and the cursor after the last.
    static func walk(_ client: any TestClientProtocol, _ t: TestHub, from cursor: String?, limit: Int) async throws -> ([JSONValue], String) {
        var items: [JSONValue] = []
        var next = cursor
        for _ in 0..<1000 {
            let query = "limit=\(limit)" + (next.map { "&changedSince=\($0)" } ?? "")
            let page = try await client.signed(.get, "/api/v1/catalog?\(query)", as: t.scjg)
            #expect(page.status == .ok)
            items += page.json["items"]!.array
            next = page.json["next"]?.string
            if page.json["more"] == .bool(false) { break }
        }
        return (items, next ?? "")
    }

    /// The `<item>` elements of an XML answer as (implementationCode, status) pairs, in order.
    static func xmlItems(_ body: String) -> [String] {
        body.components(separatedBy: "<implementationCode>").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    @Test("the caller's agencies' items, paged without gaps, the same in JSON and XML; changes after a cursor; retired items included")
    func listing() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            let agencies = Set(
                try await hub.departments.agencies(department: try #require(await hub.departments.department(code: "HY-SCJG"))).map(\.code)
            )
            let whole = try await client.signed(.get, "/api/v1/catalog?limit=5000", as: t.scjg)
            #expect(whole.status == .ok)
            #expect(whole.json["more"] == .bool(false))
            let items = whole.json["items"]!.array
            #expect(items.count > 3)
            #expect(items.allSatisfy { agencies.contains($0["agencyCode"]?.string ?? "") })
            #expect(items.contains { $0["implementationCode"]?.string == t.inspectionItem.code })
            // Small pages give the same items in the same order.
            let (paged, end) = try await Self.walk(client, t, from: nil, limit: 2)
            #expect(paged.map { $0["implementationCode"]?.string } == items.map { $0["implementationCode"]?.string })
            // XML: the same items in the same order, valid against Schemas/catalog-v1.xsd.
            let xml = try await client.signed(.get, "/api/v1/catalog?limit=5000", as: t.scjg, extraHeaders: Self.xml)
            #expect(xml.headers[.contentType]?.hasPrefix("application/xml") == true)
            let body = String(buffer: xml.body)
            #expect(Self.xmlItems(body) == items.compactMap { $0["implementationCode"]?.string })
            #expect(try Self.validates(body), "the XML answer conforms to catalog-v1.xsd")
            // Nothing changed since the end.
            let quiet = try await client.signed(.get, "/api/v1/catalog?changedSince=\(end)", as: t.scjg)
            #expect(quiet.json["items"]?.array.isEmpty == true && quiet.json["more"] == .bool(false))
            #expect(quiet.json["next"]?.string == end)
            // The catalog item retires: its implementation items come again, retired.
            let file = TestCluster.projectRoot.appendingPathComponent("Mappings/catalog/catalog.csv")
            var rows = try CatalogFile.items(try String(contentsOf: file, encoding: .utf8), file: file.path)
            let i = try #require(rows.firstIndex { $0.code == t.inspectionItem.catalogCode })
            rows[i].status = .retired
            rows[i].effectiveFrom = "2026-12-01"
            _ = try await hub.catalog.importCatalog([rows[i]])
            let changed = try await client.signed(.get, "/api/v1/catalog?changedSince=\(end)", as: t.scjg)
            let retired = changed.json["items"]!.array
            #expect(!retired.isEmpty)
            #expect(retired.allSatisfy { $0["catalogCode"]?.string == t.inspectionItem.catalogCode && $0["status"]?.string == "retired" })
            #expect(retired.contains { $0["implementationCode"]?.string == t.inspectionItem.code && $0["effectiveFrom"]?.string == "2026-12-01" })
            #expect(retired.allSatisfy { $0["version"]?.int == 2 })
            // A version another writer inserts (as claims do, not through the import) gets its seq from the table.
            let after = try #require(changed.json["next"]?.string)
            try await t.withDatabase { db async throws in
                try await db.client.query(
                    """
                    INSERT INTO implementation_items (code, version, catalog_code, agency_code, agency_name, region_code, level, status)
                    SELECT code, version + 1, catalog_code, agency_code, agency_name, region_code, level, 'retired'
                    FROM implementation_current WHERE code = \(t.penaltyItem.code)
                    """,
                    logger: db.logger
                )
            }
            let claimed = try await client.signed(.get, "/api/v1/catalog?changedSince=\(after)", as: t.scjg).json["items"]!.array
            #expect(claimed.map { $0["implementationCode"]?.string } == [t.penaltyItem.code])
            #expect(claimed.first?["status"]?.string == "retired" && claimed.first?["implementationVersion"]?.int == 2)
            // Level 4 only.
            let county = try await client.signed(.get, "/api/v1/catalog?level=4&limit=5000", as: t.scjg).json["items"]!.array
            #expect(county.allSatisfy { $0["level"]?.int == 4 })
            #expect(county.count < items.count)
        }
    }

    @Test("another department, a bad level, limit or cursor: 4xx with path, stable code, zh/en")
    func refusals() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, _ in
            let other = try await client.signed(.get, "/api/v1/catalog?department=HY-WJ", as: t.scjg)
            #expect(other.status == .forbidden)
            #expect(other.json["errors"]?[0]["code"]?.string == "other_department")
            #expect(other.json["errors"]?[0]["path"]?.string == "department")
            #expect(try await client.signed(.get, "/api/v1/catalog?department=HY-SCJG&limit=1", as: t.scjg).status == .ok)
            for (query, path, code) in [
                ("level=5", "level", "invalid_query_parameter"), ("limit=0", "limit", "invalid_query_parameter"),
                ("limit=5001", "limit", "invalid_query_parameter"), ("changedSince=abc", "changedSince", "invalid_cursor"),
                ("changedSince=", "changedSince", "invalid_cursor"),
            ] {
                let r = try await client.signed(.get, "/api/v1/catalog?\(query)", as: t.scjg)
                #expect(r.status == .badRequest, Comment(rawValue: query))
                #expect(r.json["errors"]?[0]["code"]?.string == code, Comment(rawValue: query))
                #expect(r.json["errors"]?[0]["path"]?.string == path, Comment(rawValue: query))
                #expect(r.json["errors"]?[0]["messageZh"]?.string?.isEmpty == false)
            }
            #expect(try await client.execute(uri: "/api/v1/catalog", method: .get).status == .unauthorized)
        }
    }

    /// Records when the second writer's insert returned.
    actor Flag {
        var done = false
        func set() { done = true }
    }

    @Test("two catalog writers: the second waits for the first to commit, so seq order is commit order and no cursor skips")
    func writersSerialized() async throws {
        let t = try await TestHub.make()
        try await t.withDatabase { db async throws in
            let code = t.inspectionItem.code
            let insert = """
                INSERT INTO implementation_items (code, version, catalog_code, agency_code, agency_name, region_code, level, status)
                SELECT code, (SELECT max(version) + 1 FROM implementation_items WHERE code = $1), catalog_code, agency_code, agency_name,
                       region_code, level, status
                FROM implementation_current WHERE code = $1 RETURNING seq
                """
            func bindings() -> PostgresBindings {
                var b = PostgresBindings()
                b.append(code)
                return b
            }
            let second = Flag()
            var later: Task<Int64, any Error>?
            let first = try await db.client.withTransaction(logger: db.logger) { conn in
                var seq: Int64 = 0
                for try await s in try await conn.query(PostgresQuery(unsafeSQL: insert, binds: bindings()), logger: db.logger).decode(Int64.self) {
                    seq = s
                }
                // Another writer (a plain INSERT: the trigger takes the lock) starts while this transaction holds it: it waits for the commit.
                later = Task {
                    try await db.client.withTransaction(logger: db.logger) { other in
                        var seq: Int64 = 0
                        for try await s in try await other.query(
                            """
                            INSERT INTO catalog_items (code, version, name, item_type, department, legal_basis, legal_refs, levels, status)
                            SELECT code, version + 100, name, item_type, department, legal_basis, legal_refs, levels, status
                            FROM catalog_current WHERE code = \(t.inspectionItem.catalogCode) RETURNING seq
                            """,
                            logger: db.logger
                        ).decode(Int64.self) { seq = s }
                        await second.set()
                        return seq
                    }
                }
                try await Task.sleep(for: .milliseconds(500))
                #expect(await second.done == false, "the second writer waits for the first")
                return seq
            }
            let secondSeq = try #require(try await later?.value)
            #expect(await second.done)
            #expect(secondSeq > first, "the later commit has the higher seq")
        }
    }

    static func validates(_ xml: String) throws -> Bool {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-\(UUID().uuidString).xml")
        try xml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
        process.arguments = ["--noout", "--schema", TestCluster.projectRoot.appendingPathComponent("Schemas/catalog-v1.xsd").path, file.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
