import Exchange
import HubModel
import Testing

@Suite("Catalog feed: a change that codes a local item")
struct CatalogChangeReplacesTests {
    static let entry: JSONValue = .object([
        ("seq", .number("3")), ("change", .string("added")),
        (
            "item",
            .object([
                ("code", .string("43012100990000")), ("name", .string("对食品小作坊的监督检查")), ("itemType", .string("行政检查")),
                ("department", .string("市场监管")), ("legalBasis", .string("《湖南省食品生产加工小作坊和食品摊贩管理办法》第二十条")),
                ("levels", .string("3|4")), ("status", .string("active")),
            ])
        ),
        ("effectiveFrom", .string("2026-01-01")),
    ])

    @Test("replaces is optional: an old entry reads and writes as before; a new one round-trips; a non-provisional one is refused")
    func replaces() throws {
        let old = try CatalogChange(json: Self.entry)
        #expect(old.replaces == nil)
        #expect(old.json["replaces"] == nil)
        guard case .object(var members) = Self.entry else { return }
        members.append(("replaces", .string("L4304000000001")))
        let coded = try CatalogChange(json: .object(members))
        #expect(coded.replaces == "L4304000000001")
        #expect(try CatalogChange(json: coded.json) == coded)
        members[members.count - 1] = ("replaces", .string("43012100010000"))
        #expect(throws: FeedError.self) { try CatalogChange(json: .object(members)) }
    }
}
