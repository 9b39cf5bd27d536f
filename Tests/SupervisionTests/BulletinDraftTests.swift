import HubModel
import Supervision
import Testing

/// The rules of a bulletin draft, before anything is stored: what each kind needs, lengths, and no personal
/// data in text bound for the public.
@Suite("Bulletin drafts")
struct BulletinDraftTests {
    func read(_ json: String) -> (draft: BulletinDraft?, errors: [FieldError]) {
        BulletinDraft.read(try! JSONParser().parse(Array(json.utf8)))
    }

    @Test("news needs department, title and body, and names no record; an exposure names its penalty record")
    func kinds() {
        let news = read(#"{"kind":"news","department":"HY-SCJG","title":" 开展药品安全专项检查 ","body":"全市检查药店 120 家。"}"#)
        #expect(news.errors.isEmpty)
        #expect(news.draft == BulletinDraft(kind: .news, department: "HY-SCJG", title: "开展药品安全专项检查", body: "全市检查药店 120 家。"))

        let exposure = read(#"{"kind":"exposure","department":"HY-SCJG","title":"销售劣药","body":"处罚决定见链接。","recordLocalId":"CF-1"}"#)
        #expect(exposure.draft?.recordLocalId == "CF-1")

        let noRecord = read(#"{"kind":"exposure","department":"HY-SCJG","title":"t","body":"b"}"#)
        #expect(noRecord.draft == nil)
        #expect(noRecord.errors.map(\.path) == ["recordLocalId"])
        #expect(noRecord.errors.map(\.code) == ["required"])

        let newsWithRecord = read(#"{"kind":"news","department":"HY-SCJG","title":"t","body":"b","recordLocalId":"CF-1"}"#)
        #expect(newsWithRecord.errors.map(\.code) == ["not_for_news"])
    }

    @Test("every problem is reported with its path: unknown kind and member, missing, empty, too long, wrong type")
    func problems() {
        let long = String(repeating: "长", count: BulletinDraft.titleLimit + 1)
        let r = read(#"{"kind":"gossip","department":"","title":"\#(long)","body":5,"author":"x"}"#)
        #expect(r.draft == nil)
        let found = Set(r.errors.map { "\($0.path):\($0.code)" })
        #expect(found == ["author:unknown_field", "kind:unknown_dictionary_value", "department:empty", "title:too_long", "body:wrong_type"])
        #expect(r.errors.allSatisfy { !$0.messageZh.isEmpty && !$0.messageEn.isEmpty })
        #expect(read("[]").errors.map(\.code) == ["wrong_type"])
    }

    @Test("a resident ID or a mobile number in the title or body is refused; other numbers are not")
    func personalData() {
        let withID = read(#"{"kind":"news","department":"D","title":"t","body":"当事人 11010519491231002X 已整改"}"#)
        #expect(withID.errors.map { "\($0.path):\($0.code)" } == ["body:personal_data_in_text"])
        let withMobile = read(#"{"kind":"news","department":"D","title":"举报电话 13812345678","body":"b"}"#)
        #expect(withMobile.errors.map { "\($0.path):\($0.code)" } == ["title:personal_data_in_text"])
        let harmless = read(#"{"kind":"news","department":"D","title":"检查 120 家，罚款 50000 元","body":"决定书 衡市监罚〔2026〕12号，统一社会信用代码 913303275586060950"}"#)
        #expect(harmless.errors.isEmpty)
    }

    @Test("labels are Chinese for every kind and status")
    func labels() {
        #expect(BulletinKind.allCases.map(\.label) == ["监管动态", "曝光台"])
        #expect(BulletinStatus.allCases.allSatisfy { !$0.label.isEmpty && $0.label.unicodeScalars.allSatisfy { $0.value > 0x2E80 } })
    }
}
