import HubModel
import Ingest
import Normalization
import Testing

/// The legal-basis step of the read: which local items are matched, once each, and which catalog items'
/// implementations the store must read next.
@Suite("Local item matching (the read's pure step)")
struct LocalItemMatchingTests {
    static let index = CatalogIndex([
        CatalogEntry(code: "C-DRUG", name: "对药品零售企业的监督检查", itemType: .inspection, department: "药监", legalBasis: "《中华人民共和国药品管理法》第九十九条"),
        CatalogEntry(code: "C-OTHER", name: "对化妆品经营者的监督检查", itemType: .inspection, department: "药监", legalBasis: "《化妆品监督管理条例》第四十六条"),
    ])

    static func record(_ localId: String, localCode: String, basis: String, catalog: String? = nil) -> CanonicalRecord {
        var item: [(String, JSONValue)] = [("localCode", .string(localCode)), ("localName", .string("零售药店检查")), ("legalBasis", .string(basis))]
        if let catalog { item.append(("catalogCode", .string(catalog))) }
        return CanonicalRecord(tree: .object([("localId", .string(localId)), ("kind", .string("inspection")), ("item", .object(item))]))
    }

    @Test("each undecided local item is matched once; decided and reviewed ones are not; the read names every catalog code it needs")
    func matchesOnlyWhatIsOpen() {
        let records = [
            Self.record("A", localCode: "L-NEW", basis: "《中华人民共和国药品管理法》第九十九条"),
            Self.record("B", localCode: "L-NEW", basis: "《中华人民共和国药品管理法》第九十九条"),
            Self.record("C", localCode: "L-DECIDED", basis: "《中华人民共和国药品管理法》第九十九条"),
            Self.record("D", localCode: "L-REVIEW", basis: "《中华人民共和国药品管理法》第九十九条"),
            Self.record("E", localCode: "L-CODED", basis: "", catalog: "C-SENT"),
        ]
        var context = ResolutionContext()
        context.mappings["L-DECIDED"] = ConfirmedMapping(localCode: "L-DECIDED", catalogCode: "C-OTHER", implementationCode: nil, release: 7)
        context.underReview = ["L-REVIEW"]
        let result = LocalItemMatching.plan(records, context: context, catalogDepartment: "药监", index: Self.index)
        #expect(Set(result.matches.keys) == ["L-NEW", "L-CODED"])
        #expect(result.matches["L-NEW"]?.catalogCode == "C-DRUG")
        #expect(result.catalogCodes == ["C-DRUG", "C-OTHER", "C-SENT"])
    }

    @Test("without a profile nothing is matched, and only the decided and sent codes are read")
    func noProfileNoMatching() {
        var context = ResolutionContext()
        context.mappings["L-DECIDED"] = ConfirmedMapping(localCode: "L-DECIDED", catalogCode: "C-OTHER", implementationCode: nil, release: 7)
        let records = [
            Self.record("A", localCode: "L-NEW", basis: "《中华人民共和国药品管理法》第九十九条"),
            Self.record("E", localCode: "L-CODED", basis: "", catalog: "C-SENT"),
        ]
        let result = LocalItemMatching.plan(records, context: context, catalogDepartment: nil, index: nil)
        #expect(result.matches.isEmpty)
        #expect(result.catalogCodes == ["C-OTHER", "C-SENT"])
    }
}
