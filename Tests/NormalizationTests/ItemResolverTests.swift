import HubModel
import Testing

@testable import Normalization

@Suite("Item resolution: record codes, decided mapping, legal-basis match, else held")
struct ItemResolverTests {
    static let agency = "11430400013248734H"
    static let county = "11430405020465235Y"
    static let impl = "11430400013248734H34301210001000001"
    static let countyImpl = "11430405020465235Y44301210001000001"

    func record(
        kind: String = "inspection",
        catalog: String? = "43012100010000",
        implementation: String? = impl,
        localCode: String? = "JC-1",
        agency: String = agency
    ) -> CanonicalRecord {
        var item: [(String, JSONValue)] = []
        if let localCode { item.append(("localCode", .string(localCode))) }
        if let catalog { item.append(("catalogCode", .string(catalog))) }
        if let implementation { item.append(("implementationCode", .string(implementation))) }
        return CanonicalRecord(
            tree: .object([
                ("localId", .string("X")), ("kind", .string(kind)), ("item", .object(item)),
                ("agency", .object([("name", .string("局")), ("code", .string(agency))])), ("regionCode", .string("430405")),
            ])
        )
    }

    func facts(
        _ code: String = impl,
        catalog: String = "43012100010000",
        type: ItemType = .inspection,
        agency: String = agency,
        level: Int = 3,
        active: Bool = true
    ) -> ImplementationFacts {
        ImplementationFacts(
            implementationCode: code,
            catalogCode: catalog,
            agencyCode: agency,
            level: level,
            itemType: type,
            catalogActive: active,
            implementationActive: true
        )
    }

    func context(facts f: ImplementationFacts? = nil, mapping: ConfirmedMapping? = nil, match: MatchResult? = nil) -> ResolutionContext {
        var c = ResolutionContext()
        if let f { c.facts[f.implementationCode] = f }
        if let mapping { c.mappings[mapping.localCode] = mapping }
        if let match { c.matches["JC-1"] = match }
        c.implementationsByCatalog["43012100010000"] = [facts(), facts(Self.countyImpl, agency: Self.county, level: 4)]
        return c
    }

    func codes(_ resolution: ItemResolution) -> [String] {
        if case .rejected(let errors) = resolution { return errors.map(\.code) }
        return []
    }

    @Test("valid codes resolve by the record-codes rule")
    func codesResolve() {
        #expect(
            ItemResolver.resolve(record(), path: "r", context: context(facts: facts()))
                == .resolved(catalogCode: "43012100010000", implementationCode: Self.impl, rule: .recordCodes, release: nil)
        )
    }

    @Test("codes the catalog contradicts are rejected with the reason")
    func contradictions() {
        #expect(codes(ItemResolver.resolve(record(), path: "r", context: ResolutionContext())) == ["unknown_implementation_code"])
        #expect(
            codes(ItemResolver.resolve(record(), path: "r", context: context(facts: facts(catalog: "43012100019999")))) == [
                "implementation_catalog_mismatch"
            ]
        )
        #expect(codes(ItemResolver.resolve(record(), path: "r", context: context(facts: facts(active: false)))) == ["catalog_item_retired"])
        #expect(codes(ItemResolver.resolve(record(), path: "r", context: context(facts: facts(type: .penalty)))) == ["item_type_mismatch"])
        #expect(
            codes(ItemResolver.resolve(record(), path: "r", context: context(facts: facts(agency: "91330105MA2KER1H4N")))) == [
                "implementation_agency_mismatch"
            ]
        )
    }

    @Test("a decided mapping resolves, picking the implementation item of the record's own agency")
    func mapping() {
        let local = record(catalog: nil, implementation: nil)
        let m = ConfirmedMapping(localCode: "JC-1", catalogCode: "43012100010000", implementationCode: Self.impl, release: 7)
        #expect(
            ItemResolver.resolve(local, path: "r", context: context(mapping: m))
                == .resolved(catalogCode: "43012100010000", implementationCode: Self.impl, rule: .confirmedMapping, release: 7)
        )
        // The same mapping for a county agency's record uses the county's implementation item.
        let countyRecord = record(catalog: nil, implementation: nil, agency: Self.county)
        #expect(
            ItemResolver.resolve(countyRecord, path: "r", context: context(mapping: m))
                == .resolved(catalogCode: "43012100010000", implementationCode: Self.countyImpl, rule: .confirmedMapping, release: 7)
        )
        // An agency with no implementation item of that catalog item waits.
        let stranger = record(catalog: nil, implementation: nil, agency: "91330105MA2KER1H4N")
        #expect(ItemResolver.resolve(stranger, path: "r", context: context(mapping: m)) == .held(.noImplementation))
    }

    @Test("a no-match decision rejects the records of that local item")
    func noMatch() {
        let m = ConfirmedMapping(localCode: "JC-1", catalogCode: nil, implementationCode: nil, relationship: "no-match", release: 9)
        #expect(
            codes(ItemResolver.resolve(record(catalog: nil, implementation: nil), path: "r", context: context(mapping: m))) == ["item_not_in_catalog"]
        )
    }

    @Test("legal-basis matches: auto resolves, review and unmatched hold, no profile holds")
    func matches() {
        let local = record(catalog: nil, implementation: nil)
        let auto = MatchResult(decision: .auto, catalogCode: "43012100010000", candidates: [], references: [])
        #expect(
            ItemResolver.resolve(local, path: "r", context: context(match: auto))
                == .resolved(catalogCode: "43012100010000", implementationCode: Self.impl, rule: .legalBasis, release: nil)
        )
        #expect(
            ItemResolver.resolve(local, path: "r", context: context(match: MatchResult(decision: .review, candidates: [], references: [])))
                == .held(.ambiguous)
        )
        #expect(
            ItemResolver.resolve(local, path: "r", context: context(match: MatchResult(decision: .unmatched, candidates: [], references: [])))
                == .held(.unmatched)
        )
        #expect(ItemResolver.resolve(local, path: "r", context: ResolutionContext()) == .held(.noProfile))
    }
}
