import HubModel
import Testing

@testable import HubXML

@Suite("XML writer")
struct XMLWriterTests {
    @Test(
        "member names that are not XML names are refused, never written",
        arguments: [
            "a b", "x><script>alert(1)</script", "ns:tag", "xmlStuff", "1st", "", "a\"b", "-dash", "名称<",
        ]
    )
    func refused(_ name: String) {
        #expect(throws: XMLWriter.InvalidName.self) { try XMLWriter.document(root: "response", .object([(name, .string("v"))])) }
        #expect(throws: XMLWriter.InvalidName.self) { try XMLWriter.element("record", .object([("ok", .object([(name, .null)]))])) }
    }

    @Test("the names the hub writes pass, text is escaped")
    func written() throws {
        let xml = try XMLWriter.document(
            root: "response",
            .object([
                ("results", .array([.object([("localId", .string("<a>&")), ("entry_hash", .string("x")), ("名称", .string("y"))])]))
            ])
        )
        #expect(xml.contains("<results><result><localId>&lt;a&gt;&amp;</localId><entry_hash>x</entry_hash><名称>y</名称></result></results>"))
    }
}
