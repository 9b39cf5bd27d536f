import HubModel
import Testing

@testable import Normalization

@Suite("Item resolution against the catalog in force on the act date")
struct ItemResolverDatedTests {
    static let agency = "11430400013248734H"
    static let impl = "11430400013248734H34301210001000001"
    static let catalog = "43012100010000"

    func record(on date: String, implementation: String? = impl, localCode: String? = nil) -> CanonicalRecord {
        var item: [(String, JSONValue)] = [("catalogCode", .string(Self.catalog))]
        if let implementation { item.append(("implementationCode", .string(implementation))) }
        if let localCode { item = [("localCode", .string(localCode))] }
        return CanonicalRecord(
            tree: .object([
                ("localId", .string("X")), ("kind", .string("inspection")), ("item", .object(item)),
                ("agency", .object([("name", .string("局")), ("code", .string(Self.agency))])), ("regionCode", .string("430405")),
                ("inspection", .object([("date", .string("\(date)T09:30:00+08:00"))])),
            ])
        )
    }

    /// The item: in the catalog from 2026-01-01, retired from 2026-07-01.
    func context() -> ResolutionContext {
        var c = ResolutionContext()
        c.timeline = CatalogTimeline(
            catalog: [
                CatalogVersion(code: Self.catalog, version: 1, effectiveOn: CalendarDate("2026-01-01"), itemType: .inspection, active: true),
                CatalogVersion(code: Self.catalog, version: 2, effectiveOn: CalendarDate("2026-07-01"), itemType: .inspection, active: false),
            ],
            implementations: [
                ImplementationVersion(
                    code: Self.impl,
                    version: 1,
                    effectiveOn: nil,
                    catalogCode: Self.catalog,
                    agencyCode: Self.agency,
                    level: 3,
                    active: true
                )
            ]
        )
        c.mappings["JC-1"] = ConfirmedMapping(localCode: "JC-1", catalogCode: Self.catalog, implementationCode: nil, release: 1)
        return c
    }

    func errors(_ r: ItemResolution) -> [FieldError] { if case .rejected(let e) = r { e } else { [] } }

    @Test("record codes: accepted the day before the retirement, rejected on its day with the day named")
    func recordCodes() {
        #expect(
            ItemResolver.resolve(record(on: "2026-06-30"), path: "records[0]", context: context())
                == .resolved(catalogCode: Self.catalog, implementationCode: Self.impl, rule: .recordCodes, release: nil)
        )
        let e = errors(ItemResolver.resolve(record(on: "2026-07-01"), path: "records[0]", context: context()))
        #expect(e.map(\.code) == ["catalog_item_retired"])
        #expect(e.first?.path == "records[0].item.catalogCode")
        #expect(e.first?.messageZh == "该监管事项自 2026-07-01 起停用")
    }

    @Test("an act before the item's first effective day is rejected as not yet effective")
    func notYetEffective() {
        let e = errors(ItemResolver.resolve(record(on: "2025-12-31"), path: "r", context: context()))
        #expect(e.map(\.code) == ["catalog_item_not_yet_effective"])
        #expect(e.first?.path == "r.item.catalogCode")
        #expect(e.first?.messageZh.contains("2026-01-01") == true)
    }

    @Test("a catalog code alone and a decided mapping pick the implementation item in force on the act date")
    func picking() {
        #expect(
            ItemResolver.resolve(record(on: "2026-06-30", implementation: nil), path: "r", context: context())
                == .resolved(catalogCode: Self.catalog, implementationCode: Self.impl, rule: .recordCodes, release: nil)
        )
        #expect(
            errors(ItemResolver.resolve(record(on: "2026-07-01", implementation: nil), path: "r", context: context())).map(\.code) == [
                "catalog_item_retired"
            ]
        )
        #expect(
            ItemResolver.resolve(record(on: "2026-06-30", localCode: "JC-1"), path: "r", context: context())
                == .resolved(catalogCode: Self.catalog, implementationCode: Self.impl, rule: .confirmedMapping, release: 1)
        )
        #expect(ItemResolver.resolve(record(on: "2026-07-01", localCode: "JC-1"), path: "r", context: context()) == .held(.noImplementation))
    }
}
