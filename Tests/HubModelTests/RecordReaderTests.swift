import Foundation
import Testing

@testable import HubModel

@Suite("Canonical record v1: schema and national rules")
struct RecordReaderTests {
    /// The shipped dictionary files (the test reads them; the model only parses text).
    static let dictionaries: NationalDictionaries = {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Mappings/dictionaries")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return try! NationalDictionaries.parse(
            names.filter { $0.hasSuffix(".csv") }.map {
                (name: String($0.dropLast(4)), text: try! String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8))
            }
        )
    }()
    let reader = RecordReader(dictionaries: Self.dictionaries)

    static let valid = #"""
        {"localId":"JC-1","kind":"inspection",
         "item":{"localCode":"JC-0042","catalogCode":"43012100010000","implementationCode":"11430400013248734H34301210001000001"},
         "actionName":"日常检查","agency":{"name":"衡阳市市场监督管理局","code":"11430400013248734H"},
         "subject":{"type":"01","name":"某药房"},
         "party":{"name":"某药房","nature":"2","idType":"001","idNumber":"91330105MA2KER1H4N"},
         "regionCode":"430405",
         "inspection":{"form":"01","category":"01","result":"01","date":"2026-11-20T09:30:00+08:00",
                       "inspectors":[{"name":"甲","certificateNo":"1"},{"name":"乙","certificateNo":"2"}]},
         "submittedAt":"2026-11-21T10:00:00+08:00"}
        """#

    func read(_ text: String) -> RecordReader.Outcome {
        reader.read(try! JSONParser().parse(Array(text.utf8)), path: "records[0]")
    }

    func errors(_ text: String) -> [FieldError] {
        if case .invalid(_, let errors) = read(text) { return errors }
        return []
    }

    func edit(_ from: String, _ to: String) -> String {
        precondition(Self.valid.contains(from), from)
        return Self.valid.replacingOccurrences(of: from, with: to)
    }

    @Test("a valid record reads, with the default operation filled in")
    func valid() throws {
        guard case .valid(let record) = read(Self.valid) else {
            Issue.record("\(errors(Self.valid))")
            return
        }
        #expect(record.localId == "JC-1")
        #expect(record.kind == .inspection)
        #expect(record.operation == .upsert)
        #expect(record.tree["operation"] == .string("upsert"))
        #expect(record.item.catalogCode == "43012100010000")
    }

    @Test(
        "field rules give a path, a stable code and both languages",
        arguments: [
            (#""idNumber":"91330105MA2KER1H4N""#, #""idNumber":"91330105MA2KER1H4M""#, "invalid_check_digit", "records[0].party.idNumber"),
            (
                #""nature":"2","idType":"001","idNumber":"91330105MA2KER1H4N""#, #""nature":"1","idType":"111","idNumber":"110105194912310021""#,
                "invalid_check_digit", "records[0].party.idNumber"
            ),
            (#""nature":"2""#, #""nature":"1""#, "nature_id_type_mismatch", "records[0].party.idType"),
            (#""result":"01""#, #""result":"77""#, "unknown_dictionary_value", "records[0].inspection.result"),
            (#""regionCode":"430405""#, #""regionCode":"430405","extra":1"#, "unknown_field", "records[0].extra"),
            (#""regionCode":"430405""#, #""regionCode":"4304""#, "invalid_region_code", "records[0].regionCode"),
            (#""localId":"JC-1""#, #""localId":12"#, "wrong_type", "records[0].localId"),
            (#""localId":"JC-1""#, #""localId":"   ""#, "empty", "records[0].localId"),
            (#""actionName":"日常检查""#, #""actionName":"日常\u0001检查""#, "control_character", "records[0].actionName"),
            (
                #""submittedAt":"2026-11-21T10:00:00+08:00""#, #""submittedAt":"2026-11-20T09:00:00+08:00""#, "submitted_before_act",
                "records[0].submittedAt"
            ),
            (#""submittedAt":"2026-11-21T10:00:00+08:00""#, #""submittedAt":"2026-11-21T10:00:00""#, "invalid_timestamp", "records[0].submittedAt"),
            (#",{"name":"乙","certificateNo":"2"}"#, "", "too_few_inspectors", "records[0].inspection.inspectors"),
            (#""kind":"inspection""#, #""kind":"penalty""#, "required", "records[0].penalty"),
            (#""kind":"inspection""#, #""kind":"audit""#, "invalid_value", "records[0].kind"),
            (#""code":"11430400013248734H"}"#, #""code":"11430400013248734I"}"#, "invalid_character", "records[0].agency.code"),
            (#""catalogCode":"43012100010000","#, "", "required", "records[0].item.catalogCode"),
            (
                #""localCode":"JC-0042","catalogCode":"43012100010000","implementationCode":"11430400013248734H34301210001000001""#,
                #""localName":"x""#, "item_unidentified", "records[0].item"
            ),
        ]
    )
    func rule(_ from: String, _ to: String, _ code: String, _ path: String) {
        let found = errors(edit(from, to))
        #expect(found.contains { $0.code == code && $0.path == path }, "\(found)")
        #expect(found.allSatisfy { !$0.messageZh.isEmpty && !$0.messageEn.isEmpty })
    }

    @Test("every problem of a record is reported at once")
    func allErrors() {
        let text = edit(#""result":"01""#, #""result":"77""#).replacingOccurrences(of: #""regionCode":"430405""#, with: #""regionCode":"x""#)
        #expect(errors(text).count == 2)
    }

    @Test("a missing required field is named")
    func missing() {
        let found = errors(edit(#""actionName":"日常检查","#, ""))
        #expect(found.map(\.path) == ["records[0].actionName"])
        #expect(found.first?.code == "required")
    }

    @Test("equal content in another order has the same canonical bytes")
    func canonicalIdentity() throws {
        let reordered = #"""
            {"submittedAt":"2026-11-21T10:00:00+08:00","kind":"inspection","localId":"JC-1","operation":"upsert",
             "regionCode":"430405","actionName":"日常检查",
             "item":{"implementationCode":"11430400013248734H34301210001000001","catalogCode":"43012100010000","localCode":"JC-0042"},
             "agency":{"code":"11430400013248734H","name":"衡阳市市场监督管理局"},"subject":{"name":"某药房","type":"01"},
             "party":{"idNumber":"91330105MA2KER1H4N","idType":"001","nature":"2","name":"某药房"},"planId":null,
             "inspection":{"inspectors":[{"name":"甲","certificateNo":"1"},{"name":"乙","certificateNo":"2"}],
                           "date":"2026-11-20T09:30:00+08:00","result":"01","category":"01","form":"01"}}
            """#
        guard case .valid(let a) = read(Self.valid), case .valid(let b) = read(reordered) else {
            Issue.record("invalid")
            return
        }
        #expect(a.canonicalBytes == b.canonicalBytes)
    }

    @Test("penalty rules: closing before filing, a fine without amount, money format")
    func penalty() {
        let base = #"""
            {"localId":"CF-1","kind":"penalty","item":{"localCode":"CF-1"},"actionName":"处罚",
             "agency":{"name":"局","code":"11430400013248734H"},"subject":{"name":"某药房"},
             "party":{"name":"某药房","nature":"2","idType":"001","idNumber":"91330105MA2KER1H4N"},"regionCode":"430405",
             "penalty":{"facts":"事实","basis":"依据","procedure":"02","hearing":false,"filedAt":"2026-10-08T09:00:00+08:00",
                        "decisionNo":"衡市监罚〔2026〕12号","decidedAt":"2026-11-02T15:00:00+08:00","kinds":["01","02"],"fineAmount":"5000.00",
                        "execution":{"closedAt":"2026-11-18T10:00:00+08:00"}},
             "submittedAt":"2026-11-21T10:00:00+08:00"}
            """#
        guard case .valid = read(base) else {
            Issue.record("\(errors(base))")
            return
        }
        #expect(
            errors(base.replacingOccurrences(of: "2026-11-18T10:00:00", with: "2026-10-01T10:00:00")).contains { $0.code == "closed_before_filed" }
        )
        #expect(
            errors(base.replacingOccurrences(of: #","fineAmount":"5000.00""#, with: "")).contains {
                $0.code == "required" && $0.path == "records[0].penalty.fineAmount"
            }
        )
        #expect(errors(base.replacingOccurrences(of: #""5000.00""#, with: "5000.00")).contains { $0.code == "wrong_type" })
        #expect(errors(base.replacingOccurrences(of: #""5000.00""#, with: #""-5""#)).contains { $0.code == "invalid_money" })
        #expect(errors(base.replacingOccurrences(of: #""5000.00""#, with: #""5000.001""#)).contains { $0.code == "invalid_money" })
        #expect(
            errors(base.replacingOccurrences(of: #""kinds":["01","02"]"#, with: #""kinds":["99"]"#)).contains {
                $0.code == "unknown_dictionary_value"
            }
        )
    }

    @Test("batch-level problems")
    func batch() throws {
        #expect(throws: BatchError.self) { try reader.readBatch(.array([])) }
        #expect(throws: BatchError.self) { try reader.readBatch(try JSONParser().parse(Array(#"{"records":[]}"#.utf8))) }
        #expect(throws: BatchError.self) { try reader.readBatch(try JSONParser().parse(Array(#"{"records":[],"x":1}"#.utf8))) }
        var small = reader
        small.maxRecords = 2
        #expect(throws: BatchError.self) { try small.readBatch(try JSONParser().parse(Array(#"{"records":[{},{},{}]}"#.utf8))) }
        let batch = try reader.readBatch(try JSONParser().parse(Array(#"{"batchId":"2026112600001","records":[{},5]}"#.utf8)))
        #expect(batch.batchId == "2026112600001")
        #expect(batch.records.count == 2)
    }
}

@Suite("Hostile text in records")
struct HostileTextTests {
    let reader = RecordReader(dictionaries: RecordReaderTests.dictionaries)

    func errors(_ text: String) -> [FieldError] {
        if case .invalid(_, let errors) = reader.read(try! JSONParser().parse(Array(text.utf8)), path: "records[0]") { return errors }
        return []
    }

    @Test("combining marks cannot stretch a length limit: lengths count scalars")
    func combining() {
        let long = "A" + String(repeating: "\u{0301}", count: 10_000)
        let text = RecordReaderTests.valid.replacingOccurrences(of: #""localId":"JC-1""#, with: "\"localId\":\"\(long)\"")
        #expect(errors(text).contains { $0.code == "too_long" && $0.path == "records[0].localId" })
    }

    @Test("identifiers must be NFC and free of control characters")
    func identifiers() {
        let kelvin = RecordReaderTests.valid.replacingOccurrences(of: #""localId":"JC-1""#, with: "\"localId\":\"A\u{212A}\"")
        #expect(errors(kelvin).contains { $0.code == "invalid_identifier" })
        let tab = RecordReaderTests.valid.replacingOccurrences(of: #""localId":"JC-1""#, with: #""localId":"JC\t1""#)
        #expect(errors(tab).contains { $0.code == "invalid_identifier" })
    }

    @Test("a record with thousands of problems reports at most 50 and says so")
    func manyErrors() {
        let members = (0..<5000).map { "\"f\($0)\":0" }.joined(separator: ",")
        let found = errors("{\(members)}")
        #expect(found.count == 51)
        #expect(found.last?.code == "too_many_errors")
    }
}
