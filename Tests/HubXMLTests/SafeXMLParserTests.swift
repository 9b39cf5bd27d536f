import Testing

@testable import HubXML

@Suite("Safe XML parsing")
struct SafeXMLParserTests {
    @Test("elements, attributes, text and CDATA become a plain tree with lines")
    func parses() throws {
        let root = try SafeXMLParser().parse(
            Array("<?xml version=\"1.0\"?>\n<records batchId=\"7\">\n<record><a>x<![CDATA[<y>]]></a><!-- note --></record></records>".utf8)
        )
        #expect(root.name == "records")
        #expect(root.attributes.first?.1 == "7")
        #expect(root.children.first?.children.first?.text == "x<y>")
        #expect(root.children.first?.line == 3)
    }

    @Test("DOCTYPE and entities are refused before parsing")
    func doctype() {
        for doc in ["<!DOCTYPE a><a/>", "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY e \"x\">]><a>&e;</a>", "<a><!ENTITY e \"x\"></a>"] {
            #expect(throws: SafeXMLParser.Failure.self) { try SafeXMLParser().parse(Array(doc.utf8)) }
        }
    }

    @Test("the declared encoding must be one of the four taken")
    func encodings() throws {
        _ = try SafeXMLParser().parse(Array("<?xml version='1.0' encoding='gbk'?><a/>".utf8))
        #expect(throws: SafeXMLParser.Failure.self) { try SafeXMLParser().parse(Array("<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>".utf8)) }
        #expect(throws: SafeXMLParser.Failure.self) { try SafeXMLParser().parse(Array("<a/>".utf8), charset: "latin1") }
    }

    @Test("malformed documents give line and column")
    func malformed() {
        do {
            _ = try SafeXMLParser().parse(Array("<a>\n<b></a>".utf8))
            Issue.record("should fail")
        } catch {
            #expect(error.code == "malformed_xml")
            #expect(error.line == 2)
        }
    }
}

@Suite("XSD field paths")
struct SchemaPathTests {
    @Test(
        "libxml2 node paths become record field paths",
        arguments: [
            ("/records/record[3]/party/idNumber", 2, "records[2].party.idNumber"),
            ("/records/record/inspection/inspectors/inspector[2]/name", 0, "records[0].inspection.inspectors[1].name"),
            ("/records/record[1]/penalty/kinds/kind", 0, "records[0].penalty.kinds[0]"),
        ]
    )
    func paths(_ nodePath: String, _ record: Int, _ path: String) {
        let (r, p) = RecordSchemaValidator.fieldPath(nodePath)
        #expect(r == record)
        #expect(p == path)
    }
}
