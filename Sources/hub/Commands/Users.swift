import ArgumentParser
import Foundation
import HubServer
import HubStore

/// `hub users add USERNAME --name NAME --role reviewer [--role approver] [--department CODE …]`: an ops staff
/// account; `hub users disable USERNAME`: ends its sessions and refuses its sign-in.
struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Ops staff accounts (运维人员账号).", subcommands: [Add.self, Disable.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an ops account (or reset its password and roles). The password is read from HUB_USER_PASSWORD or standard input."
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
                        throw ValidationError("unknown role \(r): use reviewer, approver, admin, auditor or pii")
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
            abstract: "Disable an ops account: its console sessions and API tokens end at once and sign-in is refused (hub users add resets it)."
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
