import HubModel
import Testing
@testable import Normalization

@Suite("Item resolution (codes, confirmed mapping, else held)")
struct ItemResolverTests {
    static let agency = "11430400013248734H"
    static let impl = "11430400013248734H34301210001000001"

    func record(kind: String = "inspection", catalog: String? = "43012100010000", implementation: String? = impl, localCode: String? = "JC-1") -> CanonicalRecord {
        var item: [(String, JSONValue)] = []
        if let localCode { item.append(("localCode", .string(localCode))) }
        if let catalog { item.append(("catalogCode", .string(catalog))) }
        if let implementation { item.append(("implementationCode", .string(implementation))) }
        return CanonicalRecord(tree: .object([
            ("localId", .string("X")), ("kind", .string(kind)), ("item", .object(item)),
            ("agency", .object([("name", .string("局")), ("code", .string(Self.agency))])), ("regionCode", .string("430405")),
        ]))
    }

    func facts(catalog: String = "43012100010000", type: ItemType = .inspection, agency: String = agency, active: Bool = true) -> ImplementationFacts {
        ImplementationFacts(implementationCode: Self.impl, catalogCode: catalog, agencyCode: agency, itemType: type, catalogActive: active, implementationActive: true)
    }

    func codes(_ resolution: ItemResolution) -> [String] {
        if case .rejected(let errors) = resolution { return errors.map(\.code) }
        return []
    }

    @Test("valid codes resolve by the record-codes rule")
    func codesResolve() {
        #expect(ItemResolver.resolve(record(), path: "r", facts: facts(), mapping: nil)
                == .resolved(catalogCode: "43012100010000", implementationCode: Self.impl, rule: .recordCodes, release: nil))
    }

    @Test("codes the catalog contradicts are rejected with the reason")
    func contradictions() {
        #expect(codes(ItemResolver.resolve(record(), path: "r", facts: nil, mapping: nil)) == ["unknown_implementation_code"])
        #expect(codes(ItemResolver.resolve(record(), path: "r", facts: facts(catalog: "43012100019999"), mapping: nil)) == ["implementation_catalog_mismatch"])
        #expect(codes(ItemResolver.resolve(record(), path: "r", facts: facts(active: false), mapping: nil)) == ["catalog_item_retired"])
        #expect(codes(ItemResolver.resolve(record(), path: "r", facts: facts(type: .penalty), mapping: nil)) == ["item_type_mismatch"])
        #expect(codes(ItemResolver.resolve(record(), path: "r", facts: facts(agency: "91330105MA2KER1H4N"), mapping: nil)) == ["implementation_agency_mismatch"])
    }

    @Test("a local item resolves through its confirmed mapping, else it is held")
    func mappingOrHeld() {
        let local = record(catalog: nil, implementation: nil)
        let mapping = ConfirmedMapping(localCode: "JC-1", catalogCode: "43012100010000", implementationCode: Self.impl, release: 7)
        #expect(ItemResolver.resolve(local, path: "r", facts: nil, mapping: mapping)
                == .resolved(catalogCode: "43012100010000", implementationCode: Self.impl, rule: .confirmedMapping, release: 7))
        #expect(ItemResolver.resolve(local, path: "r", facts: nil, mapping: nil) == .held)
    }
}
