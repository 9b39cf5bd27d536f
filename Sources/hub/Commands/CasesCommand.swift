import ArgumentParser
import Foundation
import HubModel
import HubServer
import HubStore
import Supervision

/// `hub cases show DEPT CASENO`: an enforcement case's timeline, as `GET /api/v1/cases/{caseNo}` answers it.
struct CasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "行政执法案件：查看案件各环节 — enforcement cases: read a case's stages.",
        discussion: examples("hub cases show HY-SCJG 衡市监罚〔2026〕12号"),
        subcommands: [Show.self]
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "显示案件时间线：各环节、标记和法定期限 — print a case's timeline: stages in order, flags, its statutory limit.",
            discussion: examples("hub cases show HY-SCJG 衡市监罚〔2026〕12号", "hub cases show HY-SCJG 衡市监罚〔2026〕12号 --json")
        )

        @Argument(help: "The department's code, e.g. HY-SCJG.") var department: String
        @Argument(help: "The case number.") var caseNo: String
        @Flag(help: "Print the JSON the API answers.") var json = false

        func run() async throws {
            try CommandInput.departmentCode(department, option: "DEPARTMENT")
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let (department, caseNo) = (self.department, self.caseNo)
            guard let stored = try await runtime.job({ hub in try await hub.cases.store.find(department: department, caseNo: caseNo) }) else {
                throw CommandFailure.failed("\(department) 没有案件 \(caseNo)", "\(department) has no case \(caseNo)")
            }
            let today = StatutoryLimits.day(epochSeconds: Date().timeIntervalSince1970)
            if json {
                say(CanonicalJSON.string(stored.timelineJSON(today: today)))
                return
            }
            let s = stored.summary
            let limit = StatutoryLimits.check(stored.events.map(\.event), today: today)
            let procedure = s.procedure == .general ? "一般程序" : "简易程序"
            let due = limit.dueOn.map { "，期限 \($0)（\(limit.limitDays ?? 0) 天）" } ?? ""
            say("\(department) \(caseNo)：\(procedure)\(s.major ? "，重大案件" : "")，当前环节 \(s.stage.nameZh)\(due)，\(limit.status.rawValue)")
            for e in stored.events {
                let flags = e.flags.isEmpty ? "" : "  [\(e.flags.map(\.rawValue).joined(separator: ","))]"
                say("  \(e.seq). \(e.event.date.text)  \(e.event.stage.nameZh)  \(e.event.eventId)  台账 #\(e.ledgerSeq)\(flags)")
            }
        }
    }
}
