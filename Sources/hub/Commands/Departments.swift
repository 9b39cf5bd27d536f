import ArgumentParser
import Foundation
import HubServer

/// `hub departments add CODE --name NAME [--json]`: registers a department system and prints its key once.
struct Departments: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Department systems (部门系统接入).", subcommands: [Add.self, RotateKey.self, Revoke.self, Reencrypt.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a department (or a new key for an existing one) and print its key id and secret once.")

        @Argument(help: "Department code, e.g. HY-WJ (capital letters, digits, - and _).") var code: String
        @Option(help: "Department name, e.g. 衡阳市卫生健康委员会.") var name: String
        @Flag(help: "Print JSON (for scripts).") var json = false

        func run() async throws {
            let runtime = try HubRuntime.start(logger: Logs.logger())
            let (code, name) = (self.code, self.name)
            let credentials = try await runtime.job { hub in try await hub.departments.add(code: code, name: name) }
            try printCredentials(credentials, json: json)
        }
    }
}
