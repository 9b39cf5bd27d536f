import ArgumentParser
import Foundation
import HubServer
import HubStore

/// `hub departments rotate-key|revoke|reencrypt`: the life of department keys (see `DepartmentStore`'s keys).
extension Departments {
    struct RotateKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-key",
            abstract: "轮换密钥：发新密钥，旧密钥在宽限期后失效 — issue a new key; the old keys work for HUB_KEY_GRACE_HOURS (default 24), then are refused.",
            discussion: examples("hub departments rotate-key HY-WJ", "hub departments rotate-key HY-WJ --grace-hours 2 --json")
        )

        @Argument(help: "Department code.") var code: String
        @Option(help: "Grace period in hours for the old keys (default HUB_KEY_GRACE_HOURS).") var graceHours: Int?
        @Flag(help: "Print JSON (for scripts).") var json = false

        func run() async throws {
            try CommandInput.departmentCode(code)
            let (code, graceHours) = (self.code, self.graceHours)
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let (credentials, hours) = try await runtime.job { hub in
                let hours = max(0, graceHours ?? hub.configuration.keyGraceHours)
                return (try await hub.departments.rotateKey(code: code, graceSeconds: hours * 3600, by: OpsLogin.operatorName), hours)
            }
            try printCredentials(credentials, json: json)
            if !json { say("旧密钥 \(hours) 小时后失效 the old keys stop working in \(hours) h") }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "立即吊销部门的全部密钥（密钥泄露时）— revoke every key of a department at once; issue a new one with hub departments add.",
            discussion: examples("hub departments revoke HY-WJ", "hub departments add HY-WJ --name 衡阳市卫生健康委员会")
        )

        @Argument(help: "Department code.") var code: String

        func run() async throws {
            try CommandInput.departmentCode(code)
            let code = self.code
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let revoked = try await runtime.job { hub in try await hub.departments.revokeKeys(code: code, by: OpsLogin.operatorName) }
            say("已吊销 revoked \(revoked.count) keys of \(code): \(revoked.joined(separator: " "))")
        }
    }

    struct Reencrypt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "更换主密钥后重新加密部门密钥 — re-seal the department secrets under the current master key after a master-key change.",
            discussion: examples(
                "hub departments reencrypt --old-key-file .hub/master.key.old",
                note: "先把旧密钥文件移开（或把旧值存入文件），设置或让枢纽生成新密钥，再运行本命令。"
                    + "\nMove the old key file aside (or keep the old value in a file), set or let the hub make the new key, then run this."
            )
        )

        @Option(help: "The previous master key: a file with 32 raw bytes, 64 hex digits or base64.") var oldKeyFile: String

        func run() async throws {
            try CommandInput.readableFile(oldKeyFile, option: "--old-key-file")
            let old = try HubContext.vault(keyFile: oldKeyFile)
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let (moved, current) = try await runtime.jobBeforeKeyCheck { hub in try await hub.departments.reencrypt(from: old) }
            say("已重新加密 re-encrypted \(moved) secrets; \(current) already under the current key")
        }
    }
}

func printCredentials(_ credentials: DepartmentCredentials, json: Bool) throws {
    if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        say(String(decoding: try encoder.encode(credentials), as: UTF8.self))
    } else {
        say(
            """
            部门 department: \(credentials.department) \(credentials.name)
            密钥编号 key id: \(credentials.keyId)
            密钥 secret:     \(credentials.secret)
            请妥善保存密钥，它不会再次显示。Keep the secret safe: it is not shown again.
            """
        )
    }
}
