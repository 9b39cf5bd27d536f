import Foundation
import HubModel
import Testing

@testable import HubXML

/// The record batch read in place from libxml2's tree (`RecordXML.parse`) against the same batch read from a
/// plain `XMLNode` copy: the two must give the same document and the same failures, with the same paths.
@Suite("Record batches read from XML")
struct RecordXMLTests {
    static func inPlace(_ xml: String) throws -> Result<JSONValue, RecordXML.Failure> {
        try RecordXML.parse(Array(xml.utf8), charset: nil, validatingWith: nil).batch
    }

    static func viaCopy(_ xml: String) throws -> Result<JSONValue, RecordXML.Failure> {
        let root = try SafeXMLParser().parse(Array(xml.utf8))
        return Result { () throws(RecordXML.Failure) in try RecordXML.batch(root) }
    }

    @Test("the example batches read the same in place as from a copy")
    func examples() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Schemas/examples/batch-valid.xml")
        let xml = try String(contentsOf: url, encoding: .utf8)
        let direct = try Self.inPlace(xml).get()
        #expect(direct == (try Self.viaCopy(xml).get()))
        guard case .object(let members) = direct, case .array(let records)? = members.first(where: { $0.0 == "records" })?.1 else {
            Issue.record("no records member")
            return
        }
        #expect(!records.isEmpty)
    }

    @Test("lists, flags with spaces, CDATA, comments and unknown fields")
    func shapes() throws {
        let xml = """
            <records batchId="B1"><record>
              <localId>L<!-- c -->1<![CDATA[&x]]></localId>
              <inspection><inspectors><inspector><name>张伟</name></inspector><inspector><name>李娜</name></inspector></inspectors></inspection>
              <penalty><kinds><kind>01</kind><kind>02</kind></kinds></penalty>
              <sensitive> true </sensitive>
              <party>\u{3000}<name>甲</name></party>
              <mystery><deep>x</deep></mystery>
            </record></records>
            """
        let direct = try Self.inPlace(xml).get()
        #expect(direct == (try Self.viaCopy(xml).get()))
        let text = String(decoding: CanonicalJSON.encode(direct), as: UTF8.self)
        #expect(text.contains("\"localId\":\"L1&x\""))
        #expect(text.contains("\"batchId\":\"B1\""))
    }

    @Test(
        "failures carry the same path in place as from a copy",
        arguments: [
            ("<records><record><party><name>a</name><name>b</name></party></record></records>", "records[0].party.name", "duplicate_element"),
            (
                "<records><record/><record><inspection><inspectors><inspector/><inspector><name>a</name><name>b</name></inspector></inspectors></inspection></record></records>",
                "records[1].inspection.inspectors[1].name", "duplicate_element"
            ),
            ("<records><record/><item/></records>", "records[1]", "unknown_field"),
            ("<records other=\"1\"/>", "@other", "unknown_field"),
            ("<batch/>", "", "wrong_root"),
        ]
    )
    func failures(_ xml: String, _ path: String, _ code: String) throws {
        for result in [try Self.inPlace(xml), try Self.viaCopy(xml)] {
            guard case .failure(let failure) = result else {
                Issue.record("\(xml) was read")
                continue
            }
            #expect(failure.path == path)
            #expect(failure.code == code)
        }
    }

    @Test("nesting past the limit and entity references are refused before reading")
    func nesting() throws {
        func nested(_ depth: Int) -> String {
            "<records>" + String(repeating: "<a>", count: depth - 1) + String(repeating: "</a>", count: depth - 1) + "</records>"
        }
        _ = try Self.inPlace(nested(32))
        #expect {
            try Self.inPlace(nested(33))
        } throws: { ($0 as? SafeXMLParser.Failure)?.code == "too_deep" }
        #expect {
            try Self.inPlace("<records><record><localId>&amp;&unknown;</localId></record></records>")
        } throws: { $0 is SafeXMLParser.Failure }
    }
}
