import HubModel
import Testing

@testable import Supervision

/// The observation push document without a database: each kind read, the canonical JSON read back to the same
/// observation, and the paths and codes of what a department system gets wrong.
@Suite struct ObservationReaderTests {
    let reader = ObservationReader(maxRows: 3)
    static let uscc = "91350100M000100Y43"

    func outcome(_ json: String) throws -> ObservationReader.Outcome {
        reader.read(try JSONParser().parse(Array(json.utf8)), department: "HY-SCJG", path: "observations[0]")
    }

    func errors(_ json: String) throws -> [String] {
        guard case .invalid(let errors) = try outcome(json) else { return [] }
        return errors.map { "\($0.path) \($0.code)" }.sorted()
    }

    func row(_ kind: String, _ detail: String, extra: String = "") -> String {
        #"{"observationId":"O-1","kind":"\#(kind)","observedOn":"2026-11-02","subject":{"uscc":"\#(Self.uscc)","name":"某某大药房"}\#(extra),"\#(kind)":{\#(detail)}}"#
    }

    static let samples: [(String, String)] = [
        ("advertisement", #""medium":"web","location":"https://example.cn/ad","text":"三天根治，无效退款","advertiser":"某医院","product":"medical_service""#),
        (
            "listing",
            #""platform":"某平台","shop":"某旗舰店","productName":"阿莫西林胶囊","category":"drug","prescription":"true","prescriptionChecked":false,"seller":"某公司","text":"无需处方""#
        ),
        ("complaint", #""text":"承诺年化收益18%，到期不兑付","amountFen":"1200000","channel":"12345""#),
        ("licence", #""kind":"drug_trading","number":"闽AA5910001","validFrom":"2024-01-01","validUntil":null"#),
    ]

    @Test(arguments: samples)
    func eachKindReadsAndItsCanonicalFormReadsBackTheSame(kind: String, detail: String) throws {
        guard case .valid(let first) = try outcome(row(kind, detail, extra: #","regionCode":"350102""#)) else {
            Issue.record("\(kind) did not read: \(try errors(row(kind, detail)))")
            return
        }
        #expect(first.kind.rawValue == kind)
        #expect(first.department == "HY-SCJG")
        #expect(first.regionCode == "350102")
        let canonical = CanonicalJSON.encode(first.json)
        guard case .valid(let again) = reader.read(try JSONParser().parse(canonical), department: "HY-SCJG", path: "x") else {
            Issue.record("the canonical form of \(kind) did not read back")
            return
        }
        #expect(again == first)
        #expect(CanonicalJSON.encode(again.json) == canonical)
    }

    @Test func listingTypesAreTakenFromXMLText() throws {
        guard case .valid(let o) = try outcome(row("listing", Self.samples[1].1)), case .listing(let l) = o.detail else {
            Issue.record("listing did not read")
            return
        }
        #expect(l.prescription)
        #expect(l.prescriptionChecked == false)
        #expect(l.deviceClass == nil)
    }

    @Test func mistakesAnswerWithPathsAndStableCodes() throws {
        #expect(
            try errors(
                #"{"observationId":"O 1","kind":"leaflet","observedOn":"2026-02-30","subject":{"uscc":"91350100M000100Y44","name":""},"regionCode":"35010"}"#
            ) == [
                "observations[0].kind invalid_value", "observations[0].observationId invalid_identifier", "observations[0].observedOn invalid_date",
                "observations[0].regionCode invalid_region_code", "observations[0].subject.name empty",
                "observations[0].subject.uscc invalid_check_digit",
            ]
        )
        #expect(
            try errors(
                row("listing", #""platform":"p","shop":"s","productName":"n","category":"drug","deviceClass":2,"seller":"s","prescription":"yes""#)
            )
                == ["observations[0].listing.deviceClass device_class_without_device", "observations[0].listing.prescription wrong_type"]
        )
        #expect(
            try errors(row("listing", #""platform":"p","shop":"s","productName":"n","category":"device","deviceClass":4,"seller":"s""#))
                == ["observations[0].listing.deviceClass out_of_range"]
        )
        #expect(try errors(row("complaint", #""text":"t""#, extra: #","licence":{}"#)) == ["observations[0].licence detail_kind_mismatch"])
        #expect(
            try errors(#"{"observationId":"O-1","kind":"complaint","observedOn":"2026-11-02","subject":{"name":"x"}}"#) == [
                "observations[0].complaint required"
            ]
        )
        #expect(
            try errors(row("licence", #""kind":"drug_trading","number":"n","validFrom":"2026-01-02","validUntil":"2026-01-01","extra":1"#))
                == ["observations[0].licence.extra unknown_field", "observations[0].licence.validUntil ends_before_start"]
        )
    }

    @Test func wholeBatchProblemsThrow() throws {
        func batchCodes(_ json: String) throws -> [String] {
            do {
                _ = try reader.read(try JSONParser().parse(Array(json.utf8)), department: "D")
                return []
            } catch let error as BatchError {
                return error.errors.map(\.code)
            }
        }
        #expect(try batchCodes(#"{"observations":[]}"#) == ["empty"])
        #expect(try batchCodes(#"{"rows":[]}"#) == ["unknown_field"])
        #expect(try batchCodes(#"{"observations":[{},{},{},{}]}"#) == ["too_many_rows"])
        #expect(try batchCodes(#"[]"#) == ["wrong_type"])
    }
}
