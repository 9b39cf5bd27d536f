import ArgumentParser
import Foundation
import HubServer
import HubStore

/// `hub users add USERNAME --name NAME --role reviewer [--role approver] [--department CODE …]`: an ops staff
/// account; `hub users disable USERNAME`: ends its sessions and refuses its sign-in.
struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "运维人员账号：创建、重置、停用 — ops staff accounts: create, reset, disable.",
        discussion: examples("HUB_USER_PASSWORD=… hub users add zhangsan --name 张三 --role reviewer", "hub users disable zhangsan"),
        subcommands: [Add.self, Disable.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "创建运维账号（或重置密码和角色），密码取自 HUB_USER_PASSWORD 或标准输入 — create an ops account (or reset it).",
            discussion: examples(
                "HUB_USER_PASSWORD=… hub users add zhangsan --name 张三 --role reviewer",
                "hub users add lisi --name 李四 --role approver --department HY-SCJG",
                note: "角色 roles: reviewer, approver, admin, auditor, pii. The password is read from HUB_USER_PASSWORD or standard input."
            )
        )

        @Argument(help: "Username: lowercase letters, digits, . _ -") var username: String
        @Option(help: "Display name, e.g. 张三.") var name: String
        @Option(name: .customLong("role"), help: "reviewer, approver, admin, auditor, or pii (sees personal data unmasked); repeat for several.")
        var roles: [String]
        @Option(name: .customLong("department"), help: "Scope the account to this department's review items (repeat; none: all departments).")
        var departments: [String] = []

        func run() async throws {
            let roles = Set(
                try self.roles.map { r -> OpsUser.Role in
                    guard let role = OpsUser.Role(rawValue: r) else {
                        throw CommandFailure.badInput(
                            "未知角色 \(r)：可用 reviewer、approver、admin、auditor 或 pii",
                            "unknown role \(r): use reviewer, approver, admin, auditor or pii"
                        )
                    }
                    return role
                }
            )
            var password = ProcessInfo.processInfo.environment["HUB_USER_PASSWORD"] ?? ""
            if password.isEmpty {
                FileHandle.standardError.write(Data("密码 password (≥10 characters): ".utf8))
                password = readLine(strippingNewline: true) ?? ""
            }
            let (username, name, secret, departments) = (self.username, self.name, password, self.departments)
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let user = try await runtime.job { hub in
                try await hub.opsUsers.add(username: username, displayName: name, password: secret, roles: roles, departments: departments)
            }
            let scope = user.departments.isEmpty ? "all departments" : user.departments.joined(separator: ", ")
            say(
                "已创建 account \(user.username) (\(user.displayName)) roles: \(user.roles.map(\.rawValue).sorted().joined(separator: ", "))  departments: \(scope)"
            )
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "停用运维账号：会话和令牌立即失效，拒绝登录 — disable an ops account: sessions and tokens end, sign-in is refused.",
            discussion: examples("hub users disable zhangsan", note: "hub users add 可重新启用。hub users add resets it.")
        )

        @Argument(help: "Username.") var username: String

        func run() async throws {
            let username = self.username
            let runtime = try HubRuntime.start(logger: Logs.logger())
            try await runtime.job { hub in try await hub.opsUsers.disable(username: username, by: OpsLogin.operatorName) }
            say("已停用 account \(username) disabled: sessions ended, sign-in refused")
        }
    }
}
