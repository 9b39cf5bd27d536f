import HubModel
import Testing

@testable import Normalization

/// Items set by local legislation: the provisional code, the registration's checks, the implementation codes of a
/// coded item, and records of a local item mapped to a provisional code being held, never resolved.
@Suite("Locally set items: provisional codes, registration, holding")
struct LocalItemTests {
    static let basis = "《湖南省食品生产加工小作坊和食品摊贩管理办法》第二十条"

    @Test("a provisional code is L + region + 7 digits, never a provincial code, and round-trips")
    func provisionalCode() throws {
        let city = try #require(RegionCode("430400"))
        let county = try #require(RegionCode("430405"))
        let code = try #require(ProvisionalItemCode(region: city, sequence: 12))
        #expect(code.value == "L4304000000012")
        #expect(code.value.count == 14)
        #expect(code.region == "430400")
        #expect(CatalogCode(code.value) == nil, "never accepted where a provincial code is required")
        #expect(ProvisionalItemCode.isProvisional("L4304000000012"))
        for text in ["43012100010000", "L430400000001", "X4304000000012", "L0004000000012", "L43040000000a2", ""] {
            #expect(!ProvisionalItemCode.isProvisional(text), "\(text)")
        }
        #expect(ProvisionalItemCode(region: county, sequence: 0) == nil)
        #expect(ProvisionalItemCode(region: county, sequence: 10_000_000) == nil)
        #expect(ProvisionalItemCode(region: county, sequence: 9_999_999)?.value == "L4304059999999")
    }

    func body(_ members: [(String, JSONValue)]) -> JSONValue {
        var base: [(String, JSONValue)] = [
            ("department", .string("HY-SCJG")), ("name", .string("对食品小作坊的监督检查")), ("itemType", .string("行政检查")),
            ("catalogDepartment", .string("市场监管")), ("legalBasis", .string(Self.basis)), ("levels", .string("3|4")),
            ("regionCode", .string("430400")), ("agencies", .array([.string("11430400013248734H")])),
        ]
        for (name, value) in members {
            base.removeAll { $0.0 == name }
            if value != .null { base.append((name, value)) }
        }
        return .object(base)
    }

    @Test("a registration reads its basis with CitationParser and refuses what is not an item, each with its path")
    func draft() throws {
        let read = LocalItemDraft.read(body([]))
        let draft = try #require(read.draft, "\(read.errors)")
        #expect(draft.legalRefs == [LegalReference(instrument: "湖南省食品生产加工小作坊和食品摊贩管理办法", article: 20)])
        #expect(draft.agencies == ["11430400013248734H"])
        let bad = LocalItemDraft.read(
            body([
                ("legalBasis", .string("地方规定")), ("itemType", .string("其他")), ("levels", .string("5")), ("regionCode", .string("430100")),
                ("agencies", .array([.string("123")])), ("parentCode", .string("L4304000000001")), ("extra", .string("x")),
            ])
        )
        #expect(bad.draft == nil)
        #expect(
            Set(bad.errors.map { "\($0.path):\($0.code)" }) == [
                "legalBasis:no_citation", "itemType:invalid_item_type", "levels:invalid_levels", "regionCode:invalid_region",
                "agencies[0]:invalid_uscc", "parentCode:invalid_catalog_code", "extra:unknown_field",
            ]
        )
        #expect(bad.errors.allSatisfy { !$0.messageZh.isEmpty && !$0.messageEn.isEmpty })
        #expect(LocalItemDraft.read(body([("agencies", .null)])).errors.map(\.code) == ["required"])
    }

    @Test("a coded item's implementation codes follow the province's layout: USCC, level from the USCC's region, code, 01")
    func implementationCodes() {
        let codes = LocalItemDraft.implementationCodes(agencies: ["11430400013248734H", "11430405020465235Y"], provincialCode: "43012100990000")
        #expect(codes.map(\.code) == ["11430400013248734H34301210099000001", "11430405020465235Y44301210099000001"])
        #expect(codes.map(\.level) == [3, 4])
        #expect(codes.map(\.region) == ["430400", "430405"])
    }

    @Test("a record whose local item maps to a provisional code is held awaiting_provincial_code, never resolved")
    func heldOnProvisionalCode() {
        let record = CanonicalRecord(
            tree: .object([
                ("localId", .string("X")), ("kind", .string("inspection")), ("item", .object([("localCode", .string("XZF-1"))])),
                ("agency", .object([("name", .string("局")), ("code", .string("11430400013248734H"))])), ("regionCode", .string("430400")),
            ])
        )
        var context = ResolutionContext()
        context.mappings["XZF-1"] = ConfirmedMapping(localCode: "XZF-1", catalogCode: "L4304000000001", implementationCode: nil, release: 7)
        #expect(ItemResolver.resolve(record, path: "record", context: context) == .held(.awaitingProvincialCode))
        #expect(HoldReason.awaitingProvincialCode.rawValue == "awaiting_provincial_code")
    }
}
