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
        abstract: "Enforcement cases (行政执法全过程记录): read a case's stages.",
        subcommands: [Show.self]
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a case's timeline: stages in order, flags, its statutory limit.")

        @Argument(help: "The department's code, e.g. HY-SCJG.") var department: String
        @Argument(help: "The case number.") var caseNo: String
        @Flag(help: "Print the JSON the API answers.") var json = false

        func run() async throws {
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let (department, caseNo) = (self.department, self.caseNo)
            guard let stored = try await runtime.job({ hub in try await hub.cases.store.find(department: department, caseNo: caseNo) }) else {
                throw ValidationError("\(department) 没有案件 \(caseNo) (no such case)")
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
