import Foundation
import HubModel
import Testing

@testable import HubServer

/// Every kind and status the console shows has a Chinese name (issue #16: hold reasons, ledger kinds and
/// operations reached the pages as raw codes).
@Suite struct ConsoleLabelsTests {
    static func hasChinese(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
    }

    @Test("every value of every labelled type has its own Chinese name")
    func everyValueNamed() {
        #expect(ConsoleLabels.all.count >= 30)
        for domain in ConsoleLabels.all {
            #expect(!domain.values.isEmpty, "\(domain.name) has no values")
            for (value, label) in domain.values {
                #expect(Self.hasChinese(label), "\(domain.name).\(value) has no Chinese name: \(label)")
                #expect(label != value, "\(domain.name).\(value) is named by its code")
                #expect(!label.contains(value) || value.count <= 1, "\(domain.name).\(value): the code leaks into the name \(label)")
            }
            let labels = domain.values.map(\.label)
            #expect(Set(labels).count == labels.count, "\(domain.name): two values share a name, an operator could not tell them apart")
        }
    }

    /// A type made `ConsoleLabelled` but left out of `ConsoleLabels.all` would escape the check above: the
    /// sources are read for every conformance and each must be listed.
    @Test("every ConsoleLabelled type is in ConsoleLabels.all")
    func everyConformanceListed() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/HubServer/Console/Labels")
        var declared: Set<String> = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for match in text.matches(of: /(?:extension|enum) ([A-Za-z.]+)(?:: String,)?: ConsoleLabelled/) {
                declared.insert(String(match.1.split(separator: ".").last ?? ""))
            }
        }
        #expect(declared.count >= 30)
        let listed = Set(ConsoleLabels.all.map { String($0.name.split(separator: ".").last ?? "") })
        #expect(declared.subtracting(listed).isEmpty, "labelled but not listed: \(declared.subtracting(listed).sorted())")
    }

    @Test("every ledger kind and every ops action has a name; stored text the hub does not know is shown as stored")
    func ledgerNames() {
        for kind in LedgerKind.allCases { #expect(Self.hasChinese(kind.consoleLabel)) }
        #expect(LedgerKind.label("review-decision") == "review-decision")
        #expect(LedgerKind(stored: "review-decision")?.consoleLabel == "审核决定")
        #expect(DeliveryState.label("dead") == "投递失败（多次重试未成功，需人工处理）")
        #expect(DeliveryState.label(nil) == "—")
        #expect(WireOperation.label("I") == "新增")
    }

    @Test("ledger subjects read as words")
    func subjects() {
        #expect(ConsoleLabels.ledgerSubject(kind: "ops_action", subject: "console_sign_in") == "登录控制台")
        #expect(ConsoleLabels.ledgerSubject(kind: "catalog", subject: "catalog:43008100010000") == "目录事项 43008100010000")
        #expect(ConsoleLabels.ledgerSubject(kind: "record", subject: "SCJG-JC-1#2") == "记录 SCJG-JC-1 第 2 版")
        #expect(ConsoleLabels.ledgerSubject(kind: "ops_action", subject: "calendar:2027") == "载入工作日历 2027 年")
        #expect(ConsoleLabels.ledgerSubject(kind: "provincial_receipt", subject: "2026120700001") == "2026120700001")
        #expect(ConsoleLabels.department("HY-SCJG", names: ["HY-SCJG": "市场监管局"]) == "市场监管局 · HY-SCJG")
        #expect(ConsoleLabels.department("", names: [:]) == "—")
        #expect(PullSource.name("pull:HY-SCJG:1") == "部门系统 · HY-SCJG #1")
    }
}
