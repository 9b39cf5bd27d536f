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
        static let configuration = CommandConfiguration(abstract: "Every plan with its status and commitment.")

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
        static let configuration = CommandConfiguration(abstract: "Propose the plan in FILE (the JSON of POST /api/v1/ops/random-checks/plans).")
        @Argument var file: String
        @Option(help: "The proposing ops account (reviewer; password from HUB_OPS_PASSWORD or a prompt).") var user: String

        func run() async throws {
            let (file, username) = (self.file, user)
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            let password = OpsLogin.password()
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let summary = try await runtime.job { hub in
                let user = try await OpsLogin.authenticate(hub, username: username, password: password)
                try ReviewPolicy.authorize(.decide, user)
                let value: JSONValue
                do {
                    value = try JSONParser().parse(bytes)
                } catch let error as JSONParser.Failure {
                    throw ValidationError("\(file): JSON 格式错误 malformed JSON at line \(error.line), column \(error.column)")
                }
                let read = RandomCheckPlan.read(value, defaultRatios: hub.randomCheckSettings.ratios)
                guard let plan = read.plan else { throw Refused(errors: read.errors) }
                let problems = plan.problems()
                guard problems.isEmpty else { throw Refused(errors: problems) }
                return try await hub.randomChecks.propose(plan, by: user.username)
            }
            say("已提出 proposed \(summary.planId)，待第二人批准 waiting for another person's approval")
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a plan (not your own): the seed is made and its commitment published.")
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
        static let configuration = CommandConfiguration(abstract: "Draw an approved plan, once; the seed is revealed.")
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
            abstract: "Recompute a published draw from the public endpoint of a running hub and say whether it holds (通过/不通过)."
        )
        @Argument var plan: String
        @Option(help: "The hub's base URL.") var url = "http://127.0.0.1:8080"

        func run() async throws {
            let path = "/api/v1/random-checks/plans/" + (plan.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? plan)
            var request = HTTPClientRequest(url: url + path)
            request.method = .GET
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 256 * 1024 * 1024)
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
