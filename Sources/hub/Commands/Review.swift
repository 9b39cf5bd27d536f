import ArgumentParser
import Foundation
import HubModel
import HubServer
import HubStore
import Ingest

/// `hub review …`: the mapping review queue from the command line, acting as a named ops account.
struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "映射冲突审核队列：查看、决定、复核 — the mapping review queue: list, show, decide, approve.",
        discussion: examples(
            "hub review list",
            "hub review show 3",
            "HUB_OPS_PASSWORD=… hub review decide 3 --user ops-demo --catalog 11430400000001 --reason 依据一致",
            "HUB_OPS_PASSWORD=… hub review approve 3 --user approver-demo"
        ),
        subcommands: [List.self, Show.self, Decide.self, Approve.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "未解决的冲突，等待记录最多的在前 — unresolved conflicts, busiest first.",
            discussion: examples("hub review list", "hub review list --department HY-SCJG --status pending_approval --json")
        )
        @Option(help: "Only this department code.") var department: String?
        @Option(help: "open, pending_approval or closed (default: open and pending_approval).") var status: String?
        @Flag(help: "One JSON object per line.") var json = false

        func run() async throws {
            if let department { try CommandInput.departmentCode(department, option: "--department") }
            if let status, !["open", "pending_approval", "closed"].contains(status) {
                throw CommandFailure.badInput(
                    "--status \(status) 应为 open、pending_approval 或 closed",
                    "--status \(status) must be open, pending_approval or closed"
                )
            }
            let (department, status) = (self.department, self.status)
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let reviews = try await runtime.job { hub in try await hub.reviews.list(status: status, department: department) }
            if reviews.isEmpty { say("没有待审核事项 no reviews") }
            for r in reviews {
                if json {
                    say(
                        CanonicalJSON.string(
                            .object([
                                ("id", .number(String(r.id))), ("department", .string(r.department)), ("localCode", .string(r.localCode)),
                                ("localName", .string(r.localName ?? "")), ("status", .string(r.status)), ("reason", .string(r.reason)),
                                ("waitingRecords", .number(String(r.waiting))),
                            ])
                        )
                    )
                } else {
                    say("#\(r.id)  \(r.department)  \(r.localCode) \(r.localName ?? "")  [\(r.reason), \(r.status)]  等待记录 waiting: \(r.waiting)")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "显示一项冲突：本地事项、法定依据、候选事项及证据 — one conflict: the local item, its legal basis, ranked candidates.",
            discussion: examples("hub review show 3")
        )
        @Argument var id: Int64

        func run() async throws {
            let id = self.id
            let runtime = try HubRuntime.start(logger: Logs.logger())
            guard let r = try await runtime.job({ hub in try await hub.reviews.detail(id) }) else {
                throw CommandFailure.failed("没有审核事项 #\(id)", "no review #\(id)")
            }
            say("审核 review #\(r.id)  \(r.department)  status \(r.status)  reason \(r.reason)  waiting records \(r.waiting)")
            if let release = r.proposedMapping { say("待复核的决定 proposal waiting for approval: release \(release)") }
            say("本地事项 local item: \(r.localCode) \(r.localName ?? "")  (\(r.recordKind))")
            say("法定依据 legal basis: \(r.legalBasis ?? "（无 none）")")
            guard case .array(let candidates)? = try? JSONParser().parse(Array(r.candidates.utf8)) else { return }
            if candidates.isEmpty { say("候选事项 candidates: none") }
            for (i, c) in candidates.enumerated() {
                let code = c["catalogCode"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? ""
                let name = c["catalogName"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? ""
                let score = c["score"].flatMap { if case .number(let s) = $0 { s } else { nil } } ?? ""
                say("  \(i + 1). \(code) \(name)  score \(score)")
                if case .array(let evidence)? = c["evidence"] {
                    for e in evidence { if case .string(let s) = e { say("       - \(s)") } }
                }
            }
        }
    }

    struct Decide: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "以运维账号决定一项冲突（需第二人复核）— decide a conflict as an ops account (a second person approves unless HUB_REVIEW_FOUR_EYES=false).",
            discussion: examples(
                "HUB_OPS_PASSWORD=… hub review decide 3 --user ops-demo --catalog 11430400000001 --reason 法定依据一致",
                "HUB_OPS_PASSWORD=… hub review decide 4 --user ops-demo --relationship no-match --reason 本市无对应事项"
            )
        )
        @Argument var id: Int64
        @Option(help: "The ops account deciding (password from HUB_OPS_PASSWORD or a prompt).") var user: String
        @Option(help: "equivalent, local-narrower, local-broader or no-match.") var relationship = "equivalent"
        @Option(help: "The 14-digit catalog code (not for no-match).") var catalog: String?
        @Option(help: "An implementation code (optional: by default each record's own agency's item is used).") var implementation: String?
        @Option(help: "Why.") var reason: String

        func run() async throws {
            let relationships = ["equivalent", "local-narrower", "local-broader", "no-match"]
            guard relationships.contains(relationship) else {
                throw CommandFailure.badInput(
                    "--relationship \(relationship) 应为 \(relationships.joined(separator: "、"))",
                    "--relationship \(relationship) must be one of \(relationships.joined(separator: ", "))"
                )
            }
            if let catalog { try CommandInput.catalogCode(catalog, option: "--catalog") }
            let (id, username, relationship, catalog, implementation, reason) = (
                self.id, user, self.relationship, self.catalog, self.implementation, self.reason
            )
            let password = OpsLogin.password()
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let outcome = try await runtime.job { hub in
                let user = try await OpsLogin.authenticate(hub, username: username, password: password)
                try ReviewPolicy.authorize(.decide, user)
                return try await hub.reviews.decide(
                    id,
                    by: user,
                    relationship: relationship,
                    catalogCode: catalog,
                    implementationCode: implementation,
                    reason: reason,
                    requireApproval: hub.configuration.reviewFourEyes
                )
            }
            printOutcome(outcome)
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "复核他人的决定，放行等待的记录 — approve another person's decision; the waiting records are released.",
            discussion: examples(
                "hub review show 3",
                "HUB_OPS_PASSWORD=… hub review approve 3 --user approver-demo --release 12 --note 已核对",
                note: "放行进度显示在标准错误上（--quiet 关闭）。Progress of the release goes to standard error (--quiet: none)."
            )
        )
        @Argument var id: Int64
        @Option(help: "The approving ops account, not the one who decided (password from HUB_OPS_PASSWORD or a prompt).") var user: String
        @Option(help: "A note.") var note = ""
        @Option(help: "The proposal's mapping release you reviewed (`hub review show`): refused if it was withdrawn or replaced meanwhile.")
        var release: Int64?
        @Flag(help: "No progress line (不显示进度).") var quiet = false

        func run() async throws {
            let (id, username, note, release) = (self.id, user, self.note, self.release)
            let password = OpsLogin.password()
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let progress = ProgressLine("放行等待的记录 releasing the waiting records", quiet: quiet)
            progress.tick()
            defer { progress.finish() }
            let outcome = try await runtime.job { hub in
                let user = try await OpsLogin.authenticate(hub, username: username, password: password)
                try ReviewPolicy.authorize(.approve, user)
                return try await hub.reviews.approve(id, by: user, note: note, release: release)
            }
            printOutcome(outcome)
        }
    }
}

func printOutcome(_ o: ReviewStore.Outcome) {
    if o.status == "pending_approval" {
        say("已提交，待第二人复核 decision recorded (release \(o.release)); waiting for a second person's approval")
    } else {
        say("已确认 release \(o.release): 放行 released \(o.released), 退回 rejected \(o.rejected), 仍待处理 still held \(o.stillHeld)")
    }
}

extension ReviewError: CustomStringConvertible {
    public var description: String { "\(error.code): \(error.messageZh) / \(error.messageEn)" }
}
