import HubModel
import Testing

@testable import Normalization

@Suite("Department profile: own shape to canonical shape")
struct DepartmentProfileTests {
    let profile = DepartmentProfile(
        code: "HY-X",
        name: "X",
        catalogDepartment: "市场监管",
        fields: ["jcbh": "localId", "jcjg": "inspection.result", "xdrmc": "party.name"],
        values: ["inspection.result": ["合格": "01"], "penalty.kinds": ["罚款": "02"]]
    )

    @Test("mapped names move to their canonical path, canonical names pass, values become national codes")
    func apply() {
        let own = JSONValue.object([
            ("jcbh", .string("A-1")), ("jcjg", .string("合格")), ("xdrmc", .string("某公司")), ("kind", .string("inspection")),
            ("inspection", .object([("form", .string("01"))])), ("penalty", .object([("kinds", .array([.string("罚款"), .string("01")]))])),
        ])
        let out = profile.apply(to: own)
        #expect(out["localId"] == .string("A-1"))
        #expect(out["inspection"]?["result"] == .string("01"))
        #expect(out["inspection"]?["form"] == .string("01"))
        #expect(out["party"]?["name"] == .string("某公司"))
        #expect(out["penalty"]?["kinds"] == .array([.string("02"), .string("01")]))
        #expect(out["jcbh"] == nil)
    }

    @Test("unknown names are kept so the reader refuses them")
    func unknown() {
        let out = profile.apply(to: .object([("jcbhh", .string("typo"))]))
        #expect(out["jcbhh"] == .string("typo"))
    }
}

@Suite("Hostile member names through a profile")
struct HostileProfileTests {
    @Test("a dotted name that is not mapped stays one member (no path explosion)")
    func dotted() {
        let profile = DepartmentProfile(code: "X", name: "X", catalogDepartment: "市场监管", fields: ["jcbh": "localId"])
        let name = Array(repeating: "a", count: 100_000).joined(separator: ".")
        let out = profile.apply(to: .object([(name, .number("0"))]))
        #expect(out[name] == .number("0"))
    }
}
