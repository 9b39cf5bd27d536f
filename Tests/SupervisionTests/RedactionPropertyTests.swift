import HubModel
import Testing

@testable import Supervision

/// 10,000 generated penalty records, pushed through the record reader and the redaction: no published text
/// (title, name, code, any field) contains an 18-character resident ID (check digit right or wrong), an 11-digit
/// mobile number, or the full name of a natural person.
@Suite struct RedactionPropertyTests {
    /// A seeded generator (`SplitMix`, DrawStatisticsTests), so that a failure names a record that can be made again.
    typealias Seeded = SplitMix

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢").map(String.init) + ["欧阳", "司马", "诸葛"]
    static let given = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌浩宇晨欣怡子涵梓轩").map(String.init)

    struct Generated {
        var tree: JSONValue
        var secrets: [String]
    }

    static func digits(_ n: Int, _ rng: inout Seeded) -> String { String((0..<n).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) }) }

    static func name(_ rng: inout Seeded) -> String {
        surnames.randomElement(using: &rng)! + (0..<Int.random(in: 1...2, using: &rng)).map { _ in given.randomElement(using: &rng)! }.joined()
    }

    static func residentID(_ rng: inout Seeded) -> String {
        let body =
            "4304" + digits(2, &rng) + String(Int.random(in: 1940...2010, using: &rng)) + String(format2(Int.random(in: 1...12, using: &rng)))
            + format2(Int.random(in: 1...28, using: &rng)) + digits(3, &rng)
        let valid = ResidentID.withCheckDigit(body)!
        // Half with a right check digit, half with a digit or X that may be wrong.
        return Bool.random(using: &rng) ? valid : body + (Bool.random(using: &rng) ? "X" : digits(1, &rng))
    }

    static func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    static func mobile(_ rng: inout Seeded, plain: Bool) -> (shown: String, raw: String) {
        let raw = "1" + String(Int.random(in: 3...9, using: &rng)) + digits(9, &rng)
        if plain { return (raw, raw) }
        let a = raw.prefix(3)
        let b = raw.dropFirst(3).prefix(4)
        let c = raw.suffix(4)
        return ([a + "-" + b + "-" + c, a + " " + b + " " + c, "+86 " + raw].randomElement(using: &rng)!, raw)
    }

    static func record(_ i: Int, _ rng: inout Seeded) -> Generated {
        let natural = i % 3 != 0
        let partyName = natural ? name(&rng) : "衡阳市某某贸易有限公司"
        let partyID = natural ? residentID(&rng) : "91330105MA2KER1H4N"
        let witness = name(&rng)
        let relative = name(&rng)
        let otherID = residentID(&rng)
        let phone = mobile(&rng, plain: Bool.random(using: &rng))
        let phone2 = mobile(&rng, plain: true)
        let templates = [
            "\(partyName)（身份证号\(partyID)）于2026年\(Int.random(in: 1...12, using: &rng))月销售假药，证人\(witness)（电话\(phone.shown)）证实。",
            "经查，当事人\(partyName)联系电话\(phone.shown)，其亲属\(relative)身份证号码\(otherID)，手机\(phone2.shown)。",
            "\(witness)举报\(partyName)无证经营，\(relative)证件号\(otherID)，联系方式：\(phone.shown)。",
            "当事人于2026-0\(Int.random(in: 1...9, using: &rng))-1\(Int.random(in: 0...9, using: &rng))违法，负责人\(relative)手机\(phone2.raw)，证人\(witness)。",
        ]
        let facts = templates.randomElement(using: &rng)! + templates.randomElement(using: &rng)!
        func s(_ v: String) -> JSONValue { .string(v) }
        let tree: JSONValue = .object([
            ("localId", s("CF-\(i)")), ("kind", s("penalty")),
            ("actionName", s("对\(partyName)的行政处罚")),
            ("agency", .object([("name", s("衡阳市市场监督管理局")), ("code", s("11430400MB1A23456X"))])),
            (
                "party",
                .object([
                    ("name", s(partyName)), ("nature", s(natural ? "1" : "2")), ("idType", s(natural ? "111" : "001")), ("idNumber", s(partyID)),
                ])
            ),
            (
                "penalty",
                .object([
                    ("facts", s(facts)), ("basis", s("《中华人民共和国药品管理法》第一百一十六条")), ("decisionNo", s("衡市监罚〔2026〕\(i)号")),
                    ("decidedAt", s("2026-11-02T15:00:00+08:00")), ("kinds", .array([s("01")])),
                    ("result", s("对\(partyName)罚款\(Int.random(in: 1...99, using: &rng))000元，由\(witness)代缴，\(relative)见证。")),
                ])
            ),
            ("disclosure", .object([("persons", .array([s(witness), s(relative)]))])),
            ("submittedAt", s("2026-11-21T10:00:00+08:00")),
        ])
        var secrets = [witness, relative, otherID, phone.raw, phone2.raw]
        if natural { secrets += [partyName, partyID] }
        return Generated(tree: tree, secrets: secrets)
    }

    /// Any 17 digits followed by a digit or X, or an 11-digit mobile, not inside a longer run of digits.
    static func leaks(_ text: String) -> [String] {
        var found: [String] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            guard chars[i].isASCII, chars[i].isNumber else {
                i += 1
                continue
            }
            var end = i
            while end < chars.count, chars[end].isASCII, chars[end].isNumber { end += 1 }
            let run = String(chars[i..<end])
            if run.count == 17, end < chars.count, chars[end] == "X" || chars[end] == "x" { found.append(run + "X") }
            if run.count == 18 { found.append(run) }
            if run.count == 11, run.hasPrefix("1"), ("3"..."9").contains(chars[i + 1]) { found.append(run) }
            i = end
        }
        return found
    }

    @Test func noGeneratedPenaltyLeaksAnIDAMobileOrAName() throws {
        var rng = Seeded(seed: 20_261_207)
        var published = 0
        for i in 0..<10_000 {
            let g = Self.record(i, &rng)
            let act = try #require(PublishableAct(record: g.tree, department: "HY-SCJG"))
            guard case .published(let p) = Redaction.redact(act) else {
                Issue.record("record \(i) withheld")
                continue
            }
            published += 1
            let texts = [p.title, p.subjectName, p.uscc ?? "", p.maskedIdNumber ?? ""] + p.fields.map(\.value)
            for text in texts {
                let leaked = Self.leaks(text).filter { $0 != "91330105MA2KER1H4N" }
                #expect(leaked.isEmpty, "record \(i): \(leaked) in \(text)")
                for secret in g.secrets where text.contains(secret) {
                    Issue.record("record \(i): \(secret) in \(text)")
                }
                if !leaked.isEmpty { return }
            }
        }
        #expect(published == 10_000)
    }
}
