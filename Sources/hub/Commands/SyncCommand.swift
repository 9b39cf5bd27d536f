import ArgumentParser
import Foundation
import HubServer
import HubStore

/// `hub sync`: the provincial sync daemon alone (outbox delivery, provincial feeds, department pulls),
/// without the HTTP server; several can run against one database and share the work.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "单独运行省平台同步服务，直到收到 SIGTERM 或 SIGINT — run the provincial sync daemon alone until SIGTERM or SIGINT.",
        discussion: examples("hub sync", note: "可有多个实例连同一数据库分担工作。Several can run against one database and share the work.")
    )

    func run() async throws {
        try HubConfiguration().refuseDemoSecrets()
        let runtime = try HubRuntime.start(logger: Logs.logger())
        defer { runtime.stop() }
        printSettings(runtime.hub.configuration)
        guard runtime.hub.configuration.exchange.province != nil else {
            say("未配置省平台 HUB_PROVINCE_URL is not set: only department pulls run")
            return try await runSyncOnly(runtime.hub)
        }
        try await runSyncOnly(runtime.hub)
    }
}

/// `hub reconcile --date D`: per department and day, what came in and what became of it.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "按部门核对某一天的收发 — reconcile one day per department: what came in and what became of it.",
        discussion: examples("hub reconcile --date 2026-12-07", "hub reconcile --date 2026-12-07 --quiet")
    )

    @Option(help: "The day, YYYY-MM-DD (Asia/Shanghai).") var date: String
    @Flag(help: "No progress line (不显示进度).") var quiet = false

    func run() async throws {
        let date = try CommandInput.day(date).description
        let runtime = try HubRuntime.start(logger: Logs.logger())
        let progress = ProgressLine("对账 reconciling \(date)", quiet: quiet)
        progress.tick()
        let rows = try await runtime.job { hub in try await hub.reconciliation.report(day: date) }
        progress.finish()
        say("对账 reconciliation \(date)")
        guard !rows.isEmpty else { return say("  当日无数据 nothing that day") }
        say("部门 dept      收到 in  入账 acc  待审 held  重复 dup  拒收 rej | 已规范 norm  仍待审 held  审后拒 rej | 入队 queued  已送达 deliv  省拒 prov-rej  待送 pend  死信 dead")
        var allOK = true
        for r in rows {
            say(
                String(
                    format: "%-12@ %7d %8d %9d %8d %8d | %11d %11d %10d | %11d %12d %13d %10d %9d",
                    r.department as NSString,
                    r.received,
                    r.acceptedAtIntake,
                    r.heldAtIntake,
                    r.duplicates,
                    r.rejectedAtIntake,
                    r.normalized,
                    r.stillHeld,
                    r.rejectedAfterReview,
                    r.queued,
                    r.delivered,
                    r.provinceRejected,
                    r.pending,
                    r.dead
                )
            )
            for check in r.checks where !check.ok {
                allOK = false
                say("    ✗ \(check.name): \(check.explanation)")
            }
        }
        say(allOK ? "全部平衡 every identity holds" : "有差异，见上 differences above")
    }
}

/// `hub outbox dead|requeue`: the dead-letter list and putting rows back in the queue.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "待上报省平台的队列：状态、死信、重新入队 — the provincial outbox: status, dead letters, requeue.",
        discussion: examples("hub outbox status", "hub outbox dead", "hub outbox requeue --by 李四 17"),
        subcommands: [Status.self, Dead.self, Requeue.self]
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "积压、延迟和省平台下行游标 — backlog, lag and feed checkpoints.",
            discussion: examples("hub outbox status")
        )
        func run() async throws {
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let (backlog, checkpoints) = try await runtime.job { hub in (try await hub.outbox.backlog(), try await hub.checkpoints.all()) }
            say("待送 pending \(backlog.pending)  死信 dead \(backlog.dead)  延迟 lag \(String(format: "%.1f", backlog.lagSeconds)) s")
            for c in checkpoints {
                say(
                    "  \(c.name): cursor \(c.cursor), last ok \(c.lastSuccessAt ?? "-")"
                        + (c.lastError.map { ", last error \(c.lastErrorAt ?? ""): \($0)" } ?? "")
                )
            }
        }
    }

    struct Dead: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "列出死信（省平台多次拒收或无法送达的记录）— list dead letters.",
            discussion: examples("hub outbox dead", "hub outbox requeue --by 李四 17")
        )
        func run() async throws {
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let letters = try await runtime.job { hub in try await hub.outbox.deadLetters() }
            say("死信 dead letters: \(letters.count)")
            for d in letters { say("  #\(d.id) \(d.department) \(d.localId) v\(d.version) attempts \(d.attempts) \(d.lastError ?? "")") }
        }
    }

    struct Requeue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "把死信重新放回队列（记入台账）— put dead letters back in the queue (recorded in the ledger).",
            discussion: examples("hub outbox requeue --by 李四 17 18", "hub outbox requeue --by 李四")
        )
        @Option(help: "Who does it (written to the ledger).") var by: String
        @Argument(help: "Outbox ids; none means every dead letter.") var ids: [Int64] = []
        func run() async throws {
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let ids = self.ids
            let by = self.by
            let n = try await runtime.job { hub in
                let targets = ids.isEmpty ? try await hub.outbox.deadLetters(limit: 100_000).map(\.id) : ids
                return try await hub.outbox.requeue(ids: targets, by: by)
            }
            say("已重新入队 requeued \(n)")
        }
    }
}
