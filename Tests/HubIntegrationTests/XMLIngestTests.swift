import Foundation
import HTTPTypes
import HubClient
import HubModel
import HubServer
import HubStore
import HubXML
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing

/// The XML front door: the same batch as JSON, UTF-8 XML and GB18030 XML gets the same answers and the same
/// ledger contents; hostile documents are refused with 4xx and write nothing.
@Suite("XML ingest")
struct XMLIngestTests {
    /// A mixed batch: valid, bad check digits, one inspector, dates out of order, unknown dictionary value,
    /// unknown field, a duplicate, a new version, and Chinese text that must survive GB18030.
    static func batch(_ item: (code: String, catalogCode: String, agencyCode: String)) -> String {
        var records: [String] = []
        for i in 0..<100 {
            let valid = SampleRecords.inspection(
                localId: "X-\(i)",
                catalogCode: item.catalogCode,
                implementationCode: item.code,
                agencyCode: item.agencyCode
            )
            switch i % 8 {
            case 0, 1: records.append(valid)
            case 2: records.append(valid.replacingOccurrences(of: "91330105MA2KER1H4N", with: "91330105MA2KER1H4M"))
            case 3:
                records.append(
                    SampleRecords.inspection(
                        localId: "X-\(i)",
                        catalogCode: item.catalogCode,
                        implementationCode: item.code,
                        agencyCode: item.agencyCode,
                        inspectorCount: 1
                    )
                )
            case 4: records.append(valid.replacingOccurrences(of: "\"result\":\"01\"", with: "\"result\":\"99\""))
            case 5: records.append(valid.replacingOccurrences(of: "\"regionCode\"", with: "\"extra\":\"x\",\"regionCode\""))
            case 6:
                records.append(
                    SampleRecords.inspection(
                        localId: "X-\(i - 6)",
                        catalogCode: item.catalogCode,
                        implementationCode: item.code,
                        agencyCode: item.agencyCode
                    )
                )
            default:
                records.append(
                    SampleRecords.inspection(
                        localId: "X-\(i - 7)",
                        catalogCode: item.catalogCode,
                        implementationCode: item.code,
                        agencyCode: item.agencyCode,
                        result: "02"
                    )
                )
            }
        }
        return SampleRecords.batch(records, batchId: "2026112600009")
    }

    /// What a department sees of each result, without the parts that depend on time (ledger seq and hash).
    static func comparable(_ response: TestResponse) -> [String] {
        (response.json["results"]?.array ?? []).map { r in
            let errors = (r["errors"]?.array ?? []).map { "\($0["path"]?.string ?? "")/\($0["code"]?.string ?? "")" }.joined(separator: ",")
            return [
                r["index"]?.int.map(String.init) ?? "", r["status"]?.string ?? "", r["version"]?.int.map(String.init) ?? "",
                r["operation"]?.string ?? "", r["catalogCode"]?.string ?? "", errors,
            ].joined(separator: "|")
        }
    }

    @Test("the same batch as JSON, UTF-8 XML and GB18030 XML: identical answers and identical ledger payloads")
    func equivalence() async throws {
        var answers: [[String]] = []
        var ledgers: [[String]] = []
        for form in ["json", "xml", "gb18030"] {
            let t = try await TestHub.make()
            let json = Self.batch(t.inspectionItem)
            let (answer, ledger) = try await t.serve { client, hub in
                let response: TestResponse
                switch form {
                case "json":
                    response = try await client.signed(.post, "/api/v1/records", body: json, as: t.scjg)
                case "xml":
                    response = try await client.signed(
                        .post,
                        "/api/v1/records",
                        body: XMLSamples.xml(fromJSON: json),
                        as: t.scjg,
                        contentType: "application/xml"
                    )
                default:
                    let bytes = XMLSamples.gb18030(XMLSamples.xml(fromJSON: json, encoding: "GB18030"))
                    #expect(!bytes.elementsEqual(Array(XMLSamples.xml(fromJSON: json, encoding: "GB18030").utf8)))
                    response = try await client.signedBytes(
                        .post,
                        "/api/v1/records",
                        body: bytes,
                        as: t.scjg,
                        contentType: "application/xml; charset=GB18030"
                    )
                }
                #expect(response.status == .ok, "\(form): \(String(buffer: response.body).prefix(300))")
                var payloads: [String] = []
                for try await p in try await hub.db.client.query(
                    "SELECT payload FROM ledger WHERE kind = 'record' ORDER BY seq",
                    logger: hub.db.logger
                ).decode(String.self) {
                    payloads.append(p)
                }
                return (Self.comparable(response), payloads)
            }
            answers.append(answer)
            ledgers.append(ledger)
        }
        #expect(answers[0].count == 100)
        #expect(answers[0] == answers[1])
        #expect(answers[0] == answers[2])
        #expect(ledgers[0].count == 38)
        #expect(ledgers[0] == ledgers[1])
        #expect(ledgers[0] == ledgers[2])
        #expect(ledgers[2].contains { $0.contains("衡阳市某大药房有限公司") })
    }

