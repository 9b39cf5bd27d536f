import ArgumentParser
import AsyncHTTPClient
import Foundation
import HubModel
import HubServer
import HubStore
import Ingest
import NIOCore
import NIOFoundationCompat
import Supervision

/// `hub random-checks plans|propose|approve|draw|verify`: plans from the command line, acting as a named ops
/// account (the same rules as the ops API: a reviewer proposes and draws, a second person approves).
extension RandomChecksCommand {
    struct Plans: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "列出全部抽查计划及状态、承诺值 — every plan with its status and commitment.",
            discussion: examples("hub random-checks plans")
        )

        func run() async throws {
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let plans = try await runtime.job { hub in try await hub.randomChecks.plans() }
            if plans.isEmpty { say("没有抽查计划 no plans") }
            for p in plans {
                let departments = ([p.leadDepartment] + p.participants).joined(separator: "+")
                say("\(p.planId)  \(p.name)  \(departments)  [\(p.status)]  \(p.periodStart)–\(p.periodEnd)  任务 tasks \(p.tasks)")
                if let commitment = p.commitment { say("    承诺值 commitment \(commitment)") }
            }
        }
    }

    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "提出文件中的抽查计划，待第二人批准 — propose the plan in FILE (the JSON of POST /api/v1/ops/random-checks/plans).",
            discussion: examples("HUB_OPS_PASSWORD=… hub random-checks propose plan.json --user zhangsan")
        )
        @Argument var file: String
        @Option(help: "The proposing ops account (reviewer; password from HUB_OPS_PASSWORD or a prompt).") var user: String

        func run() async throws {
            try CommandInput.readableFile(file)
            let (file, username) = (self.file, user)
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            let password = OpsLogin.password()
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let summary: RandomCheckStore.PlanSummary
            do {
                summary = try await runtime.job { hub in
                    let user = try await OpsLogin.authenticate(hub, username: username, password: password)
                    try ReviewPolicy.authorize(.decide, user)
                    let value: JSONValue
                    do {
                        value = try JSONParser().parse(bytes)
                    } catch let error as JSONParser.Failure {
                        throw CommandFailure.badInput(
                            "\(file): JSON 格式错误，第 \(error.line) 行第 \(error.column) 列",
                            "\(file): malformed JSON at line \(error.line), column \(error.column)"
                        )
                    }
                    let read = RandomCheckPlan.read(value, defaultRatios: hub.randomCheckSettings.ratios)
                    guard let plan = read.plan else { throw Refused(errors: read.errors) }
                    let problems = plan.problems()
                    guard problems.isEmpty else { throw Refused(errors: problems) }
                    return try await hub.randomChecks.propose(plan, by: user.username)
                }
            } catch let refused as Refused {
                say("计划被拒收 the plan was refused:\n\(refused)")
                throw CommandFailure.badInput("计划 \(file) 被拒收，原因见上", "the plan \(file) was refused: see the lines above")
            }
            say("已提出 proposed \(summary.planId)，待第二人批准 waiting for another person's approval")
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "批准他人提出的计划：生成种子并公布承诺值 — approve a plan (not your own): the seed is made and its commitment published.",
            discussion: examples("HUB_OPS_PASSWORD=… hub random-checks approve RC-2026-001 --user lisi")
        )
        @Argument var plan: String
        @Option(help: "The approving ops account (password from HUB_OPS_PASSWORD or a prompt).") var user: String

        func run() async throws {
            let (planId, username) = (plan, user)
            let password = OpsLogin.password()
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let summary = try await runtime.job { hub in
                let user = try await OpsLogin.authenticate(hub, username: username, password: password)
                try ReviewPolicy.authorize(.approve, user)
                return try await hub.randomChecks.approve(planId, by: user.username)
            }
            say("已批准 approved \(summary.planId)  承诺值 commitment \(summary.commitment ?? "")")
        }
    }

    struct Draw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "对已批准的计划摇号（仅一次），公开种子 — draw an approved plan, once; the seed is revealed.",
            discussion: examples("HUB_OPS_PASSWORD=… hub random-checks draw RC-2026-001 --user zhangsan")
        )
        @Argument var plan: String
        @Option(help: "The ops account drawing (reviewer; password from HUB_OPS_PASSWORD or a prompt).") var user: String

        func run() async throws {
            let (planId, username) = (plan, user)
            let password = OpsLogin.password()
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let draw = try await runtime.job { hub in
                let user = try await OpsLogin.authenticate(hub, username: username, password: password)
                try ReviewPolicy.authorize(.decide, user)
                return try await hub.randomChecks.draw(planId, by: user.username, caps: hub.randomCheckSettings.caps)
            }
            say("已摇号 drawn \(draw.planId): 候选 candidates \(draw.candidates.count), 跳过 skipped \(draw.skipped.count), 任务 tasks \(draw.tasks.count)")
            say("种子 seed \(draw.seed)")
            say("候选清单哈希 candidates hash \(draw.candidatesHash)")
            for task in draw.tasks {
                let teams = draw.departments.map { "\($0): \((task.inspectors[$0] ?? []).joined(separator: ","))" }.joined(separator: "; ")
                say("  \(task.taskId)  [\(task.grade.rawValue)]  \(teams)")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "从运行中枢纽的公开接口复算摇号结果（通过/不通过）— recompute a published draw from a running hub and say whether it holds.",
            discussion: examples("hub random-checks verify RC-2026-001", "hub random-checks verify RC-2026-001 --url https://hub.example.gov.cn")
        )
        @Argument var plan: String
        @Option(help: "The hub's base URL.") var url = "http://127.0.0.1:8080"

        func run() async throws {
            let path = "/api/v1/random-checks/plans/" + (plan.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? plan)
            var request = HTTPClientRequest(url: url + path)
            request.method = .GET
            try CommandInput.hubListening(url)
            let response: HTTPClientResponse
            let body: ByteBuffer
            do {
                response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
                body = try await response.body.collect(upTo: 256 * 1024 * 1024)
            } catch {
                throw CommandFailure.hubNotRunning(url, error)
            }
            guard response.status.code == 200 else {
                say("HTTP \(response.status.code): \(String(buffer: body))")
                throw ExitCode(1)
            }
            guard let page = try? JSONParser().parse(body.readableBytesView), let drawValue = page["draw"], drawValue != .null else {
                say("不通过 FAIL: 该计划尚未摇号，没有可复算的结果 the plan has no published draw yet")
                throw ExitCode(1)
            }
            let draw: PublishedDraw
            do {
                draw = try JSONDecoder().decode(PublishedDraw.self, from: Data(CanonicalJSON.encode(drawValue)))
            } catch {
                say("不通过 FAIL: 公布的结果无法读取 the published draw does not read: \(error)")
                throw ExitCode(1)
            }
            var problems = DrawVerification.problems(draw)
            if let commitment = page["commitment"]?.stringValue, commitment != draw.commitment {
                problems.append("the plan's commitment \(commitment) is not the draw's \(draw.commitment)")
            }
            if problems.isEmpty {
                say("通过 PASS: \(draw.planId) — SHA-256(seed) 与承诺值一致，候选 \(draw.candidates.count)、任务 \(draw.tasks.count) 复算一致")
            } else {
                say("不通过 FAIL: \(draw.planId)")
                for problem in problems { say("  - \(problem)") }
                throw ExitCode(1)
            }
        }
    }

    /// A plan refused before it reached the store, with its field errors.
    struct Refused: Error, CustomStringConvertible {
        var errors: [FieldError]
        var description: String { errors.map { "\($0.path): \($0.code) \($0.messageZh) / \($0.messageEn)" }.joined(separator: "\n") }
    }
}
