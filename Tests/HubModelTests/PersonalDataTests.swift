import Testing

@testable import HubModel

@Suite("Personal data masking")
struct PersonalDataTests {
    @Test("an ID number keeps its first and last character")
    func idNumber() {
        #expect(PersonalData.maskIDNumber("11010519491231002X") == "1****************X")
        #expect(PersonalData.maskIDNumber("E12345678") == "E*******8")
        #expect(PersonalData.maskIDNumber("AB") == "A*")
        #expect(PersonalData.maskIDNumber("A") == "*")
        #expect(PersonalData.maskIDNumber("") == "")
    }

    @Test("a mobile number keeps its first 3 and last 4 digits")
    func mobile() {
        #expect(PersonalData.maskMobile("13812345678") == "138****5678")
        #expect(PersonalData.maskMobile("123") == "1**")
    }

    @Test("free text: mobiles and valid resident IDs are masked, codes and other numbers are not")
    func freeText() {
        #expect(PersonalData.maskText("当事人电话13812345678，身份证11010519491231002X。") == "当事人电话138****5678，身份证1****************X。")
        #expect(PersonalData.maskText("tel:+86 15900001111") == "tel:+86 159****1111")
        // Not a whole token, not a mobile prefix, a failing check digit, a USCC: left alone.
        #expect(PersonalData.maskText("No.A13812345678") == "No.A13812345678")
        #expect(PersonalData.maskText("123812345678") == "123812345678")
        #expect(PersonalData.maskText("12812345678") == "12812345678")
        #expect(PersonalData.maskText("110105194912310021") == "110105194912310021")
        #expect(PersonalData.maskText("91330105MA2KER1H4N") == "91330105MA2KER1H4N")
        #expect(PersonalData.maskText("衡市监罚〔2026〕12号") == "衡市监罚〔2026〕12号")
    }

    static func record(nature: String, idType: String, idNumber: String) -> JSONValue {
        .object([
            ("localId", .string("JC-1")),
            ("agency", .object([("name", .string("衡阳市市场监督管理局")), ("code", .string("11430400013248734H"))])),
            (
                "party",
                .object([
                    ("name", .string("张三")), ("nature", .string(nature)), ("idType", .string(idType)),
                    ("idNumber", .string(idNumber)),
                ])
            ),
            ("penalty", .object([("facts", .string("联系电话 13812345678")), ("kinds", .array([.string("01")]))])),
        ])
    }

    @Test("a natural person's ID number is masked whatever its type; an organisation's code is not")
    func records() {
        let citizen = PersonalData.masked(record: Self.record(nature: "1", idType: "111", idNumber: "11010519491231002X"))
        #expect(citizen["party"]?["idNumber"]?.stringValue == "1****************X")
        #expect(citizen["penalty"]?["facts"]?.stringValue == "联系电话 138****5678")
        #expect(citizen["agency"]?["code"]?.stringValue == "11430400013248734H")
        let passport = PersonalData.masked(record: Self.record(nature: "1", idType: "414", idNumber: "E12345678"))
        #expect(passport["party"]?["idNumber"]?.stringValue == "E*******8")
        let other = PersonalData.masked(record: Self.record(nature: "3", idType: "999", idNumber: "X1234"))
        #expect(other["party"]?["idNumber"]?.stringValue == "X***4", "another personal document marks a natural person")
        let company = PersonalData.masked(record: Self.record(nature: "2", idType: "001", idNumber: "91330105MA2KER1H4N"))
        #expect(company["party"]?["idNumber"]?.stringValue == "91330105MA2KER1H4N")
        #expect(company["party"]?["name"]?.stringValue == "张三")
    }
}