    @Test(
        "hostile XML is refused with 4xx and the error shape, and writes nothing",
        arguments: [
            (
                "xxe-file",
                "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><records><record><localId>&x;</localId></record></records>",
                "doctype_refused"
            ),
            ("xxe-url", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"http://127.0.0.1:9/x\">]><records>&x;</records>", "doctype_refused"),
            (
                "parameter-entity", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><records/>",
                "doctype_refused"
            ),
            (
                "billion-laughs",
                "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"lol\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><records><record><localId>&c;</localId></record></records>",
                "doctype_refused"
            ),
            ("doctype-only", "<!DOCTYPE records><records/>", "doctype_refused"),
            ("deep", "<records>" + String(repeating: "<a>", count: 200) + String(repeating: "</a>", count: 200) + "</records>", "too_deep"),
            ("truncated", "<?xml version=\"1.0\"?><records><record><localId>X</localId>", "malformed_xml"),
            ("not-xml", "this is not xml", "malformed_xml"),
            ("latin1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><records/>", "unsupported_charset"),
            ("wrong-root", "<batch/>", "wrong_root"),
            ("duplicate", "<records><record><localId>A</localId><localId>B</localId></record></records>", "duplicate_element"),
            ("stray-child", "<records><item/></records>", "unknown_field"),
            ("invalid-utf8", "<records><record><localId>\u{FFFD}</localId></record></records>", "bytes"),
        ]
    )
    func hostile(_ name: String, _ document: String, _ code: String) async throws {
        let t = try await TestHub.make()
        try await t.serve { client, hub in
            var bytes = Array(document.utf8)
            var expected = code
            if code == "bytes" {
                bytes = Array("<records><record><localId>".utf8) + [0xC3, 0x28, 0xFF] + Array("</localId></record></records>".utf8)
                expected = "malformed_xml"
            }
            let r = try await client.signedBytes(.post, "/api/v1/records", body: bytes, as: t.scjg, contentType: "application/xml")
            #expect((400..<500).contains(r.status.code), "\(name): \(r.status)")
            #expect(r.json["errors"]?[0]["code"]?.string == expected, "\(name): \(String(buffer: r.body))")
            #expect(r.json["errors"]?[0]["messageZh"]?.string?.isEmpty == false)
            #expect(try await count(hub.db, "SELECT count(*)::int FROM records") == 0)
            #expect(!(String(buffer: r.body).contains("root:")), "\(name) leaked a file")
        }
    }

    @Test("a client that asks for XML gets XML answers, errors included")
    func xmlAnswers() async throws {
        let t = try await TestHub.make()
        let item = t.inspectionItem
        try await t.serve { client, _ in
            let json = SampleRecords.batch([
                SampleRecords.inspection(localId: "XA-1", catalogCode: item.catalogCode, implementationCode: item.code, agencyCode: item.agencyCode)
            ])
            let r = try await client.signed(
                .post,
                "/api/v1/records",
                body: XMLSamples.xml(fromJSON: json),
                as: t.scjg,
                contentType: "application/xml",
                extraHeaders: [.accept: "application/xml"]
            )
            #expect(r.headers[.contentType]?.hasPrefix("application/xml") == true)
            let root = try SafeXMLParser().parse(Array(r.body.readableBytesView))
            let result = root.children.first { $0.name == "results" }?.children.first
            #expect(result?.name == "result")
            #expect(result?.children.first { $0.name == "status" }?.text == "accepted")
            let bad = try await client.signed(
                .post,
                "/api/v1/records",
                body: "<records>",
                as: t.scjg,
                contentType: "application/xml",
                extraHeaders: [.accept: "application/xml"]
            )
            let error = try SafeXMLParser().parse(Array(bad.body.readableBytesView)).children.first?.children.first
            #expect(error?.name == "error")
            #expect(error?.children.first { $0.name == "code" }?.text == "malformed_xml")
        }
    }

