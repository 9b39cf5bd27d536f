import HubModel
import Ingest
import Testing

/// How the message log sums up a batch: its status, counts and the codes it is found by.
@Suite("Message summary")
struct MessageSummaryTests {
    static let digit = FieldError(path: "records[2].party.idNumber", code: "invalid_check_digit", zh: "校验位错误", en: "bad check digit")

    @Test("the worst record decides the batch status; counts add up; codes are distinct and sorted")
    func status() {
        let answers = [
            MessageAnswer(index: 0, localId: "A", status: .accepted, itemCode: "430121000100010", catalogCode: "43012100010001"),
            MessageAnswer(index: 1, localId: "B", status: .held, itemCode: "JC-LOCAL"),
            MessageAnswer(index: 2, localId: "C", status: .rejected, itemCode: "JC-LOCAL", errors: [Self.digit]),
            MessageAnswer(index: 3, localId: "D", status: .rejected, errors: [Self.digit]),
            MessageAnswer(index: 4, localId: "E", status: .duplicate),
        ]
        let s = MessageSummary(answers: answers)
        #expect(s.status == .rejected)
        #expect((s.recordCount, s.accepted, s.held, s.duplicate, s.rejected) == (5, 1, 1, 1, 2))
        #expect(s.errorCodes == ["invalid_check_digit"])
        #expect(s.itemCodes == ["43012100010001", "430121000100010", "JC-LOCAL"])
        #expect(MessageSummary(answers: Array(answers[0...1])).status == .held)
        #expect(MessageSummary(answers: [answers[0], answers[4]]).status == .accepted)
        #expect(MessageSummary(answers: []).status == .accepted)
    }

    @Test("a batch refused as a whole counts no records and keeps the refusal's codes")
    func refusal() {
        let s = MessageSummary(refusal: [
            FieldError(path: "", code: "malformed_json", zh: "", en: ""), FieldError(path: "", code: "malformed_json", zh: "", en: ""),
        ])
        #expect(s.status == .refused && s.recordCount == 0 && s.errorCodes == ["malformed_json"])
    }

    @Test("item codes are capped so one huge batch cannot bloat the row")
    func cap() {
        let answers = (0..<500).map { MessageAnswer(index: $0, localId: nil, status: .accepted, itemCode: "L\($0)") }
        #expect(MessageSummary(answers: answers).itemCodes.count == MessageSummary.maxItemCodes)
    }
}
