import ArgumentParser
import Foundation
import HubModel
import HubServer
import HubStore
import Supervision

/// `hub clues overdue` and `hub clues show ID`: the clues' overdue pass on demand, and one clue with its steps.
struct CluesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clues",
        abstract: "线索核查处置：逾期检查、查看线索 — clues followed to closure: the overdue pass, one clue's steps.",
        discussion: examples("hub clues overdue", "hub clues show W2026000001"),
        subcommands: [Overdue.self, Show.self]
    )

    struct Overdue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "标记逾期线索 — flag every open clue past the first working day after its due date (once per phase; ledger entry clue_overdue).",
            discussion: examples("hub clues overdue")
        )

        func run() async throws {
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let flagged = try await runtime.job { hub in try await hub.clues.markOverdue() }
            say(flagged.isEmpty ? "没有新逾期的线索 (nothing newly overdue)" : "已标记逾期 \(flagged.count) 条：\(flagged.joined(separator: " "))")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "显示一条线索：状态、承办部门、期限和每一步 — print a clue: status, department, due dates and every step.",
            discussion: examples("hub clues show W2026000001", "hub clues show W2026000001 --json")
        )

        @Argument(help: "The clue id (the province's, or the city's W…).") var clueId: String
        @Flag(help: "Print the JSON the API answers.") var json = false

        func run() async throws {
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let id = clueId
            guard let detail = try await runtime.job({ hub in try await hub.clues.detail(id) }) else {
                throw CommandFailure.failed("没有线索 \(id)", "no such clue \(id)")
            }
            let today = ClueStore.day(Date())
            if json {
                say(CanonicalJSON.string(detail.json(today: today)))
                return
            }
            let s = detail.clue.state
            let due = [s.verificationDue.map { "核查期限 \($0)" }, s.disposalDue.map { "处置期限 \($0)" }].compactMap { $0 }.joined(separator: "，")
            say(
                "\(id)：\(detail.clue.origin.label) \(detail.clue.model)，\(s.status.label)\(s.department.map { "，承办 \($0)" } ?? "")\(due.isEmpty ? "" : "，" + due)\(detail.clue.isOverdue(on: today) ? "，已逾期" : "")"
            )
            for step in detail.steps {
                say("  \(step.seq). \(step.occurredOn)  \(step.step)  \(step.actor)  台账 #\(step.ledgerSeq)")
            }
        }
    }
}