    @Test("every XML request is validated against record-v1.xsd; a record only the XSD refuses is rejected with its path")
    func xsd() async throws {
        let t = try await TestHub.make()
        let p = t.penaltyItem
        try await t.serve { client, hub in
            #expect(hub.xmlSchema != nil)
            let json = SampleRecords.batch([
                SampleRecords.penalty(localId: "P-1", catalogCode: p.catalogCode, implementationCode: p.code, agencyCode: p.agencyCode)
            ])
            // `1` for a boolean reads as true, but the published XSD takes only true/false.
            let xml = XMLSamples.xml(fromJSON: json).replacingOccurrences(of: "<hearing>false</hearing>", with: "<hearing>1</hearing>")
            let r = try await client.signed(.post, "/api/v1/records", body: xml, as: t.scjg, contentType: "application/xml")
            let error = r.json["results"]?[0]["errors"]?[0]
            #expect(r.json["results"]?[0]["status"]?.string == "rejected")
            #expect(error?["code"]?.string == "schema_violation")
            #expect(error?["path"]?.string == "records[0].penalty.hearing")
            let good = try await client.signed(
                .post,
                "/api/v1/records",
                body: XMLSamples.xml(fromJSON: json),
                as: t.scjg,
                contentType: "application/xml"
            )
            #expect(good.json["results"]?[0]["status"]?.string == "accepted", "\(String(buffer: good.body).prefix(500))")
        }
    }

    @Test("a charset the HTTP header names wins; an unsupported one is refused")
    func charset() async throws {
        let t = try await TestHub.make()
        try await t.serve { client, _ in
            let r = try await client.signed(
                .post,
                "/api/v1/records",
                body: "<records/>",
                as: t.scjg,
                contentType: "application/xml; charset=Shift_JIS"
            )
            #expect(r.status == .badRequest)
            #expect(r.json["errors"]?[0]["code"]?.string == "unsupported_charset")
        }
    }
}

extension TestClientProtocol {
    /// A signed request with a raw byte body (for non-UTF-8 encodings).
    func signedBytes(
        _ method: HTTPRequest.Method,
        _ path: String,
        body: [UInt8],
        as credentials: DepartmentCredentials,
        contentType: String
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: contentType]
        for (name, value) in RequestSigner.headers(
            keyId: credentials.keyId,
            secret: credentials.secret,
            method: method.rawValue,
            pathWithQuery: path,
            body: body
        ) {
            headers[HTTPField.Name(name)!] = value
        }
        return try await execute(uri: path, method: method, headers: headers, body: ByteBuffer(bytes: body))
    }
}

/// The examples published in `Schemas/examples/` are what the server itself accepts.
@Suite("Published examples")
struct PublishedExampleTests {
    @Test("batch-valid.json, batch-valid.xml and batch-gb18030.xml are accepted with the same answers")
    func examples() async throws {
        let t = try await TestHub.make()
        let dir = TestCluster.projectRoot.appendingPathComponent("Schemas/examples")
        let json = try Data(contentsOf: dir.appendingPathComponent("batch-valid.json"))
        let xml = try Data(contentsOf: dir.appendingPathComponent("batch-valid.xml"))
        let gb = try Data(contentsOf: dir.appendingPathComponent("batch-gb18030.xml"))
        try await t.serve { client, _ in
            let a = try await client.signedBytes(.post, "/api/v1/records", body: Array(json), as: t.scjg, contentType: "application/json")
            #expect(a.json["summary"]?["accepted"]?.int == a.json["results"]?.array.count, "\(String(buffer: a.body).prefix(400))")
            #expect((a.json["results"]?.array.count ?? 0) >= 2)
            // The same records again as XML are duplicates of the JSON ones: same content, same answers.
            for body in [xml, gb] {
                let r = try await client.signedBytes(.post, "/api/v1/records", body: Array(body), as: t.scjg, contentType: "application/xml")
                #expect(r.status == .ok, "\(String(buffer: r.body).prefix(400))")
                #expect(r.json["summary"]?["duplicate"]?.int == a.json["results"]?.array.count, "\(String(buffer: r.body).prefix(400))")
            }
        }
    }
}
